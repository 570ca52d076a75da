import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../jobs/worker';
import { createApp } from '../../src/app';
import { createDrop, waitForStatus } from '../support/drops';
import { ADDRESS, createListing, signUp, signUpBrand, type TestUser } from '../support/fixtures';
import { startTestContext, type TestContext } from '../support/harness';

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

interface Case {
  name: string;
  /** The route pattern whose hot-path counter should move; the attempt route unless given. */
  route?: string;
  path?: (dropId: string) => string;
  dropId?: () => string;
  /** Authorization header; `member` uses the fresh member's token. */
  auth?: 'member' | 'none' | string;
  contentType?: string;
  body: string | Buffer;
  headers?: Record<string, string>;
  /** Whether the hot path should have taken it (else Express served both). */
  hot: boolean;
}

const json = (value: unknown) => JSON.stringify(value);

const CASES: Case[] = [
  { name: 'wrong answer', body: json({ answer: 'Mount Rainier' }), hot: true },
  { name: 'right answer', body: json({ answer: 'ふじさん' }), hot: true },
  {
    name: 'right answer, full-width and spaced',
    body: json({ answer: ' ＭＯＵＮＴ　fuji ' }),
    hot: true,
  },
  { name: 'malformed JSON', body: '{"answer":', hot: true },
  { name: 'JSON that is not an object', body: '"Mount Fuji"', hot: true },
  { name: 'empty body', body: '', hot: true },
  {
    name: 'byte order mark',
    body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json({ answer: 'Fuji' }))]),
    hot: true,
  },
  { name: 'answer missing', body: json({}), hot: true },
  { name: 'unknown field', body: json({ answer: 'Fuji', extra: 1 }), hot: true },
  { name: 'answer not a string', body: json({ answer: 42 }), hot: true },
  { name: 'no Authorization', auth: 'none', body: json({ answer: 'Fuji' }), hot: true },
  { name: 'malformed Authorization', auth: 'Basic abc', body: json({ answer: 'Fuji' }), hot: true },
  {
    name: 'unknown token',
    auth: `Bearer ${'x'.repeat(43)}`,
    body: json({ answer: 'Fuji' }),
    hot: true,
  },
  { name: 'lower-case scheme', auth: 'lower', body: json({ answer: 'Fuji' }), hot: true },
  {
    name: 'unknown drop',
    dropId: () => 'drp_00000000000000000000000000',
    body: json({ answer: 'Fuji' }),
    hot: true,
  },
  {
    name: 'malformed drop id',
    dropId: () => 'not-an-id',
    body: json({ answer: 'Fuji' }),
    hot: true,
  },
  {
    name: 'drop not live yet',
    dropId: () => scheduledDropId,
    body: json({ answer: 'Fuji' }),
    hot: true,
  },
  {
    name: 'charset utf-8',
    contentType: 'application/json; charset=UTF-8',
    body: json({ answer: 'Fuji' }),
    hot: true,
  },
  {
    name: 'caller request id',
    headers: { 'x-request-id': 'caller-chosen-id-1' },
    body: json({ answer: 'x' }),
    hot: true,
  },
  { name: 'text/plain body', contentType: 'text/plain', body: 'Mount Fuji', hot: true },
  {
    name: 'Idempotency-Key',
    headers: { 'idempotency-key': 'attempt-key-1' },
    body: json({ answer: 'Fuji' }),
    hot: true,
  },
  {
    name: 'Idempotency-Key that is not visible ASCII',
    headers: { 'idempotency-key': 'key with spaces' },
    body: json({ answer: 'Fuji' }),
    hot: true,
  },
  { name: 'body over the limit', body: json({ answer: 'x'.repeat(300_000) }), hot: true },
  ...checkoutCases(),
  // Left to Express by the hot path:
  {
    name: 'query string',
    path: (id) => `/v1/campaigns/drops/${id}/attempts?x=1`,
    body: json({ answer: 'Fuji' }),
    hot: false,
  },
  {
    name: 'percent-encoded id',
    path: () => '/v1/campaigns/drops/drp_%41/attempts',
    body: json({ answer: 'Fuji' }),
    hot: false,
  },
  {
    name: 'latin-1 charset',
    contentType: 'application/json; charset=latin1',
    body: json({ answer: 'Fuji' }),
    hot: false,
  },
];

