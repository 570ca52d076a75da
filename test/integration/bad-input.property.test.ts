/**
 * Property tests over every endpoint of the API (the paths of GET /openapi.json, plus the ops
 * endpoints): generated bad input never gets a 5xx, every error answer has API.md's shape and
 * the `type` of its status, and a rejected request writes nothing.
 *
 * Runs per endpoint and property: BAD_INPUT_RUNS (default 60). Seed: BAD_INPUT_SEED.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import querystring from 'node:querystring';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import request from 'supertest';
import {
  badRequestArb,
  validRequest,
  type BadRequestOptions,
  type WireRequest,
} from '../support/bad-requests';
import type { UserName, World } from '../support/bad-values';
import { createDrop, PUZZLE } from '../support/drops';
import { ADDRESS, createListing, signUp, signUpBrand, type TestUser } from '../support/fixtures';
import { startTestContext, type TestContext } from '../support/harness';
import { newToken } from '../../src/accounts/tokens';
import { execute } from '../../src/db/sql';
import { declaredNames, endpointsFromOpenApi, type Endpoint } from '../support/openapi-endpoints';
import {
  closeWireAgent,
  countChanges,
  describeExchange,
  sendWire,
  tableCounts,
  type WireResponse,
} from '../support/raw-http';

const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 60);
const SEED = Number(process.env.BAD_INPUT_SEED ?? 20261125);
const DAY = 86_400_000;

let ctx: TestContext;
let server: Server;
let world: World;
let users: Record<UserName, TestUser>;
let endpoints: Endpoint[];
let validBodies: Record<string, unknown>;
let validQueries: Record<string, Record<string, string>>;
const fixtures: Record<string, string> = {};

async function post(path: string, user: TestUser, body: object) {
  const res = await request(server).post(path).set(user.auth).send(body);
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

function noteBody() {
  return { clientId: randomUUID(), title: 'Tea in Uji', body: 'First flush.', languages: ['ja'] };
}

beforeAll(async () => {
  ctx = await startTestContext();
  server = ctx.app.listen(0);
  const app = ctx.app;
  const member = await signUp(app);
  const buyer = await signUp(app, { country: 'BR', timezone: 'America/Sao_Paulo' });
  const brand = await signUpBrand(app);
  const [finance, moderator, admin] = await Promise.all([signUp(app), signUp(app), signUp(app)]);
  await ctx.services.accounts.grantRole(finance.email, 'finance');
  await ctx.services.accounts.grantRole(moderator.email, 'moderator');
  await ctx.services.accounts.grantRole(admin.email, 'admin');
  users = { member, buyer, brand, finance, moderator, admin };
  await buildWorld();
  const doc = await request(server).get('/openapi.json');
  endpoints = orderedForState(endpointsFromOpenApi(doc.body));
}, 60_000);

/**
 * Fresh listings, orders, a drop, a note, coupons, an offer, a conversion, an airdrop and an
 * export, so each property starts with ids that exist and states that allow something.
 */
