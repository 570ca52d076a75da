import request from 'supertest';
import { selectOne } from '../../../src/db/sql';
import { createListing, signUp, signUpBrand } from '../../support/fixtures';
import { checkoutClient, useCheckoutApp } from './checkout-client';

/** Brand coupons at checkout: one use each, their discounts and rules, preview, batches. */
const ctx = useCheckoutApp();
const { order, listingQuantity, brandWithCoupons } = checkoutClient(ctx);

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
  await request(ctx.server).post(`/v1/orders/${res.body.id}/pay`).set(buyer.auth);
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
  await request(ctx.server).post(`/v1/orders/${res.body.id}/cancel`).set(buyer.auth);
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
  const preview = await request(ctx.server)
    .get(`/v1/coupons/${codes[0]}/preview?listingId=${item.id}&quantity=2`)
    .set(buyer.auth);
  expect(preview.body).toEqual({ valid: true, discountAmount: 999 });
  const bogus = await request(ctx.server)
    .get(`/v1/coupons/NOPE/preview?listingId=${item.id}`)
    .set(buyer.auth);
  expect(bogus.body).toMatchObject({ valid: false, reason: 'coupon_not_found' });
  expect(
    (await request(ctx.server).get(`/v1/coupons/${codes[0]}/preview?listingId=${item.id}`)).status,
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
  const denied = await request(ctx.server)
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
    (await request(ctx.server).get(`/v1/brands/me/coupon-batches/${batchId}`).set(otherBrand.auth))
      .status,
  ).toBe(404);
  const invalid = await request(ctx.server)
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
