/** A drop's revenue in its stats: net of coupons and refunds, paid orders only. */
import request from 'supertest';
import { issueCoupons } from '../../support/coupons';
import { PUZZLE, waitForStatus } from '../../support/drops';
import { ADDRESS, createListing, signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { dropsClient, useDropsApp } from './drops-client';

const ctx = useDropsApp();
const { attempt } = dropsClient(ctx);
let brand: TestUser;

beforeAll(async () => {
  brand = await signUpBrand(ctx.app, 'Uji Tea House');
});

test('stats: revenue is net of coupons and refunds (5400, 15 % off, 590 refunded: 4000); unpaid and canceled orders count in nothing', async () => {
  const listing = await createListing(ctx.app, brand, {
    quantity: 10,
    priceAmount: 5400,
    currency: 'JPY',
  });
  const { codes } = await issueCoupons(ctx.app, brand, {
    discountType: 'percent',
    percentOff: 15,
  });
  const created = await request(ctx.server)
    .post('/v1/campaigns/drops')
    .set(brand.auth)
    .send({
      title: 'Net drop',
      listingId: listing.id,
      stock: 3,
      startsAt: new Date(Date.now() + 300).toISOString(),
      timezone: 'Asia/Tokyo',
      durationHours: 1,
      puzzle: PUZZLE,
    });
  expect(created.status).toBe(201);
  const dropId = created.body.id as string;
  await waitForStatus(ctx.app, dropId, 'live');
  const order = async (couponCode?: string) => {
    const member = await signUp(ctx.app);
    const won = await attempt(member, dropId, 'Mount Fuji');
    const res = await request(ctx.server)
      .post('/v1/orders')
      .set(member.auth)
      .send({
        items: [{ listingId: listing.id, quantity: 1 }],
        reservationToken: won.body.reservation.token,
        shippingAddress: ADDRESS,
        ...(couponCode ? { couponCode } : {}),
      });
    expect(res.status).toBe(201);
    return { member, order: res.body as { id: string; totalAmount: number } };
  };
  const paid = await order(codes[0]);
  expect(paid.order.totalAmount).toBe(4590);
  expect(
    (await request(ctx.server).post(`/v1/orders/${paid.order.id}/pay`).set(paid.member.auth))
      .status,
  ).toBe(200);
  const refund = await request(ctx.server)
    .post(`/v1/orders/${paid.order.id}/refund`)
    .set(brand.auth)
    .send({ amount: 590 });
  expect(refund.body).toMatchObject({ status: 'partially_refunded', refundedAmount: 590 });
  await order(codes[1]);
  const canceled = await order();
  expect(
    (
      await request(ctx.server)
        .post(`/v1/orders/${canceled.order.id}/cancel`)
        .set(canceled.member.auth)
    ).status,
  ).toBe(200);

  const stats = await request(ctx.server)
    .get(`/v1/campaigns/drops/${dropId}/stats`)
    .set(brand.auth);
  expect(stats.status).toBe(200);
  expect(stats.body).toMatchObject({
    purchases: 1,
    unitsSold: 1,
    grossAmount: 5400,
    discountAmount: 810,
    refundedAmount: 590,
    revenueAmount: 4000,
    currency: 'JPY',
  });
});
