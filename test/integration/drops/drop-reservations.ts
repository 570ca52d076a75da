/**
 * What a winner's reservation buys: one unit, for its member only, once; a canceled order or an
 * unused reservation gives the unit back to the drop, and a drop canceled while its winners
 * check out oversells nothing.
 */
import request from 'supertest';
import { selectOne } from '../../../src/db/sql';
import { createDrop, waitForStatus } from '../../support/drops';
import {
  ADDRESS,
  createListing,
  eventually,
  signUp,
  signUpBrand,
  type TestUser,
} from '../../support/fixtures';
import { dropsClient, useDropsApp } from './drops-client';

const ctx = useDropsApp();
const { attempt, quantityOf } = dropsClient(ctx);
let brand: TestUser;

beforeAll(async () => {
  brand = await signUpBrand(ctx.app, 'Uji Tea House');
});

test('a reservation buys one unit; someone else cannot use it; paying counts in the stats', async () => {
  const { drop, listing } = await createDrop(ctx.app, brand, { stock: 3 });
  await waitForStatus(ctx.app, drop.id, 'live');
  const buyer = await signUp(ctx.app);
  const thief = await signUp(ctx.app);
  const { body } = await attempt(buyer, drop.id, 'Mount Fuji');
  const token = body.reservation.token as string;
  const stolen = await request(ctx.server)
    .post('/v1/orders')
    .set(thief.auth)
    .send({
      items: [{ listingId: listing.id, quantity: 1 }],
      reservationToken: token,
      shippingAddress: ADDRESS,
    });
  expect(stolen.body.error.code).toBe('reservation_invalid');
  const before = await quantityOf(listing.id);
  const created = await request(ctx.server)
    .post('/v1/orders')
    .set(buyer.auth)
    .send({
      items: [{ listingId: listing.id, quantity: 1 }],
      reservationToken: token,
      shippingAddress: ADDRESS,
    });
  expect(created.status).toBe(201);
  expect(created.body.dropId).toBe(drop.id);
  expect(await quantityOf(listing.id)).toBe(before);
  const reused = await request(ctx.server)
    .post('/v1/orders')
    .set(buyer.auth)
    .send({
      items: [{ listingId: listing.id, quantity: 1 }],
      reservationToken: token,
      shippingAddress: ADDRESS,
    });
  expect(reused.body.error.code).toBe('reservation_expired');
  await request(ctx.server).post(`/v1/orders/${created.body.id}/pay`).set(buyer.auth);
  const stats = await request(ctx.server)
    .get(`/v1/campaigns/drops/${drop.id}/stats`)
    .set(brand.auth);
  expect(stats.body).toMatchObject({
    attempts: 1,
    participants: 1,
    solves: 1,
    reservations: 1,
    purchases: 1,
    unitsSold: 1,
    revenueAmount: 5000,
    currency: 'JPY',
    stockLeft: 2,
  });
  expect(stats.body.conversionRate).toBe(1);
});

test('20 winners check out at once, each with another item too, while the brand cancels the drop: no 5xx, nothing oversold', async () => {
  const { drop, listing } = await createDrop(ctx.app, brand, { stock: 20 });
  const extra = await createListing(ctx.app, brand, { quantity: 10, currency: 'JPY' });
  await waitForStatus(ctx.app, drop.id, 'live');
  const winners = await Promise.all(Array.from({ length: 20 }, () => signUp(ctx.app)));
  const tokens = await Promise.all(
    winners.map(async (w) => (await attempt(w, drop.id, 'Mount Fuji')).body.reservation.token),
  );
  const before = await quantityOf(listing.id);
  const orders = winners.map((w, i) =>
    request(ctx.server)
      .post('/v1/orders')
      .set(w.auth)
      .send({
        items: [
          { listingId: listing.id, quantity: 1 },
          { listingId: extra.id, quantity: 1 },
        ],
        reservationToken: tokens[i],
        shippingAddress: ADDRESS,
      }),
  );
  const cancel = request(ctx.server).post(`/v1/campaigns/drops/${drop.id}/cancel`).set(brand.auth);
  const [answers, canceled] = await Promise.all([Promise.all(orders), cancel]);
  expect(canceled.status).toBe(200);
  const statuses = answers.map((a) => a.status);
  expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
  const placed = answers.filter((a) => a.status === 201);
  expect(placed.length).toBeLessThanOrEqual(10);
  // The extra listing lost exactly what was ordered of it.
  expect(await quantityOf(extra.id)).toBe(10 - placed.length);
  // Units of the drop: ordered ones stay with their orders, the rest went back to the listing.
  expect(await quantityOf(listing.id)).toBe(before + 20 - placed.length);
});

test('a canceled drop order gives its unit back to the pool, not to the listing', async () => {
  const { drop, listing } = await createDrop(ctx.app, brand, { stock: 1 });
  await waitForStatus(ctx.app, drop.id, 'live');
  const buyer = await signUp(ctx.app);
  const { body } = await attempt(buyer, drop.id, 'Mount Fuji');
  const before = await quantityOf(listing.id);
  const created = await request(ctx.server)
    .post('/v1/orders')
    .set(buyer.auth)
    .send({
      items: [{ listingId: listing.id, quantity: 1 }],
      reservationToken: body.reservation.token,
      shippingAddress: ADDRESS,
    });
  await request(ctx.server).post(`/v1/orders/${created.body.id}/cancel`).set(buyer.auth);
  expect(await quantityOf(listing.id)).toBe(before);
  const next = await signUp(ctx.app);
  expect((await attempt(next, drop.id, 'Mount Fuji')).body.correct).toBe(true);
});

test('an unused reservation expires and its unit can be won again', async () => {
  const { drop } = await createDrop(ctx.app, brand, { stock: 1, reservationMinutes: 0.1 });
  await waitForStatus(ctx.app, drop.id, 'live');
  const [first, second] = await Promise.all([signUp(ctx.app), signUp(ctx.app)]);
  expect((await attempt(first!, drop.id, 'Mount Fuji')).body.correct).toBe(true);
  expect((await attempt(second!, drop.id, 'Mount Fuji')).body.error.code).toBe('sold_out');
  await eventually(
    async () =>
      (
        await selectOne<{ status: string }>(
          ctx.db,
          'SELECT status FROM drop_reservations WHERE drop_id = ?',
          [drop.id],
        )
      )?.status === 'expired',
    15_000,
  );
  expect((await attempt(second!, drop.id, 'Mount Fuji')).body.correct).toBe(true);
});
