import { randomUUID } from 'node:crypto';
import { WEB_TEST } from './service';

/** Direct API calls for test set-up (what a page would otherwise take many clicks to make). */
async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(`${WEB_TEST.url}${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
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
  seller: Member,
  fields: Partial<{ title: string; priceAmount: number; currency: string; shipsTo: string[] }> = {},
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
      category: 'test',
      condition: 'new',
      ...(fields.shipsTo ? { shipsTo: fields.shipsTo } : {}),
    },
    seller.token,
  );
}
