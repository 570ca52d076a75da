import type { Server } from 'node:http';
import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../jobs/worker';
import { selectOne } from '../../src/db/sql';
import { ADDRESS, createListing, signUp, signUpBrand, type TestUser } from '../support/fixtures';
import { startTestContext, type TestContext } from '../support/harness';

let ctx: TestContext;
let server: Server;

beforeAll(async () => {
  ctx = await startTestContext({ env: { PLATFORM_FEE_BPS: '250' } });
  server = ctx.app.listen(0);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await ctx.close();
});

const order = (buyer: TestUser, body: Record<string, unknown>) =>
  request(server)
    .post('/v1/orders')
    .set(buyer.auth)
    .send({ shippingAddress: ADDRESS, ...body });

async function listingQuantity(id: string): Promise<number> {
  const row = await selectOne<{ quantity: number }>(
    ctx.db,
    'SELECT quantity FROM listings WHERE id = ?',
    [id],
  );
  return row!.quantity;
}

/** A brand seller with a listing and a batch of `count` coupons, generated in-process. */
async function brandWithCoupons(
  count: number,
  discount: Record<string, unknown>,
  listing: Record<string, unknown> = {},
) {
  const brand = await signUpBrand(ctx.app);
  const item = await createListing(ctx.app, brand, listing);
  const batch = await request(server)
    .post('/v1/brands/me/coupon-batches')
    .set(brand.auth)
    .send({ count, expiresAt: new Date(Date.now() + 86_400_000).toISOString(), ...discount });
  expect(batch.status).toBe(201);
  await ctx.services.coupons.generateBatch(batch.body.id, async () => {});
  const csv = await request(server)
    .get(`/v1/brands/me/coupon-batches/${batch.body.id}/codes.csv`)
    .set(brand.auth);
  expect(csv.status).toBe(200);
  const codes = csv.text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0]!);
  return { brand, item, codes, batchId: batch.body.id as string };
}