async function buildWorld(): Promise<void> {
  const app = ctx.app;
  const { member, buyer, brand, finance } = users;
  const listing = await createListing(app, brand, { quantity: 1_000_000 });
  const memberListing = await createListing(app, member);
  const dropListing = await createListing(app, brand, { quantity: 1_000_000, currency: 'JPY' });
  const order = await post('/v1/orders', buyer, {
    items: [{ listingId: listing.id, quantity: 1 }],
    shippingAddress: ADDRESS,
  });
  const paid = await post('/v1/orders', buyer, {
    items: [{ listingId: listing.id, quantity: 1 }],
    shippingAddress: ADDRESS,
  });
  await post(`/v1/orders/${paid.id}/pay`, buyer, {});
  const { drop } = await createDrop(app, brand, {}, 7 * DAY);
  const note = await post('/v1/notes', member, noteBody());
  const expiresAt = new Date(Date.now() + 30 * DAY).toISOString();
  const batch = await post('/v1/brands/me/coupon-batches', brand, {
    count: 2,
    discountType: 'percent',
    percentOff: 10,
    expiresAt,
  });
  await ctx.services.coupons.generateBatch(batch.id, async () => {});
  const csv = await request(server)
    .get(`/v1/brands/me/coupon-batches/${batch.id}/codes.csv`)
    .set(brand.auth);
  const couponCodes = csv.text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0] ?? '');
  const offerBody = {
    title: 'Tea points',
    pointsCost: 10,
    coupon: { discountType: 'percent', percentOff: 10, validDays: 30 },
    budget: 100,
    startsAt: new Date().toISOString(),
    endsAt: expiresAt,
  };
  const offer = await post('/v1/campaigns/points-offers', brand, offerBody);
  const conversion = await post('/v1/points/conversions', member, { offerId: offer.id });
  const airdrop = await post(`/v1/campaigns/points-offers/${offer.id}/airdrop`, brand, {});
  const exportRun = await post('/v1/finance/exports', finance, {
    from: '2026-11-01',
    to: '2026-11-30',
  });
  Object.assign(fixtures, {
    listing: listing.id,
    order: order.id,
    paidOrder: paid.id,
    drop: drop.id,
    note: note.id,
    batch: batch.id,
    offer: offer.id,
    conversion: conversion.id,
    job: airdrop.jobId,
    export: exportRun.id,
    coupon: couponCodes[0] ?? '',
  });

  world = {
    tokens: Object.fromEntries(
      Object.entries(users).map(([name, user]) => [name, user.token]),
    ) as Record<UserName, string>,
    ids: {
      usr: Object.values(users).map((u) => u.id),
      brd: [brand.brandId ?? ''],
      lst: [listing.id, memberListing.id, dropListing.id],
      ord: [order.id, paid.id],
      drp: [drop.id],
      nte: [note.id],
      cpb: [batch.id],
      pof: [offer.id],
      cnv: [conversion.id],
      adr: [airdrop.jobId],
      exp: [exportRun.id],
    },
    couponCodes,
  };
  validBodies = {
    'POST /v1/auth/signup': {
      email: `bad-input-${randomUUID()}@example.com`,
      password: 'correct horse battery',
      displayName: 'Prop',
      country: 'JP',
      accountType: 'member',
    },
    'POST /v1/auth/login': { email: member.email, password: 'correct horse battery' },
    'PATCH /v1/me': { displayName: 'Renamed' },
    'POST /v1/listings': {
      title: 'Tea bowl',
      description: 'Hand thrown',
      priceAmount: 2000,
      currency: 'USD',
      quantity: 5,
      category: 'ceramics',
      condition: 'handmade',
    },
    'PATCH /v1/listings/{id}': { priceAmount: 2100 },
    'POST /v1/orders': {
      items: [{ listingId: listing.id, quantity: 1 }],
      shippingAddress: ADDRESS,
    },
    'POST /v1/orders/{id}/ship': { carrier: 'Yamato', trackingNumber: '1234' },
    'POST /v1/orders/{id}/refund': { amount: 1 },
    'POST /v1/brands/me/coupon-batches': {
      count: 1,
      discountType: 'percent',
      percentOff: 10,
      expiresAt,
    },
    'POST /v1/campaigns/drops': {
      title: 'Fuji drop',
      listingId: dropListing.id,
      stock: 1,
      startsAt: new Date(Date.now() + 7 * DAY).toISOString(),
      timezone: 'Asia/Tokyo',
      durationHours: 1,
      puzzle: PUZZLE,
    },
    'PATCH /v1/campaigns/drops/{id}': { title: 'Renamed drop' },
    'POST /v1/campaigns/drops/{id}/attempts': { answer: 'Mount Fuji' },
    'POST /v1/finance/exports': { from: '2026-11-01', to: '2026-11-30', timezone: 'Asia/Tokyo' },
    'POST /v1/notes': noteBody(),
    'POST /v1/notes/sync': { notes: [noteBody()] },
    'POST /v1/moderation/notes/{id}/reject': { reason: 'spam' },
    'POST /v1/campaigns/points-offers': offerBody,
    'POST /v1/points/conversions': { offerId: offer.id },
  };
  validQueries = {
    'GET /v1/finance/orders.csv': { from: '2026-11-01', to: '2026-11-30' },
    'GET /v1/coupons/{code}/preview': { listingId: listing.id, quantity: '1' },
  };
}

/** Endpoints that end what other endpoints need (archive, cancel, reject...) go last. */
function orderedForState(list: Endpoint[]): Endpoint[] {
  const ends = (e: Endpoint) =>
    e.method === 'DELETE' || /\/(cancel|complete|refund|reject|approve|airdrop)$/.test(e.template);
  return [...list.filter((e) => !ends(e)), ...list.filter(ends)];
}

