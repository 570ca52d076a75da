import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../../jobs/worker';
import { selectOne } from '../../../src/db/sql';
import { createDrop, waitForStatus } from '../../support/drops';
import { DisposableRedis } from '../../support/fault-servers';
import {
  ADDRESS,
  createListing,
  eventually,
  signUp,
  signUpBrand,
  type TestUser,
  createOffer,
} from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';

let redis: DisposableRedis;
let ctx: TestContext;
let workers: RunningWorkers;

beforeAll(async () => {
  redis = await DisposableRedis.start();
  ctx = await startTestContext({ env: { REDIS_URL: redis.url } });
  workers = await startWorkers(ctx.deps, ctx.services);
});

afterAll(async () => {
  await workers?.close();
  await ctx?.close();
  await redis?.dispose();
});

const TABLES = ['orders', 'point_conversions', 'coupon_batches', 'finance_exports', 'airdrops'];

async function counts(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await selectOne<{ n: number }>(ctx.db, `SELECT COUNT(*) AS n FROM ${table}`);
    result[table] = Number(row!.n);
  }
  return result;
}

/** Every answer comes back promptly, in the error shape, as 503 `unavailable`. */
function expectUnavailable(res: request.Response) {
  expect(res.status).toBe(503);
  expect(res.body.error).toMatchObject({ type: 'unavailable', code: 'service_unavailable' });
  expect(res.headers['x-request-id']).toBeDefined();
}

async function postNoteFor(member: TestUser) {
  const res = await request(ctx.app)
    .post('/v1/notes')
    .set(member.auth)
    .send({
      clientId: crypto.randomUUID(),
      title: 'Tea',
      body: 'Matcha',
      languages: ['ja', 'en'],
    });
  expect(res.status).toBe(201);
}

test('Redis stops during traffic: readiness 503, Redis-bound requests 503 in the error shape with nothing half-written, MySQL-only requests still served; Redis back: recovered without a restart', async () => {
  const brand = await signUpBrand(ctx.app);
  const { drop } = await createDrop(ctx.app, brand, { stock: 3 });
  await waitForStatus(ctx.app, drop.id, 'live');
  const seller = await signUp(ctx.app);
  const listing = await createListing(ctx.app, seller, { quantity: 10 });
  const member = await signUp(ctx.app);
  await postNoteFor(member);
  const offer = await createOffer(ctx.app, brand, {
    title: 'Outage offer',
    pointsCost: 10,
    coupon: { discountType: 'percent', percentOff: 5, validDays: 10 },
    budget: 10,
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    endsAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  const attempt = (who: TestUser) =>
    request(ctx.app)
      .post(`/v1/campaigns/drops/${drop.id}/attempts`)
      .set(who.auth)
      .send({ answer: 'Mount Fuji' });
  expect((await attempt(member)).status).toBe(200);

  await redis.down();
  const before = await counts();
  const started = Date.now();

  const ready = await request(ctx.app).get('/readyz');
  expect(ready.status).toBe(503);
  expect(ready.body.checks).toEqual({ mysql: 'ok', redis: 'down' });
  expect((await request(ctx.app).get('/healthz')).status).toBe(200);
  // What needs only MySQL keeps working, signed-in members included (sessions fall back to MySQL).
  expect((await request(ctx.app).get('/v1/listings')).status).toBe(200);
  // A drop is read from MySQL; only its live pool (soldOut) is Redis's, and unknown then.
  const shown = await request(ctx.app).get(`/v1/campaigns/drops/${drop.id}`);
  expect(shown.status).toBe(200);
  expect(shown.body).toMatchObject({ id: drop.id, status: 'live', soldOut: false });
  const listed = await request(ctx.app).get('/v1/campaigns/drops?status=live');
  expect(listed.status).toBe(200);
  expect(listed.body.data.map((d: { id: string }) => d.id)).toContain(drop.id);
  const freshMember = await signUp(ctx.app);
  expect((await request(ctx.app).get('/v1/me').set(freshMember.auth)).status).toBe(200);

  expectUnavailable(await attempt(freshMember));
  expectUnavailable(
    await request(ctx.app)
      .post('/v1/points/conversions')
      .set(member.auth)
      .send({ offerId: offer.id }),
  );
  expectUnavailable(
    await request(ctx.app)
      .post('/v1/brands/me/coupon-batches')
      .set(brand.auth)
      .send({
        count: 10,
        discountType: 'percent',
        percentOff: 10,
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      }),
  );
  expectUnavailable(
    await request(ctx.app).post(`/v1/campaigns/points-offers/${offer.id}/airdrop`).set(brand.auth),
  );
  expectUnavailable(
    await request(ctx.app)
      .post('/v1/orders')
      .set(member.auth)
      .set('Idempotency-Key', 'outage-order-1')
      .send({ items: [{ listingId: listing.id, quantity: 1 }], shippingAddress: ADDRESS }),
  );
  expect(await counts()).toEqual(before);
  // No request waited for Redis to come back.
  expect(Date.now() - started).toBeLessThan(10_000);

  // An order needs only MySQL: it is taken, with its stock held; its expiry is the sweep's if the job could not be queued.
  const order = await request(ctx.app)
    .post('/v1/orders')
    .set(member.auth)
    .send({ items: [{ listingId: listing.id, quantity: 2 }], shippingAddress: ADDRESS });
  expect(order.status).toBe(201);
  const stock = await selectOne<{ quantity: number }>(
    ctx.db,
    'SELECT quantity FROM listings WHERE id = ?',
    [listing.id],
  );
  expect(stock!.quantity).toBe(8);

  await redis.up();
  await eventually(async () => (await request(ctx.app).get('/readyz')).status === 200, 15_000);
  const again = await attempt(freshMember);
  expect(again.status).toBe(200);
  expect(again.body.correct).toBe(true);
  const conversion = await request(ctx.app)
    .post('/v1/points/conversions')
    .set(member.auth)
    .send({ offerId: offer.id });
  expect(conversion.status).toBe(202);
  const settled = await eventually(async () => {
    const res = await request(ctx.app)
      .get(`/v1/points/conversions/${conversion.body.id}`)
      .set(member.auth);
    return res.body.status === 'completed' ? res.body : null;
  }, 15_000);
  expect(settled.couponCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  const replayed = await request(ctx.app)
    .post('/v1/orders')
    .set(member.auth)
    .set('Idempotency-Key', 'outage-order-1')
    .send({ items: [{ listingId: listing.id, quantity: 1 }], shippingAddress: ADDRESS });
  expect(replayed.status).toBe(201);
}, 60_000);
