import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { App } from '../../../src/http/front-door';
import request, { type Response } from 'supertest';
import { startWorkers, type RunningWorkers } from '../../../jobs/worker';
import { createApp, createServices } from '../../../src/app';
import { createDrop, waitForStatus } from '../../support/drops';
import {
  ADDRESS,
  createListing,
  eventually,
  signUp,
  signUpBrand,
  type TestUser,
} from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';
import {
  REVIEW_TAG,
  WEBHOOK_SECRET,
  batchBody,
  challengeBody,
  dropBody,
  matrixOffer,
  noteBody,
} from './bodies';
import { type SignedIn } from './table';

/**
 * The world every row is checked against: one app with its workers, the personas' accounts, and
 * what they own (`fx`), made once by `setUpWorld`; and the makers of fresh resources for the rows
 * that change a resource's state.
 */

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

export async function ok(res: Response | Promise<Response>, status: number): Promise<Response> {
  const answer = await res;
  if (answer.status !== status)
    throw new Error(
      `setup: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`,
    );
  return answer;
}

export const api = () => request(server);

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
/** An order of member buying brand's listing, brought to `state`. */
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

export let dropListing: string;
export async function freshScheduledDrop(): Promise<string> {
  const res = await ok(
    api().post('/v1/campaigns/drops').set(users.brand.auth).send(dropBody(dropListing)),
    201,
  );
  return res.body.id as string;
}

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
