/**
 * Per-brand quotas (issue 19.9): coupon codes per day and batches per hour, drops and offers
 * per day, airdrops per hour, each a 429 `rate_limited` with Retry-After once used up, counted
 * per brand (another brand is not affected). Small quotas here, with RATE_LIMIT_SCALE=1 (the
 * other tests run with limits off).
 */
import type { Server } from 'node:http';
import request from 'supertest';
import { createDrop } from '../../support/drops';
import { createOffer, signUpBrand, type TestUser } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';

let ctx: TestContext;
let server: Server;

beforeAll(async () => {
  ctx = await startTestContext({
    env: {
      RATE_LIMIT_SCALE: '1',
      COUPON_CODES_PER_DAY: '100',
      COUPON_BATCHES_PER_HOUR: '3',
      DROPS_PER_DAY: '1',
      OFFERS_PER_DAY: '1',
      AIRDROPS_PER_HOUR: '1',
    },
  });
  server = ctx.app.listen(0);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await ctx.close();
});

const batch = (brand: TestUser, count: number) =>
  request(server)
    .post('/v1/brands/me/coupon-batches')
    .set(brand.auth)
    .send({
      count,
      discountType: 'percent',
      percentOff: 10,
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });

function expectQuotaRefusal(res: request.Response) {
  expect(res.status).toBe(429);
  expect(res.body.error).toMatchObject({ type: 'rate_limited', code: 'rate_limited' });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

test('coupon codes per day: a batch past the quota is refused, a smaller one still fits', async () => {
  const brand = await signUpBrand(ctx.app, 'Many Codes Co');
  expect((await batch(brand, 60)).status).toBe(201);
  expectQuotaRefusal(await batch(brand, 41));
  // The refused batch counted neither its codes nor itself: 40 codes are left, and a batch.
  expect((await batch(brand, 40)).status).toBe(201);
  expectQuotaRefusal(await batch(brand, 1));
  // Another brand has its own quota.
  const other = await signUpBrand(ctx.app, 'Other Codes Co');
  expect((await batch(other, 100)).status).toBe(201);
});

test('coupon batches per hour', async () => {
  const brand = await signUpBrand(ctx.app, 'Many Batches Co');
  for (let i = 0; i < 3; i += 1) expect((await batch(brand, 1)).status).toBe(201);
  expectQuotaRefusal(await batch(brand, 1));
});

test('drops per day', async () => {
  const brand = await signUpBrand(ctx.app, 'Many Drops Co');
  await createDrop(ctx.app, brand, {}, 3_600_000);
  await expect(createDrop(ctx.app, brand, {}, 3_600_000)).rejects.toThrow('drop failed: 429');
});

test('offers per day and airdrops per hour', async () => {
  const brand = await signUpBrand(ctx.app, 'Many Offers Co');
  const offer = await createOffer(ctx.app, brand);
  await expect(createOffer(ctx.app, brand)).rejects.toThrow(/429/);
  const airdrop = () =>
    request(server).post(`/v1/campaigns/points-offers/${offer.id}/airdrop`).set(brand.auth);
  expect((await airdrop()).status).toBe(202);
  expectQuotaRefusal(await airdrop());
});
