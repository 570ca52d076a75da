import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import { newToken } from '../../src/accounts/tokens';
import { execute } from '../../src/db/sql';
import { badRequestArb, type BadRequestOptions, type WireRequest } from './bad-requests';
import type { UserName, World } from './plausible-values';
import { createDrop, PUZZLE } from './drops';
import { ADDRESS, createListing, signUp, signUpBrand, type TestUser } from './fixtures';
import { startTestContext, type TestContext } from './harness';
import { endpointsFromOpenApi, type Endpoint } from './openapi-endpoints';
import { closeWireAgent } from './raw-http';

/*
 * The world of the bad-input property tests (test/integration/bad-input*.property.test.ts):
 * an app of the file's own with users of every role and ids that exist, the endpoints of
 * GET /openapi.json, and one fast-check property per endpoint.
 *
 * Runs per endpoint and property: BAD_INPUT_RUNS (default 60). Seed: BAD_INPUT_SEED.
 */

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

/** The app and world of this test file: built before its tests, removed after them. */
export function useBadInputWorld(): void {
  beforeAll(start, 60_000);
  afterAll(stop);
}

/** What the tests read, once `beforeAll` has run. */
export const bad = {
  get ctx() {
    return ctx;
  },
  get server() {
    return server;
  },
  get world() {
    return world;
  },
  get endpoints() {
    return endpoints;
  },
  fixtures,
};

async function start(): Promise<void> {
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
}

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

async function stop(): Promise<void> {
  closeWireAgent();
  await new Promise((resolve) => server.close(resolve));
  await ctx.close();
}

export function optionsFor(endpoint: Endpoint): BadRequestOptions {
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
export async function signInAgainAfter(endpoint: Endpoint, status: number): Promise<void> {
  if (status < 200 || status >= 300) return;
  if (endpoint.key !== 'POST /v1/auth/logout') return;
  const now = new Date();
  for (const [name, user] of Object.entries(users) as Array<[UserName, TestUser]>) {
    // Written straight to MySQL, like a sign-in would: it needs no password (one may be changed).
    const { token, hash } = newToken();
    await execute(
      ctx.db,
      'INSERT INTO auth_tokens (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
      [hash, user.id, now, new Date(now.getTime() + DAY)],
    );
    user.token = token;
    user.auth = { Authorization: `Bearer ${token}` };
    world.tokens[name] = token;
  }
}

/** Tokens in reports read as `<member token>`. */
export function readable(text: string): string {
  let out = text;
  for (const [name, token] of Object.entries(world.tokens))
    out = out.split(token).join(`<${name} token>`);
  return out;
}

// ---------------------------------------------------------------- running properties

export interface Failure {
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
export async function checkEveryEndpoint(
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

export function summary(failures: Failure[]): string {
  return failures
    .map((f) => `${f.endpoint} (seed ${f.seed}, path ${f.path})\n${f.report}`)
    .join('\n\n');
}
