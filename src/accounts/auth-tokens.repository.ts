import type { Db } from '../db/db';
import { execute, selectOne, selectRows, type Tx } from '../db/sql';

export async function insertAuthToken(
  db: Db,
  token: { tokenHash: string; userId: string; createdAt: Date; expiresAt: Date },
  tx?: Tx,
): Promise<void> {
  await execute(
    db,
    'INSERT INTO auth_tokens (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
    [token.tokenHash, token.userId, token.createdAt, token.expiresAt],
    tx,
  );
}

export async function deleteAuthToken(db: Db, tokenHash: string, userId: string): Promise<void> {
  await execute(db, 'DELETE FROM auth_tokens WHERE token_hash = ? AND user_id = ?', [
    tokenHash,
    userId,
  ]);
}

/** The hashes of the user's tokens but `keep`'s. */
export async function authTokenHashesOf(
  db: Db,
  userId: string,
  keep: string | null,
  tx?: Tx,
): Promise<string[]> {
  const rows = await selectRows<{ tokenHash: string }>(
    db,
    `SELECT token_hash AS tokenHash FROM auth_tokens WHERE user_id = ?${keep ? ' AND token_hash != ?' : ''}`,
    keep ? [userId, keep] : [userId],
    tx,
  );
  return rows.map((row) => row.tokenHash);
}

export async function deleteAuthTokens(db: Db, hashes: string[], tx?: Tx): Promise<void> {
  await execute(db, 'DELETE FROM auth_tokens WHERE token_hash IN (?)', [hashes], tx);
}

export function deleteExpiredAuthTokens(db: Db, now: Date): Promise<number> {
  return execute(db, 'DELETE FROM auth_tokens WHERE expires_at <= ?', [now]);
}

export interface TokenSession {
  id: string;
  roles: string;
  brandId: string | null;
  country: string;
  timezone: string;
  expiresAt: Date;
}

/** The user behind an unexpired session token. */
export function sessionByTokenHash(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<TokenSession | undefined> {
  return selectOne<TokenSession>(
    db,
    `SELECT u.id, u.roles, u.brand_id AS brandId, u.country, u.timezone, t.expires_at AS expiresAt
       FROM auth_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = ? AND t.expires_at > ?`,
    [tokenHash, now],
  );
}