describe('checkout never oversells', () => {
  test('40 concurrent orders on stock 5 sell exactly 5', async () => {
    const seller = await signUp(ctx.app);
    const listing = await createListing(ctx.app, seller, { quantity: 5 });
    const buyers = await Promise.all(Array.from({ length: 10 }, () => signUp(ctx.app)));
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        order(buyers[i % 10]!, { items: [{ listingId: listing.id, quantity: 1 }] }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(35);
    expect(
      answers.filter((a) => a.status === 409).every((a) => a.body.error.code === 'out_of_stock'),
    ).toBe(true);
    expect(await listingQuantity(listing.id)).toBe(0);
    const held = await selectOne<{ n: number }>(
      ctx.db,
      'SELECT SUM(quantity) AS n FROM order_items WHERE listing_id = ?',
      [listing.id],
    );
    expect(Number(held!.n)).toBe(5);
    const view = await request(server).get(`/v1/listings/${listing.id}`);
    expect(view.body.quantity).toBe(0);
  });

  test('an order of several items takes all of them or none', async () => {
    const seller = await signUp(ctx.app);
    const plenty = await createListing(ctx.app, seller, { quantity: 10 });
    const scarce = await createListing(ctx.app, seller, { quantity: 1 });
    const buyer = await signUp(ctx.app);
    const res = await order(buyer, {
      items: [
        { listingId: plenty.id, quantity: 2 },
        { listingId: scarce.id, quantity: 2 },
      ],
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('out_of_stock');
    expect(await listingQuantity(plenty.id)).toBe(10);
    expect(await listingQuantity(scarce.id)).toBe(1);
  });

  test('concurrent two-item orders naming the items in opposite orders neither deadlock nor oversell', async () => {
    const seller = await signUp(ctx.app);
    const a = await createListing(ctx.app, seller, { quantity: 12 });
    const b = await createListing(ctx.app, seller, { quantity: 12 });
    const buyers = await Promise.all(Array.from({ length: 6 }, () => signUp(ctx.app)));
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        order(buyers[i % 6]!, {
          items:
            i % 2 === 0
              ? [
                  { listingId: a.id, quantity: 1 },
                  { listingId: b.id, quantity: 1 },
                ]
              : [
                  { listingId: b.id, quantity: 1 },
                  { listingId: a.id, quantity: 1 },
                ],
        }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    // Every unit sold once, the rest refused as out of stock: never a deadlock's 503 or a 500.
    expect(statuses.filter((s) => s === 201)).toHaveLength(12);
    expect(statuses.filter((s) => s === 409)).toHaveLength(18);
    expect([await listingQuantity(a.id), await listingQuantity(b.id)]).toEqual([0, 0]);
  });
});

describe('order rules', () => {
  test('amounts: subtotal, platform fee rounded half-up, items snapshot', async () => {
    const seller = await signUp(ctx.app);
    const listing = await createListing(ctx.app, seller, { priceAmount: 1999, quantity: 3 });
    const buyer = await signUp(ctx.app);
    const res = await order(buyer, { items: [{ listingId: listing.id, quantity: 3 }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'pending_payment',
      buyerId: buyer.id,
      sellerId: seller.id,
      currency: 'USD',
      subtotalAmount: 5997,
      discountAmount: 0,
      totalAmount: 5997,
      platformFeeAmount: 150, // 2.5% of 5997 = 149.925
      couponCode: null,
      items: [{ listingId: listing.id, title: 'Tea bowl', quantity: 3, unitAmount: 1999 }],
      payment: { provider: 'manual', status: 'requires_payment' },
    });
    expect(new Date(res.body.expiresAt).getTime() - new Date(res.body.createdAt).getTime()).toBe(
      15 * 60_000,
    );
  });

  test('a buyer cannot buy their own listing', async () => {
    const seller = await signUp(ctx.app);
    const listing = await createListing(ctx.app, seller);
    const res = await order(seller, { items: [{ listingId: listing.id, quantity: 1 }] });
    expect(res.status).toBe(403);
    expect(res.body.error.type).toBe('permission');
  });

  test('one seller and one currency per order', async () => {
    const a = await signUp(ctx.app);
    const b = await signUp(ctx.app);
    const buyer = await signUp(ctx.app);
    const usd = await createListing(ctx.app, a, { currency: 'USD' });
    const jpy = await createListing(ctx.app, a, { currency: 'JPY', priceAmount: 500 });
    const other = await createListing(ctx.app, b);
    const mixed = await order(buyer, {
      items: [
        { listingId: usd.id, quantity: 1 },
        { listingId: jpy.id, quantity: 1 },
      ],
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.code).toBe('currency_mismatch');
    const sellers = await order(buyer, {
      items: [
        { listingId: usd.id, quantity: 1 },
        { listingId: other.id, quantity: 1 },
      ],
    });
    expect(sellers.status).toBe(400);
    expect(sellers.body.error.code).toBe('multiple_sellers');
  });

  test('bad input is a 400 naming the field, and writes nothing', async () => {
    const seller = await signUp(ctx.app);
    const listing = await createListing(ctx.app, seller);
    const buyer = await signUp(ctx.app);
    const noAddress = await request(server)
      .post('/v1/orders')
      .set(buyer.auth)
      .send({ items: [{ listingId: listing.id, quantity: 1 }] });
    expect(noAddress.status).toBe(400);
    expect(noAddress.body.error.param).toBe('shippingAddress');
    const zero = await order(buyer, { items: [{ listingId: listing.id, quantity: 0 }] });
    expect(zero.status).toBe(400);
    expect(zero.body.error.param).toBe('items.0.quantity');
    const unknown = await order(buyer, {
      items: [{ listingId: 'lst_00000000000000000000000000', quantity: 1 }],
    });
    expect(unknown.status).toBe(404);
    expect(await listingQuantity(listing.id)).toBe(5);
    const anonymous = await request(server)
      .post('/v1/orders')
      .send({ items: [{ listingId: listing.id, quantity: 1 }], shippingAddress: ADDRESS });
    expect(anonymous.status).toBe(401);
  });

  test('orders are private to their buyer and seller', async () => {
    const seller = await signUp(ctx.app);
    const listing = await createListing(ctx.app, seller);
    const buyer = await signUp(ctx.app);
    const stranger = await signUp(ctx.app);
    const created = await order(buyer, { items: [{ listingId: listing.id, quantity: 1 }] });
    expect(
      (await request(server).get(`/v1/orders/${created.body.id}`).set(seller.auth)).status,
    ).toBe(200);
    expect(
      (await request(server).get(`/v1/orders/${created.body.id}`).set(stranger.auth)).status,
    ).toBe(404);
    expect(
      (await request(server).post(`/v1/orders/${created.body.id}/pay`).set(stranger.auth)).status,
    ).toBe(404);
    expect(
      (await request(server).post(`/v1/orders/${created.body.id}/pay`).set(seller.auth)).status,
    ).toBe(403);
    const mine = await request(server).get('/v1/orders?role=buyer').set(buyer.auth);
    expect(mine.body.data.map((o: { id: string }) => o.id)).toEqual([created.body.id]);
    const sold = await request(server)
      .get('/v1/orders?role=seller&status=pending_payment')
      .set(seller.auth);
    expect(sold.body.data.map((o: { id: string }) => o.id)).toEqual([created.body.id]);
  });

  test('the same Idempotency-Key on POST /v1/orders makes one order', async () => {
    const seller = await signUp(ctx.app);
    const listing = await createListing(ctx.app, seller, { quantity: 10 });
    const buyer = await signUp(ctx.app);
    const body = { items: [{ listingId: listing.id, quantity: 1 }], shippingAddress: ADDRESS };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        request(server)
          .post('/v1/orders')
          .set(buyer.auth)
          .set('Idempotency-Key', 'order-once')
          .send(body),
      ),
    );
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.every((a) => a.status === 201)).toBe(true);
    expect(await listingQuantity(listing.id)).toBe(9);
  });
});

describe('order lifecycle', () => {
  test('pay, ship, complete; illegal transitions are 409 and change nothing', async () => {
    const seller = await signUp(ctx.app);
    const listing = await createListing(ctx.app, seller);
    const buyer = await signUp(ctx.app);
    const { body: created } = await order(buyer, {
      items: [{ listingId: listing.id, quantity: 2 }],
    });
    const path = `/v1/orders/${created.id}`;

    const early = await request(server).post(`${path}/complete`).set(buyer.auth);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ type: 'conflict', code: 'invalid_state' });
    expect((await request(server).post(`${path}/ship`).set(seller.auth).send({})).status).toBe(409);

    const paid = await request(server).post(`${path}/pay`).set(buyer.auth);
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', payment: { status: 'succeeded' } });
    expect(paid.body.paidAt).not.toBeNull();
    expect((await request(server).post(`${path}/pay`).set(buyer.auth)).status).toBe(409);
    expect((await request(server).post(`${path}/cancel`).set(buyer.auth)).status).toBe(409);

    const shipped = await request(server)
      .post(`${path}/ship`)
      .set(seller.auth)
      .send({ carrier: 'Japan Post', trackingNumber: 'EJ123' });
    expect(shipped.body).toMatchObject({
      status: 'shipped',
      carrier: 'Japan Post',
      trackingNumber: 'EJ123',
    });
    const done = await request(server).post(`${path}/complete`).set(buyer.auth);
    expect(done.body.status).toBe('completed');
    expect(await listingQuantity(listing.id)).toBe(3);
  });

  test('cancel gives back stock', async () => {
    const seller = await signUp(ctx.app);
    const listing = await createListing(ctx.app, seller);
    const buyer = await signUp(ctx.app);
    const { body: created } = await order(buyer, {
      items: [{ listingId: listing.id, quantity: 4 }],
    });
    expect(await listingQuantity(listing.id)).toBe(1);
    const canceled = await request(server).post(`/v1/orders/${created.id}/cancel`).set(buyer.auth);
    expect(canceled.body).toMatchObject({ status: 'canceled' });
    expect(await listingQuantity(listing.id)).toBe(5);
    expect(
      (await request(server).post(`/v1/orders/${created.id}/cancel`).set(buyer.auth)).status,
    ).toBe(409);
    expect(await listingQuantity(listing.id)).toBe(5);
  });

  test('refunds: partial, then the rest; never more than paid; only seller or admin', async () => {
    const seller = await signUp(ctx.app);
    const listing = await createListing(ctx.app, seller, { priceAmount: 1000 });
    const buyer = await signUp(ctx.app);
    const { body: created } = await order(buyer, {
      items: [{ listingId: listing.id, quantity: 1 }],
    });
    const path = `/v1/orders/${created.id}`;
    expect((await request(server).post(`${path}/refund`).set(seller.auth).send({})).status).toBe(
      409,
    );
    await request(server).post(`${path}/pay`).set(buyer.auth);
    expect((await request(server).post(`${path}/refund`).set(buyer.auth).send({})).status).toBe(
      403,
    );
    const partial = await request(server)
      .post(`${path}/refund`)
      .set(seller.auth)
      .send({ amount: 300 });
    expect(partial.body).toMatchObject({ status: 'partially_refunded', refundedAmount: 300 });
    const tooMuch = await request(server)
      .post(`${path}/refund`)
      .set(seller.auth)
      .send({ amount: 701 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.param).toBe('amount');
    const rest = await request(server).post(`${path}/refund`).set(seller.auth).send({});
    expect(rest.body).toMatchObject({ status: 'refunded', refundedAmount: 1000 });
    expect((await request(server).post(`${path}/refund`).set(seller.auth).send({})).status).toBe(
      409,
    );
  });

  test('concurrent partial refunds never exceed the total', async () => {
    const seller = await signUp(ctx.app);
    const listing = await createListing(ctx.app, seller, { priceAmount: 1000 });
    const buyer = await signUp(ctx.app);
    const { body: created } = await order(buyer, {
      items: [{ listingId: listing.id, quantity: 1 }],
    });
    await request(server).post(`/v1/orders/${created.id}/pay`).set(buyer.auth);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        request(server)
          .post(`/v1/orders/${created.id}/refund`)
          .set(seller.auth)
          .send({ amount: 300 }),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    const row = await selectOne<{ refunded: number }>(
      ctx.db,
      'SELECT refunded_amount AS refunded FROM orders WHERE id = ?',
      [created.id],
    );
    expect(row!.refunded).toBe(900);
  });
});

describe('coupons at checkout', () => {
  test('10 buyers race one coupon code: exactly one order gets it', async () => {
    const { item, codes } = await brandWithCoupons(
      1,
      { discountType: 'percent', percentOff: 10 },
      { quantity: 20 },
    );
    const buyers = await Promise.all(Array.from({ length: 10 }, () => signUp(ctx.app)));
    const answers = await Promise.all(
      buyers.map((buyer) =>
        order(buyer, { items: [{ listingId: item.id, quantity: 1 }], couponCode: codes[0] }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(
      answers
        .filter((a) => a.status === 409)
        .every((a) => a.body.error.code === 'coupon_already_used'),
    ).toBe(true);
    expect(await listingQuantity(item.id)).toBe(19);
  });

  test('percent discounts round half-up; codes are case- and dash-insensitive; paying redeems', async () => {
    const { item, codes } = await brandWithCoupons(
      1,
      { discountType: 'percent', percentOff: 15 },
      { priceAmount: 1999 },
    );
    const buyer = await signUp(ctx.app);
    const typed = codes[0]!.replace(/-/g, '').toLowerCase();
    const res = await order(buyer, {
      items: [{ listingId: item.id, quantity: 1 }],
      couponCode: typed,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      subtotalAmount: 1999,
      discountAmount: 300,
      totalAmount: 1699,
      couponCode: codes[0],
    });
    await request(server).post(`/v1/orders/${res.body.id}/pay`).set(buyer.auth);
    const coupon = await selectOne<{ status: string }>(
      ctx.db,
      'SELECT status FROM coupons WHERE order_id = ?',
      [res.body.id],
    );
    expect(coupon!.status).toBe('redeemed');
    const again = await order(await signUp(ctx.app), {
      items: [{ listingId: item.id, quantity: 1 }],
      couponCode: codes[0],
    });
    expect(again.body.error.code).toBe('coupon_already_used');
  });

  test('a fixed discount never exceeds the subtotal; cancel gives the coupon back', async () => {
    const { item, codes } = await brandWithCoupons(
      1,
      { discountType: 'fixed', amountOff: 5000, currency: 'USD' },
      { priceAmount: 1200 },
    );
    const buyer = await signUp(ctx.app);
    const res = await order(buyer, {
      items: [{ listingId: item.id, quantity: 1 }],
      couponCode: codes[0],
    });
    expect(res.body).toMatchObject({ subtotalAmount: 1200, discountAmount: 1200, totalAmount: 0 });
    await request(server).post(`/v1/orders/${res.body.id}/cancel`).set(buyer.auth);
    const reuse = await order(buyer, {
      items: [{ listingId: item.id, quantity: 1 }],
      couponCode: codes[0],
    });
    expect(reuse.status).toBe(201);
  });

  test('a coupon applies only to its brand, its currency, its minimum spend, before expiry', async () => {
    const { codes } = await brandWithCoupons(
      3,
      { discountType: 'fixed', amountOff: 100, currency: 'USD', minSpendAmount: 3000 },
      { priceAmount: 1000 },
    );
    const buyer = await signUp(ctx.app);
    const otherSeller = await signUp(ctx.app);
    const foreign = await createListing(ctx.app, otherSeller);
    const wrongBrand = await order(buyer, {
      items: [{ listingId: foreign.id, quantity: 1 }],
      couponCode: codes[0],
    });
    expect(wrongBrand.body.error).toMatchObject({
      type: 'conflict',
      code: 'coupon_not_applicable',
      param: 'couponCode',
    });

    const {
      item: brandItem,
      codes: brandCodes,
      brand,
    } = await brandWithCoupons(
      2,
      { discountType: 'fixed', amountOff: 100, currency: 'USD', minSpendAmount: 3000 },
      { priceAmount: 1000 },
    );
    const tooSmall = await order(buyer, {
      items: [{ listingId: brandItem.id, quantity: 2 }],
      couponCode: brandCodes[0],
    });
    expect(tooSmall.body.error.code).toBe('coupon_min_spend_not_met');
    const enough = await order(buyer, {
      items: [{ listingId: brandItem.id, quantity: 3 }],
      couponCode: brandCodes[0],
    });
    expect(enough.status).toBe(201);
    const yen = await createListing(ctx.app, brand, { currency: 'JPY', priceAmount: 5000 });
    const currency = await order(buyer, {
      items: [{ listingId: yen.id, quantity: 1 }],
      couponCode: brandCodes[1],
    });
    expect(currency.body.error.code).toBe('currency_mismatch');
    await ctx.db.query('UPDATE coupons SET expires_at = ? WHERE code = ?', [
      new Date(Date.now() - 1000),
      brandCodes[1]!.replace(/-/g, ''),
    ]);
    const expired = await order(buyer, {
      items: [{ listingId: brandItem.id, quantity: 3 }],
      couponCode: brandCodes[1],
    });
    expect(expired.body.error.code).toBe('coupon_expired');
    const missing = await order(buyer, {
      items: [{ listingId: brandItem.id, quantity: 3 }],
      couponCode: 'AAAA-BBBB-CCCC-DDDD',
    });
    expect(missing.status).toBe(404);
  });

  test('preview answers with the checkout rules without holding anything', async () => {
    const { item, codes } = await brandWithCoupons(
      1,
      { discountType: 'percent', percentOff: 50 },
      { priceAmount: 999 },
    );
    const buyer = await signUp(ctx.app);
    const preview = await request(server)
      .get(`/v1/coupons/${codes[0]}/preview?listingId=${item.id}&quantity=2`)
      .set(buyer.auth);
    expect(preview.body).toEqual({ valid: true, discountAmount: 999 });
    const bogus = await request(server)
      .get(`/v1/coupons/NOPE/preview?listingId=${item.id}`)
      .set(buyer.auth);
    expect(bogus.body).toMatchObject({ valid: false, reason: 'coupon_not_found' });
    expect(
      (await request(server).get(`/v1/coupons/${codes[0]}/preview?listingId=${item.id}`)).status,
    ).toBe(401);
    const coupon = await selectOne<{ status: string }>(
      ctx.db,
      'SELECT status FROM coupons WHERE code = ?',
      [codes[0]!.replace(/-/g, '')],
    );
    expect(coupon!.status).toBe('available');
  });

  test('only brands issue coupon batches, and only their own are visible', async () => {
    const member = await signUp(ctx.app);
    const denied = await request(server)
      .post('/v1/brands/me/coupon-batches')
      .set(member.auth)
      .send({
        count: 1,
        discountType: 'percent',
        percentOff: 5,
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      });
    expect(denied.status).toBe(403);
    const { batchId } = await brandWithCoupons(2, { discountType: 'percent', percentOff: 5 });
    const otherBrand = await signUpBrand(ctx.app, 'Other');
    expect(
      (await request(server).get(`/v1/brands/me/coupon-batches/${batchId}`).set(otherBrand.auth))
        .status,
    ).toBe(404);
    const invalid = await request(server)
      .post('/v1/brands/me/coupon-batches')
      .set(otherBrand.auth)
      .send({
        count: 1,
        discountType: 'fixed',
        amountOff: 100,
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.param).toBe('currency');
  });
});

describe('unpaid orders expire', () => {
  let expiring: TestContext;
  let workers: RunningWorkers | undefined;

  beforeAll(async () => {
    expiring = await startTestContext({ env: { ORDER_HOLD_MINUTES: '0.02' } });
  });

  afterAll(async () => {
    await workers?.close();
    await expiring.close();
  });

  test('an order expires on time, even if no worker ran at that moment; stock and coupon go back', async () => {
    const seller = await signUp(expiring.app);
    const listing = await createListing(expiring.app, seller, { quantity: 2 });
    const buyer = await signUp(expiring.app);
    const res = await request(expiring.app)
      .post('/v1/orders')
      .set(buyer.auth)
      .send({ items: [{ listingId: listing.id, quantity: 2 }], shippingAddress: ADDRESS });
    expect(res.status).toBe(201);
    // The hold (1.2 s) passes while no worker is running.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(
      (await request(expiring.app).get(`/v1/orders/${res.body.id}`).set(buyer.auth)).body.status,
    ).toBe('pending_payment');
    workers = await startWorkers(expiring.deps, expiring.services);
    const deadline = Date.now() + 10_000;
    let status = '';
    while (Date.now() < deadline && status !== 'expired') {
      status = (await request(expiring.app).get(`/v1/orders/${res.body.id}`).set(buyer.auth)).body
        .status;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe('expired');
    const listingNow = await request(expiring.app).get(`/v1/listings/${listing.id}`);
    expect(listingNow.body.quantity).toBe(2);
    const pay = await request(expiring.app).post(`/v1/orders/${res.body.id}/pay`).set(buyer.auth);
    expect(pay.status).toBe(409);
  });
});
