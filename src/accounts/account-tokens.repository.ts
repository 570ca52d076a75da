import type { Db } from '../db/db';
import { execute, selectOne, type Tx } from '../db/sql';

/** What a one-time link is for. */
export type AccountTokenPurpose = 'password_reset' | 'email_verification';

export async function insertAccountToken(
  db: Db,
  token: {
    tokenHash: string;
    userId: string;
    purpose: AccountTokenPurpose;
    createdAt: Date;
    expiresAt: Date;
  },
  tx: Tx,
): Promise<void> {
  await execute(
    db,
    `INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
    [token.tokenHash, token.userId, token.purpose, token.createdAt, token.expiresAt],
    tx,
  );
}

/** Uses the token up if it is unused and unexpired; answers whether it was. */
export async function useAccountToken(
  db: Db,
  tokenHash: string,
  purpose: AccountTokenPurpose,
  now: Date,
  tx: Tx,
): Promise<boolean> {
  const used = await execute(
    db,
    `UPDATE account_tokens SET used_at = ? WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?`,
    [now, tokenHash, purpose, now],
    tx,
  );
  return used > 0;
}

export async function accountTokenUserId(
  db: Db,
  tokenHash: string,
  tx: Tx,
): Promise<string | undefined> {
  const row = await selectOne<{ userId: string }>(
    db,
    'SELECT user_id AS userId FROM account_tokens WHERE token_hash = ?',
    [tokenHash],
    tx,
  );
  return row?.userId;
}

/** Every unused reset link of the user stops working. */
export async function useUpAllResetTokens(
  db: Db,
  userId: string,
  now: Date,
  tx: Tx,
): Promise<void> {
  await execute(
    db,
    `UPDATE account_tokens SET used_at = ? WHERE user_id = ? AND purpose = 'password_reset' AND used_at IS NULL`,
    [now, userId],
    tx,
  );
}

export async function deleteAccountTokensOf(db: Db, userId: string, tx: Tx): Promise<void> {
  await execute(db, 'DELETE FROM account_tokens WHERE user_id = ?', [userId], tx);
}
