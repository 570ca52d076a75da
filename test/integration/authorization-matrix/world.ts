import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { App } from '../../../src/http/front-door';
import type Stripe from 'stripe';
import request, { type Response } from 'supertest';
import { startWorkers, type RunningWorkers } from '../../../jobs/worker';
import { createApp, createServices } from '../../../src/app';
import { PUZZLE, createDrop, waitForStatus } from '../../support/drops';
import {
  ADDRESS,
  createListing,
  eventually,
  signUp,
  signUpBrand,
  type TestUser,
  offerBody,
} from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';

/**
 * Every endpoint of the app x every kind of caller, each cell its own test. The table is checked
 * against the routes the app documents (/openapi.json), so a route added without a row fails here.
 */

export const PERSONAS = [
  'anonymous',
  'member',
  'other member',
  'brand',
  'other brand',
  'moderator',
  'finance',
  'admin',
] as const;
export type Persona = (typeof PERSONAS)[number];
export type SignedIn = Exclude<Persona, 'anonymous'>;
export type Expected = Record<Persona, number>;

export const PASSWORD = 'correct horse battery';
export const REVIEW_TAG = 'matrix-review';
export const WEBHOOK_SECRET = 'whsec_matrix_secret';
export const HOUR = 3600_000;
export const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request',
  401: 'authentication',
  403: 'permission',
  404: 'not_found',
  409: 'conflict',
};

/** The routes outside /v1 that API.md names (Operations); they are not in /openapi.json. */
export const OPS_ROUTES = [
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /openapi.json',
  'GET /docs',
  'GET /admin/queues',
];

export const exportDir = mkdtempSync(path.join(tmpdir(), 'cs-matrix-exports-'));
export const mediaDir = mkdtempSync(path.join(tmpdir(), 'cs-matrix-media-'));
export let ctx: TestContext;
export let server: Server;
export let webhookApp: App;
export let workers: RunningWorkers;
export let users: Record<SignedIn, TestUser>;

/** What the personas own, made once; rows that change a resource's state make a fresh one. */
export interface Fixtures {
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
export let fx: Fixtures;

// Expectation builders: who gets what, everyone else the given denial.
export const everyone = (status: number): Expected =>
  Object.fromEntries(PERSONAS.map((p) => [p, status])) as Expected;
export const signedIn = (status: number): Expected => ({ ...everyone(status), anonymous: 401 });
export function only(allowed: Partial<Record<SignedIn, number>>, denied = 403): Expected {
  return { ...everyone(denied), anonymous: 401, ...allowed };
}
export const brandsOnly = (brand: number, otherBrand: number) =>
  only({ brand, 'other brand': otherBrand });

export interface Target {
  url: string;
  body?: unknown;
  /** Absent keys as `undefined` too: a row's headers are often `{}` for one persona. */
  headers?: Record<string, string | undefined>;
  app?: App;
}

export interface Row {
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

export async function ok(res: Response | Promise<Response>, status: number): Promise<Response> {
  const answer = await res;
  if (answer.status !== status)
    throw new Error(
      `setup: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`,
    );
  return answer;
}

export const api = () => request(server);

export function noteBody(tags: string[] = []) {
  return {
    clientId: randomUUID(),
    title: 'Tea in Uji',
    body: 'How the first flush is picked.',
    languages: ['ja'],
    cultureTags: tags,
  };
}

export async function freshNote(tags: string[] = []): Promise<string> {
  const res = await ok(api().post('/v1/notes').set(users.member.auth).send(noteBody(tags)), 201);
  return res.body.id as string;
}

export const freshPendingNote = () => freshNote([REVIEW_TAG]);

/** A glossary term of member's, new each time. */
export async function freshTerm(): Promise<string> {
  const term = `matrix ${randomBytes(4).toString('hex')}`;
  await ok(
    api().post('/v1/glossary/terms').set(users.member.auth).send({ term, language: 'en' }),
    201,
  );
  return term;
}

export const termPath = (term: string) => `/v1/glossary/terms/${encodeURIComponent(term)}`;
export let heldLanguages = 0;

/** member's explanation of the review tag as a term, held by the buffer (one per language). */
export async function freshPendingExplanation(): Promise<string> {
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

export type OrderState = 'pending_payment' | 'paid' | 'shipped';

/** An order of member buying brand's listing, brought to `state`. */
/** A data export of the member, ready to download (`fresh`: a new one; else one made once). */
export let memberExport: Promise<string> | undefined;
export async function readyDataExport(fresh = false): Promise<string> {
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

export async function freshOrder(state: OrderState): Promise<string> {
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

export function dropBody(listingId: string) {
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
export const webhookEndpointBody = { url: 'https://8.8.8.8:9/matrix', events: ['drop.ended'] };

export async function freshWebhookEndpoint(): Promise<string> {
  const res = await ok(
    api().post('/v1/webhook-endpoints').set(users.member.auth).send(webhookEndpointBody),
    201,
  );
  return res.body.id as string;
}

export let memberEndpoint: Promise<string> | undefined;
export const memberWebhookEndpoint = () => (memberEndpoint ??= freshWebhookEndpoint());

export let dropListing: string;
export async function freshScheduledDrop(): Promise<string> {
  const res = await ok(
    api().post('/v1/campaigns/drops').set(users.brand.auth).send(dropBody(dropListing)),
    201,
  );
  return res.body.id as string;
}

// Every persona converts once in its row (and the member once more in setup): room for that.
export const matrixOffer = () =>
  offerBody({
    pointsCost: 10,
    budget: 1000,
    perUserLimit: 5,
    startsAt: new Date(Date.now() - 60_000).toISOString(),
  });

export function challengeBody() {
  return {
    title: 'Matrix challenge',
    tag: 'matrix-challenge',
    startsAt: new Date(Date.now() - HOUR).toISOString(),
    endsAt: new Date(Date.now() + 24 * HOUR).toISOString(),
    maxParticipants: 100,
    bonusPoints: 10,
  };
}

export function batchBody() {
  return {
    count: 2,
    discountType: 'percent',
    percentOff: 10,
    expiresAt: new Date(Date.now() + 24 * HOUR).toISOString(),
  };
}

/** A second session of the persona: signing it out leaves the persona's own token alone. */
export async function freshSession(as: SignedIn): Promise<string> {
  const res = await ok(
    api().post('/v1/auth/login').send({ email: users[as].email, password: PASSWORD }),
    200,
  );
  return res.body.token as string;
}

export function signupBody(accountType: 'member' | 'brand' = 'member') {
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
export function stripeEvent(): Stripe.Event {
  return {
    id: `evt_${randomBytes(12).toString('hex')}`,
    object: 'event',
    type: 'customer.created',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: { object: { id: `cus_${randomBytes(8).toString('hex')}`, object: 'customer' } },
  } as unknown as Stripe.Event;
}

export const routeKey = (row: Pick<Row, 'method' | 'path'>) => `${row.method} ${row.path}`;

/** The accounts, resources and apps every row is checked against. */
export async function setUpWorld(): Promise<void> {
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
}

export async function tearDownWorld(): Promise<void> {
  await workers?.close();
  if (server) await new Promise((resolve) => server.close(resolve));
  await ctx?.close();
  rmSync(exportDir, { recursive: true, force: true });
  rmSync(mediaDir, { recursive: true, force: true });
}
