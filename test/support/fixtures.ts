import { randomBytes } from 'node:crypto';
import type { App } from '../../src/http/front-door';
import request from 'supertest';

export interface TestUser {
  id: string;
  token: string;
  email: string;
  brandId?: string;
  auth: { Authorization: string };
}

/** Signs a user up through the API. */
export async function signUp(app: App, overrides: Record<string, unknown> = {}): Promise<TestUser> {
  const email = `u${randomBytes(6).toString('hex')}@example.com`;
  const res = await request(app)
    .post('/v1/auth/signup')
    .send({
      email,
      password: 'correct horse battery',
      displayName: 'Test',
      country: 'JP',
      timezone: 'Asia/Tokyo',
      accountType: 'member',
      ...overrides,
    });
  if (res.status !== 201)
    throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    id: res.body.user.id,
    token: res.body.token,
    email: res.body.user.email,
    brandId: res.body.user.brandId,
    auth: { Authorization: `Bearer ${res.body.token}` },
  };
}

export function signUpBrand(app: App, brandName = 'Test Brand'): Promise<TestUser> {
  return signUp(app, { accountType: 'brand', brandName });
}

/** Lists an item through the API and answers the listing. */
export async function createListing(
  app: App,
  seller: TestUser,
  overrides: Record<string, unknown> = {},
) {
  const res = await request(app)
    .post('/v1/listings')
    .set(seller.auth)
    .send({
      title: 'Tea bowl',
      description: 'Hand thrown',
      priceAmount: 2000,
      currency: 'USD',
      quantity: 5,
      category: 'ceramics',
      condition: 'handmade',
      ...overrides,
    });
  if (res.status !== 201)
    throw new Error(`listing failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; quantity: number; priceAmount: number; currency: string };
}

/** A points offer's fields: 10 % off for 20 points, budget 100, running from a second ago for a day. */
export function offerBody(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Washi notebook 10% off',
    pointsCost: 20,
    coupon: { discountType: 'percent', percentOff: 10, validDays: 30 },
    budget: 100,
    startsAt: new Date(Date.now() - 1000).toISOString(),
    endsAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    ...overrides,
  };
}

/** A points offer of `owner`'s brand (offerBody with `overrides`). */
export async function createOffer(
  app: Parameters<typeof request>[0],
  owner: TestUser,
  overrides: Record<string, unknown> = {},
) {
  const res = await request(app)
    .post('/v1/campaigns/points-offers')
    .set(owner.auth)
    .send(offerBody(overrides));
  if (res.status !== 201)
    throw new Error(`offer failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; pointsCost: number; budget: number; issued: number };
}

export const ADDRESS = {
  name: 'Ana Souza',
  line1: 'Rua Augusta 1',
  city: 'São Paulo',
  postalCode: '01305-000',
  country: 'BR',
};

/** Polls `check` until it answers a value, or fails naming `what` after `ms`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  ms = 10_000,
  every = 50,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

/** Polls `check` until it answers a value, or fails after `ms`. */
export function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  ms = 10_000,
  every = 50,
): Promise<T> {
  return until('a condition', check, ms, every);
}