afterAll(async () => {
  closeWireAgent();
  await new Promise((resolve) => server.close(resolve));
  await ctx.close();
});

function optionsFor(endpoint: Endpoint): BadRequestOptions {
  return {
    world,
    validBody: validBodies[endpoint.key],
    validQuery: validQueries[endpoint.key],
  };
}

/**
 * Logout signs out the token it is sent with: the users get new tokens,
 * so the requests generated after it still carry working tokens.
 */
async function signInAgainAfter(endpoint: Endpoint, status: number): Promise<void> {
  if (status < 200 || status >= 300) return;
  if (endpoint.key !== 'POST /v1/auth/logout') return;
  const now = new Date();
  for (const [name, user] of Object.entries(users) as Array<[UserName, TestUser]>) {
    // Written straight to MySQL, like a sign-in would: it needs no password (one may be changed).
    const { token, hash } = newToken();
    await execute(
      ctx.sequelize,
      'INSERT INTO auth_tokens (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
      [hash, user.id, now, new Date(now.getTime() + DAY)],
    );
    user.token = token;
    user.auth = { Authorization: `Bearer ${token}` };
    world.tokens[name] = token;
  }
}

/** Tokens in reports read as `<member token>`. */
function readable(text: string): string {
  let out = text;
  for (const [name, token] of Object.entries(world.tokens))
    out = out.split(token).join(`<${name} token>`);
  return out;
}

// ---------------------------------------------------------------- the invariants

/** API.md's status -> error type table. */
const TYPES_BY_STATUS: Record<number, string[]> = {
  400: ['invalid_request'],
  401: ['authentication'],
  403: ['permission'],
  404: ['not_found'],
  409: ['conflict', 'idempotency'],
  413: ['invalid_request'],
  415: ['invalid_request'],
  429: ['rate_limited'],
};

/** 400s about the request as a whole, not one of its fields. */
const REQUEST_LEVEL_CODES = new Set([
  'malformed_json',
  'malformed_body',
  'malformed_url',
  'request_aborted',
  'idempotency_key_invalid',
]);

