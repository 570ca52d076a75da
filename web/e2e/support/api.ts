import { randomUUID } from 'node:crypto';
import { callApi } from './http';
import { WEB_TEST } from './service';

/** Direct API calls for test set-up (what a page would otherwise take many clicks to make). */
function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  return callApi<T>(WEB_TEST.url, method, path, token, body);
}

export interface Member {
  email: string;
  password: string;
  token: string;
  id: string;
  displayName: string;
}

export async function signUpMember(country = 'JP'): Promise<Member> {
  const email = `web-${randomUUID()}@example.test`;
  const password = 'correct horse battery';
  const displayName = `Seller ${email.slice(4, 10)}`;
  const { token, user } = await call<{ token: string; user: { id: string } }>(
    'POST',
    '/v1/auth/signup',
    {
      email,
      password,
      displayName,
      country,
      accountType: 'member',
    },
  );
  return { email, password, token, id: user.id, displayName };
}

export async function createListing(
  seller: { token: string },
  fields: Partial<{
    title: string;
    priceAmount: number;
    currency: string;
    shipsTo: string[];
    images: string[];
    category: string;
    condition: 'new' | 'used' | 'handmade';
  }> = {},
): Promise<{ id: string; title: string }> {
  return call(
    'POST',
    '/v1/listings',
    {
      title: fields.title ?? `Test item ${randomUUID().slice(0, 8)}`,
      description: 'Made for a browser test.',
      priceAmount: fields.priceAmount ?? 1500,
      currency: fields.currency ?? 'JPY',
      quantity: 3,
      category: fields.category ?? 'test',
      condition: fields.condition ?? 'new',
      ...(fields.shipsTo ? { shipsTo: fields.shipsTo } : {}),
      ...(fields.images ? { images: fields.images } : {}),
    },
    seller.token,
  );
}

export const DEMO_BRAND = { email: 'brand@demo.cyberstall.test', password: 'cyberstall-demo' };

export async function signIn(email: string, password: string): Promise<string> {
  const { token } = await call<{ token: string }>('POST', '/v1/auth/login', { email, password });
  return token;
}

/** One single-use percent coupon of the brand, once its batch job has written it. */
export async function createCoupon(brandToken: string, percentOff: number): Promise<string> {
  const expiresAt = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
  const batch = await call<{ id: string }>(
    'POST',
    '/v1/brands/me/coupon-batches',
    { count: 1, discountType: 'percent', percentOff, expiresAt },
    brandToken,
  );
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const response = await fetch(
      `${WEB_TEST.url}/v1/brands/me/coupon-batches/${batch.id}/codes.csv`,
      {
        headers: { Authorization: `Bearer ${brandToken}` },
      },
    );
    if (response.ok) {
      const code = /[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(await response.text());
      if (code) return code[0];
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error('coupon batch was not written within 20 s');
}

/**
 * A drop of a fresh listing of the demo brand, opening a few seconds from now; `overrides`
 * replace fields of the body (stock, puzzle, limits).
 */
export async function createDrop(
  brandToken: string,
  opensInMs: number,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; listingId: string }> {
  const listing = await createListing(
    { token: brandToken },
    { title: `Drop item ${randomUUID().slice(0, 6)}`, priceAmount: 5400, currency: 'JPY' },
  );
  const drop = await call<{ id: string }>(
    'POST',
    '/v1/campaigns/drops',
    {
      title: `Fuji riddle ${randomUUID().slice(0, 6)}`,
      listingId: listing.id,
      stock: 2,
      startsAt: new Date(Date.now() + opensInMs).toISOString(),
      timezone: 'Asia/Tokyo',
      durationHours: 1,
      puzzle: {
        question: {
          en: 'Which mountain is on the back of the 1000-yen note?',
          ja: '千円札の裏に描かれている山は？',
        },
        answers: ['富士山', 'Mount Fuji'],
        hints: [
          { afterHours: 0, text: { en: 'Seen from Lake Motosu.', ja: '本栖湖から見えます。' } },
        ],
      },
      maxAttemptsPerUser: 10,
      perUserLimit: 1,
      reservationMinutes: 10,
      ...overrides,
    },
    brandToken,
  );
  return { id: drop.id, listingId: listing.id };
}

/** Waits until the drop's opening job has made it live. */
export async function waitUntilLive(dropId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if ((await call<{ status: string }>('GET', `/v1/campaigns/drops/${dropId}`)).status === 'live')
      return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`drop ${dropId} was not live within 30 s`);
}

/** One answer through the API, as another member (or the same one on another device) gives it. */
export function answerDrop(
  token: string,
  dropId: string,
  answer: string,
): Promise<{ correct: boolean; attemptsLeft?: number; reservation?: { purchaseUrl: string } }> {
  return call('POST', `/v1/campaigns/drops/${dropId}/attempts`, { answer }, token);
}

export async function shipOrder(sellerToken: string, orderId: string): Promise<void> {
  await call(
    'POST',
    `/v1/orders/${orderId}/ship`,
    { carrier: 'Japan Post', trackingNumber: 'EJ123456789JP' },
    sellerToken,
  );
}

/** A photo uploaded through POST /v1/media; answers its id. */
export async function uploadPhoto(token: string, png: Buffer): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'photo.png');
  const response = await fetch(`${WEB_TEST.url}/v1/media`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  });
  if (!response.ok) throw new Error(`POST /v1/media: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}
