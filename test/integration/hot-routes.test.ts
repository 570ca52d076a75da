import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../jobs/worker';
import { createApp } from '../../src/app';
import { createDrop, waitForStatus } from '../support/drops';
import { ADDRESS, createListing, signUp, signUpBrand, type TestUser } from '../support/fixtures';
import { startTestContext, type TestContext } from '../support/harness';
import { type Case, attemptCases, json } from './hot-routes/attempt-cases';
import { BROWSE_CASES, browse } from './hot-routes/browse-cases';

/**
 * The drop attempt, checkout and browse routes are served outside Express when the request is
 * plain (src/http/hot-routes.ts). Every request here goes to two apps on the same database and
 * Redis, one with the hot path and one without, each time for a fresh member of its own, and
 * the answers must be the same: status, body and headers.
 */

let ctx: TestContext;
let workers: RunningWorkers;
let hot: Server;
let plain: Server;
let liveDropId: string;
let scheduledDropId: string;
let shopListingId: string;

beforeAll(async () => {
  ctx = await startTestContext();
  workers = await startWorkers(ctx.deps, ctx.services);
  hot = ctx.app.listen(0);
  plain = createApp({ ...ctx.deps, hotRoutes: false }, ctx.services).listen(0);
  const brand = await signUpBrand(ctx.app);
  const live = await createDrop(ctx.app, brand, { stock: 50, maxAttemptsPerUser: 3 });
  const later = await createDrop(ctx.app, brand, {}, 3_600_000);
  liveDropId = live.drop.id;
  const seller = await signUp(ctx.app);
  shopListingId = (await createListing(ctx.app, seller, { quantity: 1000 })).id;
  for (const title of ['Hot path lamp', 'Hot path lantern', 'Brass lamp'])
    await createListing(ctx.app, seller, { title, category: 'lamps', condition: 'used' });
  scheduledDropId = later.drop.id;
  await waitForStatus(ctx.app, liveDropId, 'live');
});

afterAll(async () => {
  await workers.close();
  await new Promise((resolve) => hot.close(resolve));
  await new Promise((resolve) => plain.close(resolve));
  await ctx.close();
});

const COMPARED_HEADERS = [
  'content-type',
  'content-length',
  'cache-control',
  'content-security-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
  'retry-after',
];

const CASES = attemptCases(() => scheduledDropId);

/** Replaces what differs by design between two answers (fresh tokens, times, ids). */
function comparable(body: unknown): unknown {
  return JSON.parse(
    JSON.stringify(body)
      .replace(/rsv_[A-Za-z0-9_-]+/g, 'rsv_*')
      .replace(/\b[a-z]{3}_[0-9a-hjkmnp-tv-z]{26}\b/g, 'ID')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'TIME'),
  );
}

