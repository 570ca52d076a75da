/**
 * Totals past 2^53 (issue 19.8): an amount is at most 100,000,000,000 minor units, a line at
 * most 1,000 units and an order at most 50 lines, so no subtotal passes 5 * 10^15, well inside
 * Number.MAX_SAFE_INTEGER; the platform fee and percent discounts of such totals are exact too.
 * The largest order adds up exactly; one minor unit more is a 400 naming the field, and a listing
 * priced above the bound before it existed cannot make an order past it either.
 */
import request from 'supertest';
import { execute } from '../../../src/db/sql';
import { MAX_AMOUNT, MAX_ORDER_AMOUNT } from '../../../src/money/arithmetic';
import { ADDRESS, createListing, signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const ctx = useTestApp({ env: { PLATFORM_FEE_BPS: '333' }, listen: true });
let seller: TestUser;
let buyer: TestUser;

beforeAll(async () => {
  seller = await signUpBrand(ctx.app, 'Very Dear Co');
  buyer = await signUp(ctx.app, { displayName: 'Rich Buyer' });
});

const order = (items: Array<{ listingId: string; quantity: number }>) =>
  request(ctx.server).post('/v1/orders').set(buyer.auth).send({ shippingAddress: ADDRESS, items });

async function listings(count: number, priceAmount: number) {
  const made = [];
  for (let i = 0; i < count; i += 1)
    made.push(await createListing(ctx.app, seller, { priceAmount, quantity: 1000 }));
  return made;
}

test('the bounds keep the largest order inside safe integers', () => {
  expect(MAX_AMOUNT).toBe(100_000_000_000);
  expect(MAX_ORDER_AMOUNT).toBe(5_000_000_000_000_000);
  // The fee and percent discounts multiply a total by up to 10,000 before dividing.
  expect(MAX_ORDER_AMOUNT).toBeLessThan(Number.MAX_SAFE_INTEGER);
});

test('the largest order is accepted and its totals add exactly', async () => {
  // One minor unit under the bound on one line, so a float sum would show the lost unit.
  const dear = await listings(50, MAX_AMOUNT);
  await execute(ctx.db, 'UPDATE listings SET price_amount = ? WHERE id = ?', [
    MAX_AMOUNT - 1,
    dear[0]!.id,
  ]);
  const res = await order(dear.map((listing) => ({ listingId: listing.id, quantity: 1000 })));
  expect(res.status).toBe(201);
  const items = res.body.items as Array<{ unitAmount: number; quantity: number }>;
  const sum = items.reduce(
    (total, item) => total + BigInt(item.unitAmount) * BigInt(item.quantity),
    0n,
  );
  expect(sum).toBe(BigInt(MAX_ORDER_AMOUNT) - 1000n);
  expect(BigInt(res.body.subtotalAmount)).toBe(sum);
  expect(BigInt(res.body.totalAmount)).toBe(sum);
  expect(Number.isSafeInteger(res.body.totalAmount)).toBe(true);
});

test.each([
  ['a price', { priceAmount: MAX_AMOUNT + 1 }, 'priceAmount'],
  ['a quantity per line', null, 'items.0.quantity'],
])('one above the bound on %s is a 400 naming it', async (_what, listing, param) => {
  if (listing) {
    const res = await request(ctx.server)
      .post('/v1/listings')
      .set(seller.auth)
      .send({
        title: 'Too dear',
        description: 'x',
        currency: 'USD',
        quantity: 1,
        category: 'ceramics',
        condition: 'new',
        ...listing,
      });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe(param);
    return;
  }
  const [one] = await listings(1, 1);
  const res = await order([{ listingId: one!.id, quantity: 1001 }]);
  expect(res.status).toBe(400);
  expect(res.body.error.param).toBe(param);
});

test('a listing priced past the bound before it existed cannot make an order past it', async () => {
  const old = await listings(6, 1000);
  await execute(ctx.db, `UPDATE listings SET price_amount = ? WHERE id IN (?)`, [
    999_999_999_999,
    old.map((listing) => listing.id),
  ]);
  const res = await order(old.map((listing) => ({ listingId: listing.id, quantity: 999 })));
  expect(res.status).toBe(400);
  expect(res.body.error).toMatchObject({ code: 'order_too_large', param: 'items' });
  const quantities = await request(ctx.server).get(`/v1/listings/${old[0]!.id}`);
  expect(quantities.body.quantity).toBe(1000);
});

test('coupon and refund amounts share the bound', async () => {
  const coupon = await request(ctx.server)
    .post('/v1/brands/me/coupon-batches')
    .set(seller.auth)
    .send({
      count: 1,
      discountType: 'fixed',
      amountOff: MAX_AMOUNT + 1,
      currency: 'USD',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
  expect(coupon.status).toBe(400);
  expect(coupon.body.error.param).toBe('amountOff');
  const [one] = await listings(1, 1);
  const placed = await order([{ listingId: one!.id, quantity: 1 }]);
  expect(placed.status).toBe(201);
  const refund = await request(ctx.server)
    .post(`/v1/orders/${placed.body.id}/refund`)
    .set(seller.auth)
    .send({ amount: MAX_ORDER_AMOUNT + 1 });
  expect(refund.status).toBe(400);
  expect(refund.body.error.param).toBe('amount');
});
