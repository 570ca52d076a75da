/**
 * A drop's activity over time for its brand's chart: `GET /v1/campaigns/drops/:id/stats?bucket=`
 * adds attempts and solves per minute or hour, counted by the attempt script itself, so the
 * buckets always add up to the totals beside them.
 */
import type { Server } from 'node:http';
import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../../jobs/worker';
import { createDrop, waitForStatus } from '../../support/drops';
import { signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';

let ctx: TestContext;
let server: Server;
let workers: RunningWorkers;

beforeAll(async () => {
  ctx = await startTestContext();
  server = ctx.app.listen(0);
  workers = await startWorkers(ctx.deps, ctx.services);
});

afterAll(async () => {
  await workers.close();
  await new Promise((resolve) => server.close(resolve));
  await ctx.close();
});

const attempt = (user: TestUser, dropId: string, answer: string) =>
  request(server).post(`/v1/campaigns/drops/${dropId}/attempts`).set(user.auth).send({ answer });

interface Point {
  at: string;
  attempts: number;
  solves: number;
}

test('attempts and solves per minute and per hour add up to the totals', async () => {
  const brand = await signUpBrand(ctx.app, 'Chart Makers');
  const { drop } = await createDrop(ctx.app, brand, { stock: 3 });

  const before = await request(server)
    .get(`/v1/campaigns/drops/${drop.id}/stats?bucket=minute`)
    .set(brand.auth);
  expect(before.status).toBe(200);
  expect(before.body.activity).toEqual({ bucket: 'minute', points: [] });

  await waitForStatus(ctx.app, drop.id, 'live');
  const started = Date.now();
  const members = await Promise.all(
    [0, 1, 2].map((i) => signUp(ctx.app, { displayName: `P${i}` })),
  );
  expect((await attempt(members[0]!, drop.id, 'Tokyo Tower')).body.correct).toBe(false);
  expect((await attempt(members[0]!, drop.id, 'Mount Fuji')).body.correct).toBe(true);
  expect((await attempt(members[1]!, drop.id, 'Kyoto')).body.correct).toBe(false);
  expect((await attempt(members[2]!, drop.id, 'mount fuji')).body.correct).toBe(true);
  const ended = Date.now();

  const minute = await request(server)
    .get(`/v1/campaigns/drops/${drop.id}/stats?bucket=minute`)
    .set(brand.auth);
  expect(minute.status).toBe(200);
  expect(minute.body).toMatchObject({ attempts: 4, solves: 2 });
  const points = minute.body.activity.points as Point[];
  expect(minute.body.activity.bucket).toBe('minute');
  // The attempts took a few seconds: one bucket, or two if a minute turned meanwhile.
  expect(points.length).toBeGreaterThanOrEqual(1);
  expect(points.length).toBeLessThanOrEqual(2);
  expect(points.reduce((sum, p) => sum + p.attempts, 0)).toBe(4);
  expect(points.reduce((sum, p) => sum + p.solves, 0)).toBe(2);
  for (const point of points) {
    const at = Date.parse(point.at);
    expect(at % 60_000).toBe(0);
    expect(at).toBeGreaterThan(Math.floor(started / 60_000) * 60_000 - 60_000);
    expect(at).toBeLessThanOrEqual(ended);
  }

  const hour = await request(server)
    .get(`/v1/campaigns/drops/${drop.id}/stats?bucket=hour`)
    .set(brand.auth);
  const hours = hour.body.activity.points as Point[];
  expect(hours.every((p) => Date.parse(p.at) % 3_600_000 === 0)).toBe(true);
  expect(hours.reduce((sum, p) => sum + p.attempts, 0)).toBe(4);
  expect(hours.reduce((sum, p) => sum + p.solves, 0)).toBe(2);

  // Without the parameter the answer is as before: no series.
  const plain = await request(server).get(`/v1/campaigns/drops/${drop.id}/stats`).set(brand.auth);
  expect(plain.body.activity).toBeUndefined();
});

test('an unknown bucket is refused with a 400 naming the parameter', async () => {
  const brand = await signUpBrand(ctx.app, 'Bucket Checkers');
  const { drop } = await createDrop(ctx.app, brand, {}, 60_000);
  const res = await request(server)
    .get(`/v1/campaigns/drops/${drop.id}/stats?bucket=second`)
    .set(brand.auth);
  expect(res.status).toBe(400);
  expect(res.body.error).toMatchObject({ type: 'invalid_request', param: 'bucket' });
});

test("another brand cannot read a drop's activity", async () => {
  const owner = await signUpBrand(ctx.app, 'Owner Brand');
  const other = await signUpBrand(ctx.app, 'Curious Brand');
  const { drop } = await createDrop(ctx.app, owner, {}, 60_000);
  const res = await request(server)
    .get(`/v1/campaigns/drops/${drop.id}/stats?bucket=minute`)
    .set(other.auth);
  expect([403, 404]).toContain(res.status);
  expect(res.body.activity).toBeUndefined();
});
