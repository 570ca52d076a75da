import request from 'supertest';
import { ADDRESS, createListing, signUp } from '../../support/fixtures';
import { checkoutClient, useCheckoutApp } from './checkout-client';

/** What an order is allowed to be: its amounts, its buyer, its seller and currency, its input. */
const ctx = useCheckoutApp();
const { order, listingQuantity } = checkoutClient(ctx);

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
  const noAddress = await request(ctx.server)
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
  const anonymous = await request(ctx.server)
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
    (await request(ctx.server).get(`/v1/orders/${created.body.id}`).set(seller.auth)).status,
  ).toBe(200);
  expect(
    (await request(ctx.server).get(`/v1/orders/${created.body.id}`).set(stranger.auth)).status,
  ).toBe(404);
  expect(
    (await request(ctx.server).post(`/v1/orders/${created.body.id}/pay`).set(stranger.auth)).status,
  ).toBe(404);
  expect(
    (await request(ctx.server).post(`/v1/orders/${created.body.id}/pay`).set(seller.auth)).status,
  ).toBe(403);
  const mine = await request(ctx.server).get('/v1/orders?role=buyer').set(buyer.auth);
  expect(mine.body.data.map((o: { id: string }) => o.id)).toEqual([created.body.id]);
  const sold = await request(ctx.server)
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
      request(ctx.server)
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
