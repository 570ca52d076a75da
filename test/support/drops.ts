import { randomBytes } from 'node:crypto';
import type { App } from '../../src/http/front-door';
import type { Db } from '../../src/db/db';
import request from 'supertest';
import type { SessionCache } from '../../src/accounts/session-cache';
import { hashToken } from '../../src/accounts/tokens';
import { newId } from '../../src/ids';
import { createListing, eventually, type TestUser } from './fixtures';

export const PUZZLE = {
  question: {
    en: 'Which mountain appears on the back of the 1000-yen note?',
    ja: '千円札の裏に描かれている山は？',
  },
  answers: ['Mount Fuji', '富士山', 'Fujisan'],
  hints: [
    { afterHours: 0, text: { en: 'It is a volcano.' } },
    { afterHours: 24, text: { en: 'Its name has four letters in romaji.' } },
  ],
};

/** A drop of a fresh listing of `brand`, starting `inMs` from now. */
export async function createDrop(
  app: App,
  brand: TestUser,
  overrides: Record<string, unknown> = {},
  inMs = 300,
) {
  const listing = await createListing(app, brand, {
    quantity: 100,
    priceAmount: 5000,
    currency: 'JPY',
    title: 'Limited matcha set',
  });
  const res = await request(app)
    .post('/v1/campaigns/drops')
    .set(brand.auth)
    .send({
      title: 'Fuji drop',
      listingId: listing.id,
      stock: 5,
      startsAt: new Date(Date.now() + inMs).toISOString(),
      timezone: 'Asia/Tokyo',
      durationHours: 1,
      puzzle: PUZZLE,
      ...overrides,
    });
  if (res.status !== 201) throw new Error(`drop failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    drop: res.body as { id: string; status: string; stock: number; listingId: string },
    listing,
  };
}

export async function waitForStatus(
  app: App,
  dropId: string,
  status: string,
  ms = 10_000,
): Promise<number> {
  await eventually(
    async () => (await request(app).get(`/v1/campaigns/drops/${dropId}`)).body.status === status,
    ms,
    25,
  );
  return Date.now();
}

/**
 * Many members at once, written straight to MySQL (signing 500 people up through scrypt would
 * only time the password hash). Each gets a working bearer token.
 */
/**
 * Members signed in, fast: users and tokens written straight to MySQL; with `sessions`, also the
 * Redis session that signing in through the API writes.
 */
export async function bulkMembers(
  db: Db,
  count: number,
  sessions?: SessionCache,
): Promise<TestUser[]> {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + 86_400_000);
  const users = Array.from({ length: count }, () => {
    const token = `cs_${randomBytes(32).toString('base64url')}`;
    const id = newId('usr');
    return { id, token, email: `${id}@bulk.test`, auth: { Authorization: `Bearer ${token}` } };
  });
  for (let i = 0; i < users.length; i += 500) {
    const chunk = users.slice(i, i + 500);
    await db.query(
      `INSERT INTO users (id, email, password_hash, display_name, country, timezone, roles, auto_convert_points, created_at, updated_at)
       VALUES ${chunk.map(() => "(?, ?, 'scrypt$disabled', 'Bulk', 'JP', 'Asia/Tokyo', 'member', 0, ?, ?)").join(', ')}`,
      chunk.flatMap((u) => [u.id, u.email, now, now]),
    );
    await db.query(
      `INSERT INTO auth_tokens (token_hash, user_id, created_at, expires_at) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((u) => [hashToken(u.token), u.id, now, expiresAt]),
    );
    if (sessions) {
      await Promise.all(
        chunk.map((u) =>
          sessions.put(
            hashToken(u.token),
            {
              userId: u.id,
              roles: new Set(['member']),
              brandId: null,
              country: 'JP',
              timezone: 'Asia/Tokyo',
            },
            expiresAt,
          ),
        ),
      );
    }
  }
  return users;
}
