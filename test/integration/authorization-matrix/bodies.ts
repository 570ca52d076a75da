import { randomBytes, randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { PUZZLE } from '../../support/drops';
import { offerBody } from '../../support/fixtures';

/** What rows and setup send: request bodies, and the fixed values in them. */

export const PASSWORD = 'correct horse battery';
export const REVIEW_TAG = 'matrix-review';
export const WEBHOOK_SECRET = 'whsec_matrix_secret';
export const HOUR = 3600_000;

export function noteBody(tags: string[] = []) {
  return {
    clientId: randomUUID(),
    title: 'Tea in Uji',
    body: 'How the first flush is picked.',
    languages: ['ja'],
    cultureTags: tags,
  };
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
