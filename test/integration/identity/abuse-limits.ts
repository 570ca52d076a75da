import type { App } from '../../../src/http/front-door';
import request from 'supertest';
import { createApp, createServices } from '../../../src/app';
import { LIMITS } from '../../../src/http/rate-limit';
import { createDrop, waitForStatus } from '../../support/drops';
import { createOffer, signUp, signUpBrand } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const ctx = useTestApp({ env: { RATE_LIMIT_SCALE: '1' }, workers: true });
/** A second API process: same MySQL and Redis, its own memory. */
let other: App;

beforeAll(async () => {
  other = createApp(ctx.deps, createServices(ctx.deps));
});

function expectLimited(res: request.Response) {
  expect(res.status).toBe(429);
  expect(res.body.error).toMatchObject({ type: 'rate_limited' });
  expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
}

const signupBody = (i: number) => ({
  email: `abuse${i}-${Date.now()}@example.com`,
  password: 'long enough pass',
  displayName: 'A',
  country: 'JP',
  accountType: 'member',
});

test('signups from one address are limited across API processes, with Retry-After', async () => {
  const ip = '10.9.0.1';
  const answers = [];
  for (let i = 0; i < LIMITS.signupPerIp.points + 2; i += 1) {
    const app = i % 2 === 0 ? ctx.app : other;
    answers.push(
      await request(app).post('/v1/auth/signup').set('X-Forwarded-For', ip).send(signupBody(i)),
    );
  }
  expect(answers.filter((a) => a.status === 201)).toHaveLength(LIMITS.signupPerIp.points);
  expectLimited(answers.at(-1)!);
  // Another address is not affected.
  const elsewhere = await request(ctx.app)
    .post('/v1/auth/signup')
    .set('X-Forwarded-For', '10.9.0.2')
    .send(signupBody(999));
  expect(elsewhere.status).toBe(201);
}, 30_000);

test("a member's drop attempts are limited per window across API processes; others still get through", async () => {
  const brand = await signUpBrand(ctx.app);
  const { drop } = await createDrop(ctx.app, brand, { maxAttemptsPerUser: 100 });
  await waitForStatus(ctx.app, drop.id, 'live');
  const member = await signUp(ctx.app);
  const limit = LIMITS.dropAttemptsPerMember.points;
  const answers = await Promise.all(
    Array.from({ length: limit + 5 }, (_, i) =>
      request(i % 2 === 0 ? ctx.app : other)
        .post(`/v1/campaigns/drops/${drop.id}/attempts`)
        .set(member.auth)
        .send({ answer: 'wrong guess' }),
    ),
  );
  const allowed = answers.filter((a) => a.status === 200);
  expect(allowed).toHaveLength(limit);
  const limited = answers.filter((a) => a.status === 429);
  expect(limited).toHaveLength(5);
  for (const res of limited) {
    expectLimited(res);
    expect(res.body.error.code).toBe('rate_limited');
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(
      LIMITS.dropAttemptsPerMember.windowSeconds,
    );
  }
  // Refused attempts are not counted as wrong answers: the member used exactly `limit` of 100.
  expect(allowed.at(-1)!.body.attemptsLeft).toBeGreaterThanOrEqual(100 - limit);
  const stats = await request(ctx.app).get(`/v1/campaigns/drops/${drop.id}/stats`).set(brand.auth);
  expect(stats.body.attempts).toBe(limit);

  const someoneElse = await signUp(ctx.app);
  const fine = await request(other)
    .post(`/v1/campaigns/drops/${drop.id}/attempts`)
    .set(someoneElse.auth)
    .send({ answer: 'Mount Fuji' });
  expect(fine.status).toBe(200);
  expect(fine.body.correct).toBe(true);
}, 30_000);

test('conversion requests are limited per member, with Retry-After, and a refused one writes nothing', async () => {
  const brand = await signUpBrand(ctx.app);
  const offer = await createOffer(ctx.app, brand, {
    title: 'Limited',
    pointsCost: 1000,
    coupon: { discountType: 'percent', percentOff: 5, validDays: 10 },
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    endsAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  const member = await signUp(ctx.app);
  const limit = LIMITS.conversionsPerUser.points;
  const answers = [];
  for (let i = 0; i < limit + 1; i += 1) {
    answers.push(
      await request(i % 2 === 0 ? ctx.app : other)
        .post('/v1/points/conversions')
        .set(member.auth)
        .send({ offerId: offer.id }),
    );
  }
  // Short of points, each is refused at once (409), and still counts against the limit.
  expect(answers.slice(0, limit).map((a) => a.body.error?.code)).toEqual(
    Array(limit).fill('insufficient_points'),
  );
  expectLimited(answers.at(-1)!);
  const rows = await ctx.db.query(
    'SELECT COUNT(*) AS n FROM point_conversions WHERE member_id = ?',
    [member.id],
  );
  expect(Number((rows as Array<{ n: number }>)[0]!.n)).toBe(0);
}, 30_000);