/** POST /v1/orders is hot too. */
function checkoutCases(): Case[] {
  const order = (items: unknown, extra: Record<string, unknown> = {}) =>
    json({ items, shippingAddress: ADDRESS, ...extra });
  const base = { route: '/v1/orders', path: () => '/v1/orders', hot: true };
  return [
    {
      ...base,
      name: 'checkout: an order',
      body: order([{ listingId: '$listing', quantity: 2 }]),
    },
    {
      ...base,
      name: 'checkout: an unknown coupon',
      body: order([{ listingId: '$listing', quantity: 1 }], { couponCode: 'AAAA-BBBB-CCCC-DDDD' }),
    },
    {
      ...base,
      name: 'checkout: not enough stock',
      body: order([{ listingId: '$listing', quantity: 5000 }]),
    },
    {
      ...base,
      name: 'checkout: unknown listing',
      body: order([{ listingId: 'lst_00000000000000000000000000', quantity: 1 }]),
    },
    { ...base, name: 'checkout: no items', body: order([]) },
    { ...base, name: 'checkout: signed out', auth: 'none', body: order([]) },
    {
      ...base,
      name: 'checkout: with an Idempotency-Key',
      headers: { 'idempotency-key': 'order-key-1' },
      body: order([{ listingId: '$listing', quantity: 1 }]),
    },
  ];
}

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

/** GET /v1/listings is hot too: a browse with its query string, read the same on both paths. */
interface BrowseCase {
  name: string;
  path: string;
  auth?: 'member' | string;
  headers?: Record<string, string>;
  body?: string;
  hot: boolean;
}

const BROWSE_CASES: BrowseCase[] = [
  { name: 'browse: no query', path: '/v1/listings', hot: true },
  { name: 'browse: empty query', path: '/v1/listings?', hot: true },
  { name: 'browse: a search', path: '/v1/listings?q=hot%20path%20lamp&limit=5', hot: true },
  {
    name: 'browse: a prefix and filters',
    path: '/v1/listings?q=hot%20la&category=Lamps&condition=used&currency=USD&minPrice=1&maxPrice=99999',
    hot: true,
  },
  { name: 'browse: repeated parameter', path: '/v1/listings?category=a&category=b', hot: true },
  { name: 'browse: unknown parameter', path: '/v1/listings?colour=red', hot: true },
  { name: 'browse: invalid limit', path: '/v1/listings?limit=0', hot: true },
  { name: 'browse: foreign cursor', path: '/v1/listings?cursor=abc', hot: true },
  { name: 'browse: price without currency', path: '/v1/listings?minPrice=5', hot: true },
  { name: 'browse: control character', path: '/v1/listings?q=a%00b', hot: true },
  { name: 'browse: malformed percent-encoding', path: '/v1/listings?q=%E0%A4%A', hot: true },
  { name: 'browse: signed in', path: '/v1/listings?limit=2', auth: 'member', hot: true },
  {
    name: 'browse: unknown token',
    path: '/v1/listings',
    auth: `Bearer ${'x'.repeat(43)}`,
    hot: true,
  },
  { name: 'browse: malformed Authorization', path: '/v1/listings', auth: 'Basic abc', hot: true },
  {
    name: 'browse: Idempotency-Key (only a POST claims one)',
    path: '/v1/listings?limit=1',
    auth: 'member',
    headers: { 'idempotency-key': 'browse-key-1' },
    hot: true,
  },
  // Left to Express by the hot path:
  { name: 'browse: trailing slash', path: '/v1/listings/?limit=1', hot: false },
  { name: 'browse: upper-case path', path: '/V1/listings?limit=1', hot: false },
  {
    name: 'browse: with a body',
    path: '/v1/listings?limit=1',
    headers: { 'content-type': 'application/json', 'content-length': '5' },
    body: '{"a":',
    hot: false,
  },
];

/** Sent with node:http, which (unlike fetch) sends a body with a GET when asked to. */
function browse(server: Server, member: TestUser, c: BrowseCase) {
  const { port } = server.address() as AddressInfo;
  const auth = c.auth === 'member' ? member.auth.Authorization : c.auth;
  return new Promise<{ status: number; body: unknown; headers: Record<string, string> }>(
    (resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: c.path,
          method: 'GET',
          headers: { ...(auth ? { authorization: auth } : {}), ...c.headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode!,
              body: text ? (JSON.parse(text) as unknown) : undefined,
              headers: res.headers as Record<string, string>,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(c.body);
    },
  );
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
