import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { App } from '../../src/http/front-door';
import sharp from 'sharp';
import type Stripe from 'stripe';
import request, { type Response } from 'supertest';
import { startWorkers, type RunningWorkers } from '../../jobs/worker';
import { createApp, createServices } from '../../src/app';
import { PUZZLE, createDrop, waitForStatus } from '../support/drops';
import {
  ADDRESS,
  createListing,
  eventually,
  signUp,
  signUpBrand,
  type TestUser,
  offerBody,
} from '../support/fixtures';
import { startTestContext, type TestContext } from '../support/harness';
import { signedWebhook } from '../support/stripe-fake';

/**
 * Every endpoint of the app x every kind of caller, each cell its own test. The table is checked
 * against the routes the app documents (/openapi.json), so a route added without a row fails here.
 */

const PERSONAS = [
  'anonymous',
  'member',
  'other member',
  'brand',
  'other brand',
  'moderator',
  'finance',
  'admin',
] as const;
type Persona = (typeof PERSONAS)[number];
type SignedIn = Exclude<Persona, 'anonymous'>;
type Expected = Record<Persona, number>;

const PASSWORD = 'correct horse battery';
const REVIEW_TAG = 'matrix-review';
const WEBHOOK_SECRET = 'whsec_matrix_secret';
const HOUR = 3600_000;
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request',
  401: 'authentication',
  403: 'permission',
  404: 'not_found',
  409: 'conflict',
};

/** The routes outside /v1 that API.md names (Operations); they are not in /openapi.json. */
const OPS_ROUTES = [
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /openapi.json',
  'GET /docs',
  'GET /admin/queues',
];

const exportDir = mkdtempSync(path.join(tmpdir(), 'cs-matrix-exports-'));
const mediaDir = mkdtempSync(path.join(tmpdir(), 'cs-matrix-media-'));
let ctx: TestContext;
let server: Server;
let webhookApp: App;
let workers: RunningWorkers;
let users: Record<SignedIn, TestUser>;

/** What the personas own, made once; rows that change a resource's state make a fresh one. */
interface Fixtures {
  memberListing: string;
  archivedListing: string;
  brandListing: string;
  order: string;
  note: string;
  pendingNote: string;
  conversion: string;
  scheduledDrop: string;
  liveDrop: string;
  couponBatch: string;
  couponCode: string;
  offer: string;
  airdropJob: string;
  financeExport: string;
  glossaryTerm: string;
  explanation: string;
  pendingExplanation: string;
  challenge: string;
}
let fx: Fixtures;

// Expectation builders: who gets what, everyone else the given denial.
const everyone = (status: number): Expected =>
  Object.fromEntries(PERSONAS.map((p) => [p, status])) as Expected;
const signedIn = (status: number): Expected => ({ ...everyone(status), anonymous: 401 });
function only(allowed: Partial<Record<SignedIn, number>>, denied = 403): Expected {
  return { ...everyone(denied), anonymous: 401, ...allowed };
}
const brandsOnly = (brand: number, otherBrand: number) =>
  only({ brand, 'other brand': otherBrand });

interface Target {
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  app?: App;
}

interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The OpenAPI path, as /openapi.json names it. */
  path: string;
  /** Tells apart two rows of one route (e.g. a published note and one under review). */
  variant?: string;
  expected: Expected;
  target: (as: Persona) => Target | Promise<Target>;
}

// ---------------------------------------------------------------------------------------------
// Resource makers (fresh ones for the cells that change state).

async function ok(res: Response | Promise<Response>, status: number): Promise<Response> {
  const answer = await res;
  if (answer.status !== status)
    throw new Error(
      `setup: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`,
    );
  return answer;
}

const api = () => request(server);

function noteBody(tags: string[] = []) {
  return {
    clientId: randomUUID(),
    title: 'Tea in Uji',
    body: 'How the first flush is picked.',
    languages: ['ja'],
    cultureTags: tags,
  };
}

async function freshNote(tags: string[] = []): Promise<string> {
  const res = await ok(api().post('/v1/notes').set(users.member.auth).send(noteBody(tags)), 201);
  return res.body.id as string;
}

const freshPendingNote = () => freshNote([REVIEW_TAG]);

/** A glossary term of member's, new each time. */
async function freshTerm(): Promise<string> {
  const term = `matrix ${randomBytes(4).toString('hex')}`;
  await ok(
    api().post('/v1/glossary/terms').set(users.member.auth).send({ term, language: 'en' }),
    201,
  );
  return term;
}

const termPath = (term: string) => `/v1/glossary/terms/${encodeURIComponent(term)}`;
let heldLanguages = 0;

/** member's explanation of the review tag as a term, held by the buffer (one per language). */
async function freshPendingExplanation(): Promise<string> {
  const language = ['en', 'fr', 'de', 'es', 'it', 'ko', 'nl', 'sv'][heldLanguages++]!;
  const res = await ok(
    api()
      .post(`${termPath(REVIEW_TAG)}/explanations`)
      .set(users.member.auth)
      .send({ language, text: 'Held for review.' }),
    201,
  );
  return res.body.id as string;
}

type OrderState = 'pending_payment' | 'paid' | 'shipped';