function parsedBody(wire: WireRequest): unknown {
  if (wire.body === undefined) return undefined;
  try {
    const raw =
      wire.headers['Content-Encoding'] === 'gzip' && Buffer.isBuffer(wire.body)
        ? gunzipSync(wire.body)
        : wire.body;
    return JSON.parse(raw.toString());
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

/** `param` (`shippingAddress.country`, `items.0.quantity`) is a field of `value`, or one missing from it the schema declares. */
function namesField(value: unknown, param: string, declared: Set<string>): boolean {
  if (!param.includes('.') && declared.has(param)) return true;
  if (!isObject(value)) return false;
  return Object.keys(value).some(
    (key) =>
      key === param ||
      (param.startsWith(`${key}.`) &&
        namesField(value[key], param.slice(key.length + 1), declared)),
  );
}

function queryKeys(wire: WireRequest): string[] {
  const query = wire.url.includes('?') ? wire.url.slice(wire.url.indexOf('?') + 1) : '';
  return Object.keys(querystring.parse(query));
}

/**
 * `details` (v1.1), when present: a non-empty list of `{param?, code, message}`, each message a
 * sentence (not a validator's `Invalid input: ...`), and `param` the first entry's.
 */
function detailsProblems(error: Record<string, unknown>): string[] {
  const { details } = error;
  if (details === undefined) return [];
  if (!Array.isArray(details) || details.length === 0) return ['details is not a non-empty list'];
  const problems: string[] = [];
  for (const detail of details) {
    if (!isObject(detail)) {
      problems.push('a detail is not an object');
      continue;
    }
    const keys = Object.keys(detail).filter((k) => !['param', 'code', 'message'].includes(k));
    if (keys.length > 0) problems.push(`unexpected detail keys ${keys.join(', ')}`);
    if (typeof detail.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(detail.code))
      problems.push(`detail code ${JSON.stringify(detail.code)} is not a machine string`);
    if (typeof detail.message !== 'string' || detail.message.trim() === '')
      problems.push('a detail has an empty message');
    else if (
      /^(Invalid input|Invalid option|Too (small|big)|Unrecognized key)/.test(detail.message)
    )
      problems.push(`detail message ${JSON.stringify(detail.message)} is the validator's wording`);
  }
  const [first] = details as unknown[];
  if (isObject(first) && first.param !== error.param)
    problems.push(`param ${JSON.stringify(error.param)} is not the first detail's`);
  return problems;
}

/** What is wrong with one answer, by API.md: nothing, or a list of broken rules. */
function answerProblems(endpoint: Endpoint, wire: WireRequest, res: WireResponse): string[] {
  if (res.status === 0) return [`no complete answer (${res.networkError})`];
  if (res.status >= 500) return [`answered ${res.status}`];
  if (res.status < 400) return [];
  const problems: string[] = [];
  const types = TYPES_BY_STATUS[res.status];
  if (!types) problems.push(`status ${res.status} is not in API.md's error table`);
  const error = isObject(res.json) ? res.json.error : undefined;
  if (!isObject(error) || Object.keys(res.json as object).length !== 1)
    return [...problems, `not the error shape {"error":{type,code,message}}`];
  const extra = Object.keys(error).filter(
    (k) => !['type', 'code', 'message', 'param', 'details'].includes(k),
  );
  if (extra.length > 0) problems.push(`unexpected error keys ${extra.join(', ')}`);
  problems.push(...detailsProblems(error));
  if (types && !types.includes(error.type as string))
    problems.push(`type ${JSON.stringify(error.type)} for status ${res.status}`);
  if (typeof error.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(error.code))
    problems.push(`code ${JSON.stringify(error.code)} is not a machine string`);
  if (typeof error.message !== 'string' || error.message.trim() === '')
    problems.push('empty message');
  if (res.status === 429 && !res.headers['retry-after']) problems.push('429 without Retry-After');
  if (res.status !== 400) return problems;

  const body = parsedBody(wire);
  // The schema of what was hit: another method on the same path has a body of its own.
  const declared = new Set(
    endpoints
      .filter((e) => e.template === endpoint.template)
      .flatMap((e) => [...declaredNames(e.body)]),
  );
  const param = error.param;
  const names = (name: unknown) =>
    typeof name === 'string' &&
    (Object.keys(wire.headers).some((h) => h.toLowerCase() === name.toLowerCase()) ||
      queryKeys(wire).includes(name) ||
      endpoint.queryParams.some((p) => p.name === name) ||
      namesField(body, name, declared));
  const detailParams = Array.isArray(error.details)
    ? error.details.filter(isObject).map((d) => d.param)
    : [];
  for (const name of detailParams)
    if (name !== undefined && !names(name))
      problems.push(`details param ${JSON.stringify(name)} names nothing in the request`);
  if (param !== undefined) {
    if (!names(param)) problems.push(`param ${JSON.stringify(param)} names nothing in the request`);
  } else if (
    wire.focus === 'body' &&
    endpoint.body &&
    isObject(body) &&
    !Array.isArray(body) &&
    !REQUEST_LEVEL_CODES.has(error.code as string)
  ) {
    problems.push(`a 400 (${String(error.code)}) for a body field without param`);
  }
  return problems;
}

// ---------------------------------------------------------------- running properties

interface Failure {
  endpoint: string;
  seed: number;
  path?: string | null;
  report: string;
}

function seedOf(key: string, property: string): number {
  let hash = SEED;
  for (const ch of `${property} ${key}`) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
  return hash;
}

/** One fast-check property per endpoint, requests one at a time; every endpoint's failure is kept. */
async function checkEveryEndpoint(
  property: string,
  predicate: (endpoint: Endpoint, wire: WireRequest) => Promise<string | undefined>,
): Promise<Failure[]> {
  await buildWorld();
  const failures: Failure[] = [];
  for (const endpoint of endpoints) {
    const seed = seedOf(endpoint.key, property);
    const details = await fc.check(
      fc.asyncProperty(badRequestArb(endpoint, optionsFor(endpoint)), async (wire) => {
        const problem = await predicate(endpoint, wire);
        if (problem) throw new Error(problem);
      }),
      { seed, numRuns: RUNS, interruptAfterTimeLimit: 30_000, markInterruptAsFailure: false },
    );
    if (details.failed) {
      const error = details.errorInstance;
      failures.push({
        endpoint: endpoint.key,
        seed,
        path: details.counterexamplePath,
        report: readable(error instanceof Error ? error.message : String(error)),
      });
    }
  }
  return failures;
}

function summary(failures: Failure[]): string {
  return failures
    .map((f) => `${f.endpoint} (seed ${f.seed}, path ${f.path})\n${f.report}`)
    .join('\n\n');
}

// ---------------------------------------------------------------- tests

test('the endpoint list comes from /openapi.json and includes the ops endpoints', () => {
  const keys = endpoints.map((e) => e.key);
  expect(keys.length).toBeGreaterThan(50);
  expect(keys).toEqual(
    expect.arrayContaining([
      'POST /v1/auth/signup',
      'POST /v1/orders',
      'GET /v1/jobs/{id}',
      'GET /healthz',
      'GET /readyz',
      'GET /metrics',
      'GET /openapi.json',
      'GET /docs/',
      'GET /admin/queues',
    ]),
  );
  expect(endpoints.filter((e) => e.body).length).toBeGreaterThan(15);
});

test('known-valid requests built like the generated ones are accepted', async () => {
  const cases: Array<[string, UserName | undefined, string[]?]> = [
    ['GET /healthz', undefined],
    ['GET /readyz', undefined],
    ['GET /openapi.json', undefined],
    ['GET /metrics', undefined],
    ['GET /docs/', undefined],
    ['GET /admin/queues', 'admin'],
    ['POST /v1/auth/signup', undefined],
    ['POST /v1/auth/login', undefined],
    ['GET /v1/me', 'member'],
    ['PATCH /v1/me', 'member'],
    ['POST /v1/listings', 'brand'],
    ['GET /v1/listings', undefined],
    ['GET /v1/listings/{id}', undefined, [fixtures.listing!]],
    ['PATCH /v1/listings/{id}', 'brand', [fixtures.listing!]],
    ['POST /v1/orders', 'buyer'],
    ['GET /v1/orders/{id}', 'buyer', [fixtures.order!]],
    ['POST /v1/orders/{id}/ship', 'brand', [fixtures.paidOrder!]],
    ['POST /v1/brands/me/coupon-batches', 'brand'],
    ['GET /v1/coupons/{code}/preview', 'buyer', [fixtures.coupon!]],
    ['POST /v1/campaigns/drops', 'brand'],
    ['PATCH /v1/campaigns/drops/{id}', 'brand', [fixtures.drop!]],
    ['GET /v1/campaigns/drops/{id}/stats', 'brand', [fixtures.drop!]],
    ['POST /v1/notes', 'member'],
    ['POST /v1/notes/sync', 'member'],
    ['POST /v1/notes/{id}/likes', 'buyer', [fixtures.note!]],
    ['POST /v1/campaigns/points-offers', 'brand'],
    ['POST /v1/points/conversions', 'member'],
    ['GET /v1/points/conversions/{id}', 'member', [fixtures.conversion!]],
    ['GET /v1/jobs/{id}', 'brand', [fixtures.job!]],
    ['GET /v1/finance/orders.csv', 'finance'],
    ['POST /v1/finance/exports', 'finance'],
    ['GET /v1/finance/exports/{id}', 'finance', [fixtures.export!]],
    ['GET /v1/moderation/notes', 'moderator'],
  ];
  const answers: string[] = [];
  for (const [key, user, path] of cases) {
    const endpoint = endpoints.find((e) => e.key === key);
    if (!endpoint) throw new Error(`no endpoint ${key} in /openapi.json`);
    const wire = validRequest(endpoint, optionsFor(endpoint), user, path);
    const res = await sendWire(server, wire);
    answers.push(`${key} -> ${res.status}${res.status >= 300 ? ` ${res.text.slice(0, 200)}` : ''}`);
  }
  expect(answers.filter((a) => !/ -> 2\d\d$/.test(a))).toEqual([]);
}, 60_000);

/**
 * Minimal cases the properties found, shrunk by hand to one character. Ids are stored in
 * `ascii_bin` columns; a non-ASCII string compared with one fails in MariaDB with "Illegal mix
 * of collations (ascii_bin,IMPLICIT) and (utf8mb4_general_ci,COERCIBLE)", which the app
 * answered with a 500. The id fields below are plain `z.string().max(40)` at the edge.
 */
describe('regressions: a non-ASCII id is refused, never a 500', () => {
  interface Case {
    key: string;
    field: string;
    user?: UserName;
    url: () => string;
    body?: unknown;
  }
  const cases: Case[] = [
    { key: 'GET /v1/notes', field: 'authorId', url: () => '/v1/notes?authorId=%C3%A9' },
    { key: 'GET /v1/listings', field: 'sellerId', url: () => '/v1/listings?sellerId=%C3%A9' },
    {
      key: 'GET /v1/campaigns/points-offers',
      field: 'brandId',
      url: () => '/v1/campaigns/points-offers?brandId=%C3%A9',
    },
    {
      key: 'GET /v1/coupons/{code}/preview',
      field: 'listingId',
      user: 'buyer',
      url: () => `/v1/coupons/${fixtures.coupon}/preview?listingId=%C3%A9`,
    },
    {
      key: 'POST /v1/orders',
      field: 'items.0.listingId',
      user: 'buyer',
      url: () => '/v1/orders',
      body: { items: [{ listingId: 'é', quantity: 1 }], shippingAddress: ADDRESS },
    },
    {
      key: 'POST /v1/points/conversions',
      field: 'offerId',
      user: 'member',
      url: () => '/v1/points/conversions',
      body: { offerId: 'é' },
    },
    {
      key: 'POST /v1/campaigns/drops',
      field: 'listingId',
      user: 'brand',
      url: () => '/v1/campaigns/drops',
      body: {
        title: 'Fuji drop',
        listingId: 'é',
        stock: 1,
        startsAt: '2027-01-10T20:00:00',
        timezone: 'Asia/Tokyo',
        puzzle: PUZZLE,
      },
    },
  ];
  test.each(cases)('$key with $field "é"', async ({ key, user, url, body }) => {
    const endpoint = endpoints.find((e) => e.key === key);
    if (!endpoint) throw new Error(`no endpoint ${key} in /openapi.json`);
    const wire: WireRequest = {
      focus: body === undefined ? 'query' : 'body',
      method: endpoint.method,
      url: url(),
      headers: {
        ...(user ? { Authorization: `Bearer ${world.tokens[user]}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    };
    const before = await tableCounts(ctx.sequelize);
    const res = await sendWire(server, wire);
    const changes =
      res.status >= 200 && res.status < 300
        ? []
        : countChanges(before, await tableCounts(ctx.sequelize));
    const exchange = readable(describeExchange(wire, res));
    expect(
      [...answerProblems(endpoint, wire, res), ...changes].map((p) => `${p}\n${exchange}`),
    ).toEqual([]);
  });
});

describe('generated bad input, every endpoint', () => {
  test('never a 5xx; every error has the API.md shape, the type of its status, and a param that names the field', async () => {
    const reached = new Map<string, number>();
    const failures = await checkEveryEndpoint('answers', async (endpoint, wire) => {
      const res = await sendWire(server, wire);
      await signInAgainAfter(endpoint, res.status);
      const error = isObject(res.json) && isObject(res.json.error) ? res.json.error : undefined;
      const pastTheGate =
        res.status !== 0 &&
        ![401, 403, 413, 415].includes(res.status) &&
        !['route_not_found', 'malformed_json', 'idempotency_key_invalid'].includes(
          String(error?.code),
        );
      if (pastTheGate) reached.set(endpoint.key, (reached.get(endpoint.key) ?? 0) + 1);
      const problems = answerProblems(endpoint, wire, res);
      return problems.length > 0
        ? `${problems.join('; ')}\n${describeExchange(wire, res)}`
        : undefined;
    });
    const unreached = endpoints.map((e) => e.key).filter((key) => !reached.has(key));
    expect({ unreached, failures: summary(failures) }).toEqual({ unreached: [], failures: '' });
  }, 600_000);

  test('a rejected request changes no table row count', async () => {
    const failures = await checkEveryEndpoint('writes', async (endpoint, wire) => {
      const before = await tableCounts(ctx.sequelize);
      const res = await sendWire(server, wire);
      await signInAgainAfter(endpoint, res.status);
      if (res.status >= 200 && res.status < 300) return undefined;
      const changes = countChanges(before, await tableCounts(ctx.sequelize));
      return changes.length > 0
        ? `rejected, yet rows changed: ${changes.join(', ')}\n${describeExchange(wire, res)}`
        : undefined;
    });
    expect(summary(failures)).toBe('');
  }, 600_000);
});
