import request from 'supertest';
import { selectOne } from '../../../src/db/sql';
import { createListing, signUp } from '../../support/fixtures';
import { checkoutClient, useCheckoutApp } from './checkout-client';

/** Stock under concurrent orders: every unit sold once, never more, never a deadlock. */
const ctx = useCheckoutApp();
const { order, listingQuantity } = checkoutClient(ctx);

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
  const view = await request(ctx.server).get(`/v1/listings/${listing.id}`);
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