/** An order of member buying brand's listing, brought to `state`. */
/** A data export of the member, ready to download (`fresh`: a new one; else one made once). */
let memberExport: Promise<string> | undefined;
async function readyDataExport(fresh = false): Promise<string> {
  const make = async () => {
    const asked = await ok(api().post('/v1/me/data-export').set(users.member.auth), 202);
    const id = asked.body.jobId as string;
    for (let i = 0; i < 200; i += 1) {
      const res = await api().get(`/v1/me/data-export/${id}`).set(users.member.auth);
      if (res.body.status === 'ready') return id;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('setup: data export not ready');
  };
  if (fresh) return make();
  memberExport ??= make();
  return memberExport;
}

async function freshOrder(state: OrderState): Promise<string> {
  const created = await ok(
    api()
      .post('/v1/orders')
      .set(users.member.auth)
      .send({ items: [{ listingId: fx.brandListing, quantity: 1 }], shippingAddress: ADDRESS }),
    201,
  );
  const id = created.body.id as string;
  if (state === 'pending_payment') return id;
  await ok(api().post(`/v1/orders/${id}/pay`).set(users.member.auth), 200);
  if (state === 'paid') return id;
  await ok(api().post(`/v1/orders/${id}/ship`).set(users.brand.auth).send({}), 200);
  return id;
}

function dropBody(listingId: string) {
  return {
    title: 'Fuji drop',
    listingId,
    stock: 1,
    startsAt: new Date(Date.now() + 24 * HOUR).toISOString(),
    timezone: 'Asia/Tokyo',
    durationHours: 1,
    puzzle: PUZZLE,
  };
}

/** Endpoints at a public address that never answers: only registration is under test here. */
const webhookEndpointBody = { url: 'https://8.8.8.8:9/matrix', events: ['drop.ended'] };

async function freshWebhookEndpoint(): Promise<string> {
  const res = await ok(
    api().post('/v1/webhook-endpoints').set(users.member.auth).send(webhookEndpointBody),
    201,
  );
  return res.body.id as string;
}

let memberEndpoint: Promise<string> | undefined;
const memberWebhookEndpoint = () => (memberEndpoint ??= freshWebhookEndpoint());

let dropListing: string;
async function freshScheduledDrop(): Promise<string> {
  const res = await ok(
    api().post('/v1/campaigns/drops').set(users.brand.auth).send(dropBody(dropListing)),
    201,
  );
  return res.body.id as string;
}

// Every persona converts once in its row (and the member once more in setup): room for that.
const matrixOffer = () =>
  offerBody({
    pointsCost: 10,
    budget: 1000,
    perUserLimit: 5,
    startsAt: new Date(Date.now() - 60_000).toISOString(),
  });

function challengeBody() {
  return {
    title: 'Matrix challenge',
    tag: 'matrix-challenge',
    startsAt: new Date(Date.now() - HOUR).toISOString(),
    endsAt: new Date(Date.now() + 24 * HOUR).toISOString(),
    maxParticipants: 100,
    bonusPoints: 10,
  };
}

function batchBody() {
  return {
    count: 2,
    discountType: 'percent',
    percentOff: 10,
    expiresAt: new Date(Date.now() + 24 * HOUR).toISOString(),
  };
}

/** A second session of the persona: signing it out leaves the persona's own token alone. */
async function freshSession(as: SignedIn): Promise<string> {
  const res = await ok(
    api().post('/v1/auth/login').send({ email: users[as].email, password: PASSWORD }),
    200,
  );
  return res.body.token as string;
}

function signupBody(accountType: 'member' | 'brand' = 'member') {
  return {
    email: `m${randomBytes(6).toString('hex')}@example.com`,
    password: PASSWORD,
    displayName: 'Matrix',
    country: 'JP',
    timezone: 'Asia/Tokyo',
    accountType,
  };
}

/** An event for nothing this server knows: acknowledged (200) and logged. */
function stripeEvent(): Stripe.Event {
  return {
    id: `evt_${randomBytes(12).toString('hex')}`,
    object: 'event',
    type: 'customer.created',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: { object: { id: `cus_${randomBytes(8).toString('hex')}`, object: 'customer' } },
  } as unknown as Stripe.Event;
}

// ---------------------------------------------------------------------------------------------
// The table. Ownership: member owns a listing, an order (buying brand's listing), notes and a
// conversion; brand owns a listing, drops, a coupon batch, a points offer and an airdrop job;
// finance requested the export. Every signed-in account is a member (staff and brands too).

const ROWS: Row[] = [
  // Accounts
  {
    method: 'POST',
    path: '/v1/auth/signup',
    expected: everyone(201),
    target: () => ({ url: '/v1/auth/signup', body: signupBody() }),
  },
  {
    method: 'POST',
    path: '/v1/auth/login',
    expected: everyone(200),
    target: (as) => ({
      url: '/v1/auth/login',
      body: { email: users[as === 'anonymous' ? 'member' : as].email, password: PASSWORD },
    }),
  },
  { method: 'GET', path: '/v1/me', expected: signedIn(200), target: () => ({ url: '/v1/me' }) },
  {
    method: 'PATCH',
    path: '/v1/me',
    expected: signedIn(200),
    target: () => ({ url: '/v1/me', body: { displayName: 'Matrix renamed' } }),
  },
  {
    method: 'DELETE',
    path: '/v1/me',
    expected: signedIn(204),
    // A new account: erasing the persona would sign out its token.
    target: async (as) => ({
      url: '/v1/me',
      body: { password: PASSWORD },
      headers:
        as === 'anonymous'
          ? {}
          : {
              Authorization: `Bearer ${(await ok(api().post('/v1/auth/signup').send(signupBody()), 201)).body.token}`,
            },
    }),
  },
  {
    method: 'POST',
    path: '/v1/me/data-export',
    expected: signedIn(202),
    target: () => ({ url: '/v1/me/data-export' }),
  },
  {
    method: 'GET',
    path: '/v1/me/data-export/{id}',
    // The member's own export; nobody else learns it exists.
    expected: only({ member: 200 }, 404),
    target: async () => ({ url: `/v1/me/data-export/${await readyDataExport()}` }),
  },
  {
    method: 'GET',
    path: '/v1/me/data-export/{id}/download',
    expected: only({ member: 200 }, 404),
    target: async (as) => ({
      url: `/v1/me/data-export/${as === 'member' ? await readyDataExport(true) : await readyDataExport()}/download`,
    }),
  },
  {
    method: 'GET',
    path: '/v1/orders/{id}/shipping-address',
    // Buyer, seller while paid and not shipped, and an admin (support).
    expected: only({ member: 200, brand: 200, admin: 200 }, 404),
    target: async () => ({ url: `/v1/orders/${await freshOrder('paid')}/shipping-address` }),
  },
  {
    method: 'GET',
    path: '/v1/users/{id}',
    expected: everyone(200),
    target: () => ({ url: `/v1/users/${users.brand.id}` }),
  },
  {
    method: 'POST',
    path: '/v1/auth/logout',
    expected: signedIn(204),
    // A session of its own, so the persona's token stays signed in for the other rows.
    target: async (as) => ({
      url: '/v1/auth/logout',
      headers: as === 'anonymous' ? {} : { Authorization: `Bearer ${await freshSession(as)}` },
    }),
  },
  {
    method: 'POST',
    path: '/v1/me/password',
    expected: signedIn(204),
    // A new account: changing the persona's password would sign out its token.
    target: async (as) => ({
      url: '/v1/me/password',
      body: { currentPassword: PASSWORD, newPassword: 'matrix new password' },
      headers:
        as === 'anonymous'
          ? {}
          : {
              Authorization: `Bearer ${(await ok(api().post('/v1/auth/signup').send(signupBody()), 201)).body.token}`,
            },
    }),
  },
  {
    method: 'POST',
    path: '/v1/auth/password-reset',
    expected: everyone(202),
    target: () => ({ url: '/v1/auth/password-reset', body: { email: signupBody().email } }),
  },
  {
    method: 'POST',
    path: '/v1/auth/password-reset/confirm',
    expected: everyone(400),
    target: () => ({
      url: '/v1/auth/password-reset/confirm',
      body: { token: `cs_${'x'.repeat(43)}`, newPassword: 'matrix new password' },
    }),
  },
  {
    method: 'POST',
    path: '/v1/auth/verify-email',
    expected: everyone(400),
    target: () => ({ url: '/v1/auth/verify-email', body: { token: `cs_${'x'.repeat(43)}` } }),
  },
  {
    method: 'GET',
    path: '/v1/admin/outbox',
    expected: only({ admin: 200 }),
    target: () => ({ url: '/v1/admin/outbox' }),
  },
  {
    method: 'POST',
    path: '/v1/webhook-endpoints',
    expected: signedIn(201),
    target: () => ({ url: '/v1/webhook-endpoints', body: webhookEndpointBody }),
  },
  {
    method: 'GET',
    path: '/v1/webhook-endpoints',
    expected: signedIn(200),
    target: () => ({ url: '/v1/webhook-endpoints' }),
  },
  {
    method: 'GET',
    path: '/v1/webhook-endpoints/{id}',
    expected: only({ member: 200 }, 404),
    target: async () => ({ url: `/v1/webhook-endpoints/${await memberWebhookEndpoint()}` }),
  },
  {
    method: 'DELETE',
    path: '/v1/webhook-endpoints/{id}',
    expected: only({ member: 204 }, 404),
    target: async () => ({ url: `/v1/webhook-endpoints/${await freshWebhookEndpoint()}` }),
  },
  {
    method: 'GET',
    path: '/v1/webhook-endpoints/{id}/deliveries',
    expected: only({ member: 200 }, 404),
    target: async () => ({
      url: `/v1/webhook-endpoints/${await memberWebhookEndpoint()}/deliveries`,
    }),
  },
  {
    method: 'POST',
    path: '/v1/admin/queue-dashboard/passes',
    expected: only({ admin: 201 }),
    target: () => ({ url: '/v1/admin/queue-dashboard/passes' }),
  },

  // Listings
  {
    method: 'POST',
    path: '/v1/listings',
    expected: signedIn(201),
    target: () => ({
      url: '/v1/listings',
      body: {
        title: 'Tea bowl',
        description: 'Hand thrown',
        priceAmount: 2000,
        currency: 'USD',
        quantity: 1,
        category: 'ceramics',
        condition: 'handmade',
      },
    }),
  },
  {
    method: 'GET',
    path: '/v1/listings',
    expected: everyone(200),
    target: () => ({ url: '/v1/listings' }),
  },
  {
    method: 'GET',
    path: '/v1/listings/{id}',
    expected: everyone(200),
    target: () => ({ url: `/v1/listings/${fx.memberListing}` }),
  },
  {
    method: 'GET',
    path: '/v1/listings/{id}',
    variant: 'archived listing',
    // Visible to its seller only; a public route, so anonymous gets 404 too.
    expected: { ...everyone(404), member: 200 },
    target: () => ({ url: `/v1/listings/${fx.archivedListing}` }),
  },
  {
    method: 'GET',
    path: '/v1/me/listings',
    // Each signed-in user lists their own (the test of the route checks they see only theirs).
    expected: signedIn(200),
    target: () => ({ url: '/v1/me/listings?status=archived' }),
  },
  {
    method: 'PATCH',
    path: '/v1/listings/{id}',
    expected: only({ member: 200 }),
    target: () => ({ url: `/v1/listings/${fx.memberListing}`, body: { priceAmount: 2100 } }),
  },
  {
    method: 'DELETE',
    path: '/v1/listings/{id}',
    expected: only({ member: 200 }),
    target: async (as) => ({
      url: `/v1/listings/${as === 'member' ? (await createListing(ctx.app, users.member)).id : fx.memberListing}`,
    }),
  },

  // Orders: someone else's order is 404 (existence private); the other party of it 403.
  {
    method: 'POST',
    path: '/v1/orders',
    // brand is the seller: a buyer cannot buy their own listing.
    expected: { ...signedIn(201), brand: 403 },
    target: () => ({
      url: '/v1/orders',
      body: { items: [{ listingId: fx.brandListing, quantity: 1 }], shippingAddress: ADDRESS },
    }),
  },
  {
    method: 'GET',
    path: '/v1/orders',
    expected: signedIn(200),
    target: () => ({ url: '/v1/orders?role=buyer' }),
  },
  {
    method: 'GET',
    path: '/v1/orders/{id}',
    // API.md: buyer or seller of it. The code also lets an admin read any order (see report).
    expected: only({ member: 200, brand: 200, admin: 200 }, 404),
    target: () => ({ url: `/v1/orders/${fx.order}` }),
  },
  {
    method: 'POST',
    path: '/v1/orders/{id}/pay',
    expected: only({ member: 200, brand: 403 }, 404),
    target: async (as) => ({
      url: `/v1/orders/${as === 'member' ? await freshOrder('pending_payment') : fx.order}/pay`,
    }),
  },
  {
    method: 'POST',
    path: '/v1/orders/{id}/cancel',
    expected: only({ member: 200, brand: 403 }, 404),
    target: async (as) => ({
      url: `/v1/orders/${as === 'member' ? await freshOrder('pending_payment') : fx.order}/cancel`,
    }),
  },
  {
    method: 'POST',
    path: '/v1/orders/{id}/ship',
    expected: only({ brand: 200, member: 403 }, 404),
    target: async (as) => ({
      url: `/v1/orders/${as === 'brand' ? await freshOrder('paid') : fx.order}/ship`,
      body: { carrier: 'Yamato', trackingNumber: '1234-5678' },
    }),
  },
  {
    method: 'POST',
    path: '/v1/orders/{id}/complete',
    expected: only({ member: 200, brand: 403 }, 404),
    target: async (as) => ({
      url: `/v1/orders/${as === 'member' ? await freshOrder('shipped') : fx.order}/complete`,
    }),
  },
  {
    method: 'POST',
    path: '/v1/orders/{id}/refund',
    expected: only({ brand: 200, admin: 200, member: 403 }, 404),
    target: async (as) => ({
      url: `/v1/orders/${as === 'brand' || as === 'admin' ? await freshOrder('paid') : fx.order}/refund`,
      body: {},
    }),
  },

  // Payments
  {
    method: 'POST',
    path: '/v1/payouts/onboarding',
    expected: signedIn(200),
    target: () => ({ url: '/v1/payouts/onboarding' }),
  },
  {
    method: 'POST',
    path: '/v1/webhooks/stripe',
    // Public: Stripe signs it, no bearer token. Sent to the same app configured for Stripe.
    expected: everyone(200),
    target: () => {
      const { body, signature } = signedWebhook(stripeEvent(), WEBHOOK_SECRET);
      return {
        url: '/v1/webhooks/stripe',
        body,
        headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
        app: webhookApp,
      };
    },
  },

  // Coupons: another brand's batch is 404 (existence private), a non-brand 403.
  {
    method: 'POST',
    path: '/v1/brands/me/coupon-batches',
    expected: brandsOnly(201, 201),
    target: () => ({ url: '/v1/brands/me/coupon-batches', body: batchBody() }),
  },
  {
    method: 'GET',
    path: '/v1/brands/me/coupon-batches',
    // Each brand lists its own: the other brand gets its own (empty) list.
    expected: brandsOnly(200, 200),
    target: () => ({ url: '/v1/brands/me/coupon-batches' }),
  },
  {
    method: 'GET',
    path: '/v1/brands/me/coupon-batches/{id}',
    expected: brandsOnly(200, 404),
    target: () => ({ url: `/v1/brands/me/coupon-batches/${fx.couponBatch}` }),
  },
  {
    method: 'GET',
    path: '/v1/brands/me/coupon-batches/{id}/codes.csv',
    expected: brandsOnly(200, 404),
    target: () => ({ url: `/v1/brands/me/coupon-batches/${fx.couponBatch}/codes.csv` }),
  },
  {
    method: 'GET',
    path: '/v1/me/coupons',
    expected: signedIn(200),
    target: () => ({ url: '/v1/me/coupons' }),
  },
  {
    method: 'GET',
    path: '/v1/coupons/{code}/preview',
    expected: signedIn(200),
    target: () => ({
      url: `/v1/coupons/${fx.couponCode}/preview?listingId=${fx.brandListing}&quantity=1`,
    }),
  },

  // Puzzle drops: public reads; brand writes, another brand's drop 403 (drops are public).
  {
    method: 'POST',
    path: '/v1/campaigns/drops',
    // other brand names brand's listing: "a drop sells the brand's own listing".
    expected: brandsOnly(201, 403),
    target: () => ({ url: '/v1/campaigns/drops', body: dropBody(dropListing) }),
  },
  {
    method: 'GET',
    path: '/v1/campaigns/drops',
    expected: everyone(200),
    target: () => ({ url: '/v1/campaigns/drops' }),
  },
  {
    method: 'GET',
    path: '/v1/brands/me/drops',
    expected: brandsOnly(200, 200),
    target: () => ({ url: '/v1/brands/me/drops' }),
  },
  {
    method: 'GET',
    path: '/v1/brands/me/content-impact',
    expected: brandsOnly(200, 200),
    target: () => ({ url: '/v1/brands/me/content-impact' }),
  },
  {
    method: 'GET',
    path: '/v1/me/content-impact',
    expected: signedIn(200),
    target: () => ({ url: '/v1/me/content-impact' }),
  },
  {
    method: 'GET',
    path: '/v1/campaigns/drops/{id}',
    expected: everyone(200),
    target: () => ({ url: `/v1/campaigns/drops/${fx.scheduledDrop}` }),
  },
  {
    method: 'POST',
    path: '/v1/campaigns/drops/{id}/reminders',
    expected: signedIn(204),
    target: () => ({ url: `/v1/campaigns/drops/${fx.scheduledDrop}/reminders` }),
  },
  {
    method: 'DELETE',
    path: '/v1/campaigns/drops/{id}/reminders',
    expected: signedIn(204),
    target: () => ({ url: `/v1/campaigns/drops/${fx.scheduledDrop}/reminders` }),
  },
  {
    method: 'PATCH',
    path: '/v1/campaigns/drops/{id}',
    expected: brandsOnly(200, 403),
    target: () => ({
      url: `/v1/campaigns/drops/${fx.scheduledDrop}`,
      body: { title: 'Fuji drop, renamed' },
    }),
  },
  {
    method: 'POST',
    path: '/v1/campaigns/drops/{id}/cancel',
    expected: brandsOnly(200, 403),
    target: async (as) => ({
      url: `/v1/campaigns/drops/${as === 'brand' ? await freshScheduledDrop() : fx.scheduledDrop}/cancel`,
    }),
  },
  {
    method: 'POST',
    path: '/v1/campaigns/drops/{id}/attempts',
    // The brand that runs the drop could never buy what it won: own_drop.
    expected: { ...signedIn(200), brand: 403 },
    target: () => ({
      url: `/v1/campaigns/drops/${fx.liveDrop}/attempts`,
      body: { answer: 'Mount Fuji' },
    }),
  },
  {
    method: 'GET',
    path: '/v1/campaigns/drops/{id}/stats',
    expected: brandsOnly(200, 403),
    target: () => ({ url: `/v1/campaigns/drops/${fx.scheduledDrop}/stats` }),
  },

  // Finance: finance role (and admin).
  {
    method: 'GET',
    path: '/v1/finance/orders.csv',
    expected: only({ finance: 200, admin: 200 }),
    target: () => ({ url: '/v1/finance/orders.csv?from=2026-01-01&to=2026-01-02&timezone=UTC' }),
  },
  {
    method: 'POST',
    path: '/v1/finance/exports',
    expected: only({ finance: 202, admin: 202 }),
    target: () => ({
      url: '/v1/finance/exports',
      body: { from: '2026-01-01', to: '2026-01-02', timezone: 'UTC' },
    }),
  },
  {
    method: 'GET',
    path: '/v1/finance/exports',
    expected: only({ finance: 200, admin: 200 }),
    target: () => ({ url: '/v1/finance/exports' }),
  },
  {
    method: 'GET',
    path: '/v1/finance/exports/{id}',
    expected: only({ finance: 200, admin: 200 }),
    target: () => ({ url: `/v1/finance/exports/${fx.financeExport}` }),
  },
  {
    method: 'GET',
    path: '/v1/finance/exports/{id}/download',
    expected: only({ finance: 200, admin: 200 }),
    target: () => ({ url: `/v1/finance/exports/${fx.financeExport}/download` }),
  },

  // Notes: a note under review is visible to its author and moderators only (404 to others).
  {
    method: 'POST',
    path: '/v1/notes',
    expected: signedIn(201),
    target: () => ({ url: '/v1/notes', body: noteBody() }),
  },
  {
    method: 'POST',
    path: '/v1/notes/sync',
    expected: signedIn(200),
    target: () => ({ url: '/v1/notes/sync', body: { notes: [noteBody()] } }),
  },
  {
    method: 'GET',
    path: '/v1/notes',
    expected: everyone(200),
    target: () => ({ url: '/v1/notes' }),
  },
  {
    method: 'GET',
    path: '/v1/feed',
    expected: everyone(200),
    target: () => ({ url: '/v1/feed' }),
  },
  {
    method: 'GET',
    path: '/v1/notes/{id}',
    variant: 'published note',
    expected: everyone(200),
    target: () => ({ url: `/v1/notes/${fx.note}` }),
  },
  {
    method: 'GET',
    path: '/v1/notes/{id}',
    variant: 'note under review',
    // A public route: anonymous is not asked to sign in, the note just does not exist for them.
    expected: { ...everyone(404), member: 200, moderator: 200, admin: 200 },
    target: () => ({ url: `/v1/notes/${fx.pendingNote}` }),
  },
  {
    method: 'DELETE',
    path: '/v1/notes/{id}',
    expected: only({ member: 200 }),
    target: async (as) => ({ url: `/v1/notes/${as === 'member' ? await freshNote() : fx.note}` }),
  },
  {
    method: 'DELETE',
    path: '/v1/notes/{id}',
    variant: 'note under review',
    // Those who may see it (author, moderators) learn 200/403; to anyone else it does not exist.
    expected: only({ member: 200, moderator: 403, admin: 403 }, 404),
    target: async (as) => ({
      url: `/v1/notes/${as === 'member' ? await freshPendingNote() : fx.pendingNote}`,
    }),
  },
  {
    method: 'POST',
    path: '/v1/notes/{id}/likes',
    // Any member but its author, who gets 403.
    expected: { ...signedIn(200), member: 403 },
    target: () => ({ url: `/v1/notes/${fx.note}/likes` }),
  },
  {
    method: 'DELETE',
    path: '/v1/notes/{id}/likes',
    expected: { ...signedIn(200), member: 403 },
    target: () => ({ url: `/v1/notes/${fx.note}/likes` }),
  },
  {
    method: 'GET',
    path: '/v1/moderation/notes',
    expected: only({ moderator: 200, admin: 200 }),
    target: () => ({ url: '/v1/moderation/notes?status=pending_review' }),
  },
  {
    method: 'POST',
    path: '/v1/moderation/notes/{id}/approve',
    expected: only({ moderator: 200, admin: 200 }),
    target: async (as) => ({
      url: `/v1/moderation/notes/${as === 'moderator' || as === 'admin' ? await freshPendingNote() : fx.pendingNote}/approve`,
    }),
  },
  {
    method: 'POST',
    path: '/v1/moderation/notes/{id}/reject',
    expected: only({ moderator: 200, admin: 200 }),
    target: async (as) => ({
      url: `/v1/moderation/notes/${as === 'moderator' || as === 'admin' ? await freshPendingNote() : fx.pendingNote}/reject`,
      body: { reason: 'Off topic' },
    }),
  },
  {
    method: 'GET',
    path: '/v1/moderation/policy',
    expected: only({ admin: 200 }),
    target: () => ({ url: '/v1/moderation/policy' }),
  },
  {
    method: 'PUT',
    path: '/v1/moderation/policy',
    expected: only({ admin: 200 }),
    // The policy the other rows hold notes by, set again.
    target: () => ({ url: '/v1/moderation/policy', body: { countries: [], tags: [REVIEW_TAG] } }),
  },
  {
    method: 'GET',
    path: '/v1/admin/moderators',
    expected: only({ admin: 200 }),
    target: () => ({ url: '/v1/admin/moderators' }),
  },
  {
    method: 'PUT',
    path: '/v1/admin/moderators/{id}/regions',
    expected: only({ admin: 200 }),
    // Every country, as before: the moderator's other rows still decide any note.
    target: () => ({
      url: `/v1/admin/moderators/${users.moderator.id}/regions`,
      body: { regions: [] },
    }),
  },

  // Glossary: member wrote the explanations; a held one is seen by moderators only.
  {
    method: 'POST',
    path: '/v1/glossary/terms',
    expected: signedIn(201),
    target: () => ({
      url: '/v1/glossary/terms',
      body: { term: `matrix ${randomBytes(4).toString('hex')}`, language: 'en' },
    }),
  },
  {
    method: 'GET',
    path: '/v1/glossary/terms',
    expected: everyone(200),
    target: () => ({ url: '/v1/glossary/terms?q=matrix' }),
  },
  {
    method: 'GET',
    path: '/v1/glossary/terms/{term}',
    expected: everyone(200),
    target: () => ({ url: termPath(fx.glossaryTerm) }),
  },
  {
    method: 'POST',
    path: '/v1/glossary/terms/{term}/explanations',
    expected: signedIn(201),
    target: async (as) => ({
      url: `${termPath(as === 'anonymous' ? fx.glossaryTerm : await freshTerm())}/explanations`,
      body: { language: 'en', text: 'What it means.' },
    }),
  },
  {
    method: 'POST',
    path: '/v1/glossary/explanations/{id}/votes',
    // Any member but its author, who gets 403.
    expected: { ...signedIn(200), member: 403 },
    target: () => ({ url: `/v1/glossary/explanations/${fx.explanation}/votes` }),
  },
  {
    method: 'DELETE',
    path: '/v1/glossary/explanations/{id}/votes',
    expected: { ...signedIn(200), member: 403 },
    target: () => ({ url: `/v1/glossary/explanations/${fx.explanation}/votes` }),
  },
  {
    method: 'GET',
    path: '/v1/moderation/glossary/explanations',
    expected: only({ moderator: 200, admin: 200 }),
    target: () => ({ url: '/v1/moderation/glossary/explanations' }),
  },
  {
    method: 'POST',
    path: '/v1/moderation/glossary/explanations/{id}/approve',
    expected: only({ moderator: 200, admin: 200 }),
    target: async (as) => ({
      url: `/v1/moderation/glossary/explanations/${as === 'moderator' || as === 'admin' ? await freshPendingExplanation() : fx.pendingExplanation}/approve`,
    }),
  },
  {
    method: 'POST',
    path: '/v1/moderation/glossary/explanations/{id}/reject',
    expected: only({ moderator: 200, admin: 200 }),
    target: async (as) => ({
      url: `/v1/moderation/glossary/explanations/${as === 'moderator' || as === 'admin' ? await freshPendingExplanation() : fx.pendingExplanation}/reject`,
      body: { reason: 'Off topic' },
    }),
  },

  // Challenges: brand runs one; its owner cannot join it.
  {
    method: 'POST',
    path: '/v1/campaigns/challenges',
    expected: brandsOnly(201, 201),
    target: () => ({ url: '/v1/campaigns/challenges', body: challengeBody() }),
  },
  {
    method: 'GET',
    path: '/v1/campaigns/challenges',
    expected: everyone(200),
    target: () => ({ url: '/v1/campaigns/challenges' }),
  },
  {
    method: 'GET',
    path: '/v1/campaigns/challenges/{id}',
    expected: everyone(200),
    target: () => ({ url: `/v1/campaigns/challenges/${fx.challenge}` }),
  },
  {
    method: 'POST',
    path: '/v1/campaigns/challenges/{id}/join',
    expected: { ...signedIn(200), brand: 403 },
    target: () => ({ url: `/v1/campaigns/challenges/${fx.challenge}/join` }),
  },

  // Culture points
  {
    method: 'GET',
    path: '/v1/me/points',
    expected: signedIn(200),
    target: () => ({ url: '/v1/me/points' }),
  },
  {
    method: 'POST',
    path: '/v1/campaigns/points-offers',
    expected: brandsOnly(201, 201),
    target: () => ({ url: '/v1/campaigns/points-offers', body: matrixOffer() }),
  },
  {
    method: 'GET',
    path: '/v1/campaigns/points-offers',
    expected: everyone(200),
    target: () => ({ url: '/v1/campaigns/points-offers' }),
  },
  {
    method: 'GET',
    path: '/v1/brands/me/points-offers',
    expected: brandsOnly(200, 200),
    target: () => ({ url: '/v1/brands/me/points-offers' }),
  },
  {
    method: 'GET',
    path: '/v1/campaigns/points-offers/{id}/stats',
    // Offers are public: another brand is told no (403), as for a drop's stats.
    expected: brandsOnly(200, 403),
    target: () => ({ url: `/v1/campaigns/points-offers/${fx.offer}/stats` }),
  },
  {
    method: 'GET',
    path: '/v1/campaigns/points-offers/{id}',
    expected: everyone(200),
    target: () => ({ url: `/v1/campaigns/points-offers/${fx.offer}` }),
  },
  {
    method: 'POST',
    path: '/v1/campaigns/points-offers/{id}/airdrop',
    expected: brandsOnly(202, 403),
    target: () => ({ url: `/v1/campaigns/points-offers/${fx.offer}/airdrop` }),
  },
  {
    method: 'POST',
    path: '/v1/points/conversions',
    expected: signedIn(202),
    target: () => ({ url: '/v1/points/conversions', body: { offerId: fx.offer } }),
  },
  {
    method: 'GET',
    path: '/v1/points/conversions',
    expected: signedIn(200),
    target: () => ({ url: '/v1/points/conversions' }),
  },
  {
    method: 'GET',
    path: '/v1/points/conversions/{id}',
    expected: only({ member: 200 }, 404),
    target: () => ({ url: `/v1/points/conversions/${fx.conversion}` }),
  },
  {
    method: 'GET',
    path: '/v1/jobs/{id}',
    // Its owner or an admin; anyone else learns nothing.
    expected: only({ brand: 200, admin: 200 }, 404),
    target: () => ({ url: `/v1/jobs/${fx.airdropJob}` }),
  },

  // Photos
  {
    method: 'POST',
    path: '/v1/media',
    expected: signedIn(201),
    target: async () => {
      const boundary = `matrix${randomBytes(8).toString('hex')}`;
      return {
        url: '/v1/media',
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        body: Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n` +
              'Content-Type: image/png\r\n\r\n',
          ),
          await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
            .png()
            .toBuffer(),
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]),
      };
    },
  },
  {
    method: 'GET',
    path: '/media/{mediaId}/{variant}',
    expected: everyone(200),
    target: async () => {
      const photo = await sharp({
        create: { width: 8, height: 8, channels: 3, background: '#fff' },
      })
        .png()
        .toBuffer();
      const res = await ok(
        api().post('/v1/media').set(users.member.auth).attach('file', photo, 'a.png'),
        201,
      );
      return { url: new URL(res.body.variants.thumb as string).pathname };
    },
  },

  // Operations
  { method: 'GET', path: '/healthz', expected: everyone(200), target: () => ({ url: '/healthz' }) },
  { method: 'GET', path: '/readyz', expected: everyone(200), target: () => ({ url: '/readyz' }) },
  { method: 'GET', path: '/metrics', expected: everyone(200), target: () => ({ url: '/metrics' }) },
  {
    method: 'GET',
    path: '/openapi.json',
    expected: everyone(200),
    target: () => ({ url: '/openapi.json' }),
  },
  { method: 'GET', path: '/docs', expected: everyone(200), target: () => ({ url: '/docs/' }) },
  {
    method: 'GET',
    path: '/admin/queues',
    expected: only({ admin: 200 }),
    target: () => ({ url: '/admin/queues' }),
  },
];

const routeKey = (row: Pick<Row, 'method' | 'path'>) => `${row.method} ${row.path}`;

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  ctx = await startTestContext({
    env: { EXPORT_DIR: exportDir, MEDIA_DIR: mediaDir, MODERATION_TAGS: REVIEW_TAG },
  });
  server = ctx.app.listen(0);
  workers = await startWorkers(ctx.deps, ctx.services);
  // The same database and Redis, with Stripe configured: the webhook's success needs a secret.
  const stripeDeps = {
    ...ctx.deps,
    config: {
      ...ctx.config,
      PAYMENTS_PROVIDER: 'stripe' as const,
      STRIPE_SECRET_KEY: 'sk_test_matrix',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
  };
  webhookApp = createApp(stripeDeps, createServices(stripeDeps));

  const [member, otherMember, brand, otherBrand, moderator, finance, admin] = await Promise.all([
    signUp(ctx.app),
    signUp(ctx.app),
    signUpBrand(ctx.app, 'Kyoto Paper Co'),
    signUpBrand(ctx.app, 'Osaka Ink Co'),
    signUp(ctx.app),
    signUp(ctx.app),
    signUp(ctx.app),
  ]);
  await ctx.services.accounts.grantRole(moderator!.email, 'moderator');
  await ctx.services.accounts.grantRole(finance!.email, 'finance');
  await ctx.services.accounts.grantRole(admin!.email, 'admin');
  users = {
    member: member!,
    'other member': otherMember!,
    brand: brand!,
    'other brand': otherBrand!,
    moderator: moderator!,
    finance: finance!,
    admin: admin!,
  };
  // Points for each persona's conversion: a conversion short of points is refused at once (409).
  await Promise.all(
    Object.values(users).map((user) =>
      ok(
        api()
          .post('/v1/notes')
          .set(user.auth)
          .send({ ...noteBody(), languages: ['ja', 'en'] }),
        201,
      ),
    ),
  );

  const [memberListing, archivedListing, brandListing, drops] = await Promise.all([
    createListing(ctx.app, member!),
    createListing(ctx.app, member!),
    createListing(ctx.app, brand!, { quantity: 1000 }),
    createListing(ctx.app, brand!, { quantity: 1000, title: 'Drop stock' }),
  ]);
  dropListing = drops.id;
  await ok(api().delete(`/v1/listings/${archivedListing.id}`).set(member!.auth), 200);
  fx = {
    memberListing: memberListing.id,
    archivedListing: archivedListing.id,
    brandListing: brandListing.id,
  } as Fixtures;

  const [order, note, pendingNote, scheduledDrop, live, batch, offer, exp] = await Promise.all([
    freshOrder('pending_payment'),
    freshNote(),
    freshPendingNote(),
    freshScheduledDrop(),
    createDrop(ctx.app, brand!, { stock: 20 }, 0),
    ok(api().post('/v1/brands/me/coupon-batches').set(brand!.auth).send(batchBody()), 201),
    ok(api().post('/v1/campaigns/points-offers').set(brand!.auth).send(matrixOffer()), 201),
    ok(
      api()
        .post('/v1/finance/exports')
        .set(finance!.auth)
        .send({ from: '2026-01-01', to: '2026-01-02', timezone: 'UTC' }),
      202,
    ),
  ]);
  Object.assign(fx, {
    order,
    note,
    pendingNote,
    scheduledDrop,
    liveDrop: live.drop.id,
    couponBatch: batch.body.id,
    offer: offer.body.id,
    financeExport: exp.body.id,
  });

  const [conversion, airdrop] = await Promise.all([
    ok(api().post('/v1/points/conversions').set(member!.auth).send({ offerId: fx.offer }), 202),
    ok(api().post(`/v1/campaigns/points-offers/${fx.offer}/airdrop`).set(brand!.auth), 202),
  ]);
  fx.conversion = conversion.body.id;
  fx.airdropJob = airdrop.body.jobId;

  // Jobs that must have finished for their resource to be usable.
  await Promise.all([
    waitForStatus(ctx.app, fx.liveDrop, 'live'),
    eventually(
      async () =>
        (await api().get(`/v1/brands/me/coupon-batches/${fx.couponBatch}`).set(brand!.auth)).body
          .status === 'ready',
    ),
    eventually(
      async () =>
        (await api().get(`/v1/finance/exports/${fx.financeExport}`).set(finance!.auth)).body
          .status === 'done',
    ),
  ]);
  const csv = await ok(
    api().get(`/v1/brands/me/coupon-batches/${fx.couponBatch}/codes.csv`).set(brand!.auth),
    200,
  );
  fx.couponCode = csv.text.trim().split('\n')[1]!.split(',')[0]!;

  fx.glossaryTerm = await freshTerm();
  await ok(
    api()
      .post('/v1/glossary/terms')
      .set(users.member.auth)
      .send({ term: REVIEW_TAG, language: 'en' }),
    201,
  );
  const [explanation, pendingExplanation, challenge] = await Promise.all([
    ok(
      api()
        .post(`${termPath(fx.glossaryTerm)}/explanations`)
        .set(users.member.auth)
        .send({ language: 'ja', text: 'Published at once.' }),
      201,
    ),
    freshPendingExplanation(),
    ok(api().post('/v1/campaigns/challenges').set(users.brand.auth).send(challengeBody()), 201),
  ]);
  fx.explanation = explanation.body.id;
  fx.pendingExplanation = pendingExplanation;
  fx.challenge = challenge.body.id;
}, 30_000);

afterAll(async () => {
  await workers?.close();
  if (server) await new Promise((resolve) => server.close(resolve));
  await ctx?.close();
  rmSync(exportDir, { recursive: true, force: true });
  rmSync(mediaDir, { recursive: true, force: true });
});

describe('the table covers every route', () => {
  test('every route in /openapi.json has a row, and every /v1 row is a documented route', async () => {
    const doc = await api().get('/openapi.json');
    expect(doc.status).toBe(200);
    const documented = Object.entries(doc.body.paths as Record<string, object>).flatMap(
      ([route, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${route}`),
    );
    const tabled = new Set(ROWS.map(routeKey));
    expect(documented.filter((route) => !tabled.has(route))).toEqual([]);
    const apiRows = [...tabled].filter((route) => !OPS_ROUTES.includes(route));
    expect(apiRows.filter((route) => !documented.includes(route))).toEqual([]);
    expect(documented.length).toBeGreaterThan(40);
  });

  test('every operations route of API.md has a row', () => {
    const tabled = new Set(ROWS.map(routeKey));
    expect(OPS_ROUTES.filter((route) => !tabled.has(route))).toEqual([]);
  });
});