async function hotCount(route = '/v1/campaigns/drops/:id/attempts'): Promise<number> {
  const text = (await request(hot).get('/metrics')).text;
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`http_hot_path_requests_total{route="${route}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Sent with fetch, so the body goes out byte for byte as written. */
async function send(server: Server, member: TestUser, c: Case) {
  const dropId = c.dropId?.() ?? liveDropId;
  const path = c.path?.(dropId) ?? `/v1/campaigns/drops/${dropId}/attempts`;
  const auth =
    c.auth === undefined || c.auth === 'member'
      ? member.auth.Authorization
      : c.auth === 'lower'
        ? member.auth.Authorization.replace('Bearer', 'bearer')
        : c.auth;
  const { port } = server.address() as AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: {
      'content-type': c.contentType ?? 'application/json',
      ...(auth !== 'none' ? { authorization: auth } : {}),
      ...c.headers,
    },
    body: typeof c.body === 'string' ? c.body.replace('$listing', shopListingId) : c.body,
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as unknown) : undefined,
    headers: Object.fromEntries(res.headers.entries()),
  };
}

describe('the hot path answers exactly as Express does', () => {
  test.each(CASES)('$name', async (c) => {
    const [one, two] = await Promise.all([signUp(ctx.app), signUp(ctx.app)]);
    const before = await hotCount(c.route);
    const viaHot = await send(hot, one, c);
    const served = (await hotCount(c.route)) - before;
    const viaExpress = await send(plain, two, c);

    expect(served).toBe(c.hot ? 1 : 0);
    expect({ status: viaHot.status, body: comparable(viaHot.body) }).toEqual({
      status: viaExpress.status,
      body: comparable(viaExpress.body),
    });
    for (const name of COMPARED_HEADERS) {
      // A reservation's token and expiry differ in length only if the body differs.
      if (name === 'content-length' && viaHot.status === 200) continue;
      expect([name, viaHot.headers[name]]).toEqual([name, viaExpress.headers[name]]);
    }
    expect(viaHot.headers['x-request-id']).toBeTruthy();
    if (c.headers?.['x-request-id'])
      expect(viaHot.headers['x-request-id']).toBe(c.headers['x-request-id']);
    expect(viaHot.status).toBeLessThan(500);
  });

  test.each(BROWSE_CASES)('$name', async (c) => {
    const member = await signUp(ctx.app);
    const before = await hotCount('/v1/listings');
    const viaHot = await browse(hot, member, c);
    const served = (await hotCount('/v1/listings')) - before;
    const viaExpress = await browse(plain, member, c);

    expect(served).toBe(c.hot ? 1 : 0);
    expect({ status: viaHot.status, body: viaHot.body }).toEqual({
      status: viaExpress.status,
      body: viaExpress.body,
    });
    for (const name of [...COMPARED_HEADERS, 'idempotent-replayed'])
      expect([name, viaHot.headers[name]]).toEqual([name, viaExpress.headers[name]]);
    expect(viaHot.headers['x-request-id']).toBeTruthy();
    expect(viaHot.status).toBeLessThan(500);
  });

  test('with CORS configured every attempt goes through Express, so the cors headers are always there', async () => {
    const corsApp = createApp(
      { ...ctx.deps, config: { ...ctx.deps.config, CORS_ORIGINS: ['https://shop.example'] } },
      ctx.services,
    );
    const server = corsApp.listen(0);
    try {
      const member = await signUp(ctx.app);
      const wrong: Case = { name: 'wrong', body: json({ answer: 'Mount Rainier' }), hot: false };
      const res = await send(server, member, wrong);
      expect(res.status).toBe(200);
      expect(res.headers.vary).toContain('Origin');
      const metrics = (await request(corsApp).get('/metrics')).text;
      expect(metrics).not.toMatch(/^http_hot_path_requests_total\{/m);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('a checkout sent twice with one Idempotency-Key: one order, the second answer replayed', async () => {
    const member = await signUp(ctx.app);
    const c: Case = {
      name: 'twice',
      route: '/v1/orders',
      path: () => '/v1/orders',
      headers: { 'idempotency-key': 'twice-1' },
      body: json({ items: [{ listingId: '$listing', quantity: 1 }], shippingAddress: ADDRESS }),
      hot: true,
    };
    const before = await hotCount('/v1/orders');
    const [first, second] = [await send(hot, member, c), await send(hot, member, c)];
    expect((await hotCount('/v1/orders')) - before).toBe(2);
    expect(first.status).toBe(201);
    expect(second).toMatchObject({ status: 201, body: first.body });
    expect(second.headers['idempotent-replayed']).toBe('true');
    const mine = await request(ctx.app).get('/v1/orders?role=buyer').set(member.auth);
    expect(mine.body.data).toHaveLength(1);
    const changed = await send(hot, member, { ...c, body: c.body.toString().replace('1}', '2}') });
    expect(changed).toMatchObject({
      status: 409,
      body: { error: { code: 'idempotency_key_reused' } },
    });
  });

  test('attempts count the same on both paths: the third wrong answer exhausts a member either way', async () => {
    const [one, two] = await Promise.all([signUp(ctx.app), signUp(ctx.app)]);
    const wrong: Case = { name: 'wrong', body: json({ answer: 'Mount Rainier' }), hot: true };
    const statuses = async (server: Server, member: TestUser) => {
      const out: Array<[number, unknown]> = [];
      for (let i = 0; i < 4; i += 1) {
        const res = await send(server, member, wrong);
        out.push([res.status, res.body]);
      }
      return out;
    };
    const [viaHot, viaExpress] = [await statuses(hot, one), await statuses(plain, two)];
    expect(viaHot).toEqual(viaExpress);
    expect(viaHot.map(([status]) => status)).toEqual([200, 200, 200, 429]);
  });
});