const CELLS = ROWS.flatMap((row) =>
  PERSONAS.map((persona) => ({
    name: `${routeKey(row)}${row.variant ? ` (${row.variant})` : ''} as ${persona} -> ${row.expected[persona]}`,
    row,
    persona,
    status: row.expected[persona],
  })),
);

describe('authorization matrix', () => {
  test.each(CELLS)('$name', async ({ row, persona, status }) => {
    const target = await row.target(persona);
    const agent = request(target.app ?? server);
    let req = {
      GET: () => agent.get(target.url),
      POST: () => agent.post(target.url),
      PUT: () => agent.put(target.url),
      PATCH: () => agent.patch(target.url),
      DELETE: () => agent.delete(target.url),
    }[row.method]();
    if (persona !== 'anonymous') req = req.set(users[persona].auth);
    if (target.headers) req = req.set(target.headers);
    const res = target.body === undefined ? await req : await req.send(target.body as object);

    if (res.status !== status)
      throw new Error(`answered ${res.status}, expected ${status}: ${JSON.stringify(res.body)}`);
    if (res.status >= 400) {
      expect(res.body).toEqual({
        error: expect.objectContaining({
          type: ERROR_TYPES[res.status] ?? expect.any(String),
          code: expect.any(String),
          message: expect.any(String),
        }),
      });
      // A row must name a route that exists.
      expect(res.body.error.code).not.toBe('route_not_found');
    }
  });
});
