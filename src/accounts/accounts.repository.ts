import type { Db } from '../db/db';
import { execute, selectOne, selectRows, type Tx } from '../db/sql';

export interface UserRow {
  id: string;
  email: string;
  /** HMAC of the email (src/vault): what sign-in and uniqueness use. */
  emailHmac: string | null;
  emailVerifiedAt: Date | null;
  passwordHash: string;
  displayName: string;
  country: string;
  timezone: string;
  locale: string;
  roles: string;
  brandId: string | null;
  autoConvertPoints: boolean;
  erasedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewUser = Omit<UserRow, 'createdAt' | 'updatedAt' | 'erasedAt'>;

/** What a member may change of their own account (PATCH /v1/me). */
export interface UserChanges {
  displayName?: string;
  timezone?: string;
  autoConvertPoints?: boolean;
  locale?: string;
}

const USER_COLUMNS = `id, email, email_hmac AS emailHmac, erased_at AS erasedAt,
  email_verified_at AS emailVerifiedAt, password_hash AS passwordHash, display_name AS displayName,
  country, timezone, locale, roles, brand_id AS brandId, auto_convert_points AS autoConvertPoints,
  created_at AS createdAt, updated_at AS updatedAt`;

const CHANGE_COLUMNS: Record<keyof UserChanges, string> = {
  displayName: 'display_name',
  timezone: 'timezone',
  autoConvertPoints: 'auto_convert_points',
  locale: 'locale',
};

/** A unique key refused the row (MySQL 1062): an e-mail, brand or token that exists already. */
export function isDuplicateKey(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ER_DUP_ENTRY';
}

/** Inserts a user, stamped now; answers the row as stored. */
export async function insertUser(db: Db, user: NewUser, tx: Tx): Promise<UserRow> {
  const now = new Date();
  await execute(
    db,
    `INSERT INTO users (id, email, email_hmac, password_hash, display_name, country, timezone, roles,
       brand_id, auto_convert_points, locale, email_verified_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      user.id,
      user.email,
      user.emailHmac,
      user.passwordHash,
      user.displayName,
      user.country,
      user.timezone,
      user.roles,
      user.brandId,
      user.autoConvertPoints,
      user.locale,
      user.emailVerifiedAt,
      now,
      now,
    ],
    tx,
  );
  return { ...user, createdAt: now, updatedAt: now };
}

export async function insertBrand(
  db: Db,
  brand: { id: string; ownerId: string; name: string },
  tx: Tx,
): Promise<void> {
  const now = new Date();
  await execute(
    db,
    'INSERT INTO brands (id, owner_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    [brand.id, brand.ownerId, brand.name, now, now],
    tx,
  );
}

export function userById(db: Db, userId: string): Promise<UserRow | undefined> {
  return selectOne<UserRow>(db, `SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, [userId]);
}

/** By the email's HMAC; rows from before the HMAC column by the (lower-cased) address itself. */
export function userByEmail(db: Db, hmac: string, address: string): Promise<UserRow | undefined> {
  return selectOne<UserRow>(
    db,
    `SELECT ${USER_COLUMNS} FROM users WHERE (email_hmac = ? OR email = ?) LIMIT 1`,
    [hmac, address],
  );
}

export interface Recipient {
  id: string;
  email: string;
  displayName: string;
  timezone: string;
  locale: string;
}

/** The account of an address, found by its keyed digest (every account has one: src/vault). */
export function recipientByEmailHmac(db: Db, hmac: string): Promise<Recipient | undefined> {
  return selectOne<Recipient>(
    db,
    `SELECT id, email, display_name AS displayName, timezone, locale FROM users
      WHERE email_hmac = ? LIMIT 1`,
    [hmac],
  );
}

export function passwordHashOf(
  db: Db,
  userId: string,
): Promise<{ passwordHash: string } | undefined> {
  return selectOne<{ passwordHash: string }>(
    db,
    'SELECT password_hash AS passwordHash FROM users WHERE id = ?',
    [userId],
  );
}

/** Only the columns given change; updated_at is stamped now. */
export async function updateUser(db: Db, userId: string, changes: UserChanges): Promise<void> {
  const columns = (Object.keys(CHANGE_COLUMNS) as Array<keyof UserChanges>).filter(
    (key) => changes[key] !== undefined,
  );
  if (columns.length === 0) return;
  await execute(
    db,
    `UPDATE users SET ${columns.map((key) => `${CHANGE_COLUMNS[key]} = ?`).join(', ')}, updated_at = ?
      WHERE id = ?`,
    [...columns.map((key) => changes[key]), new Date(), userId],
  );
}

export async function setRoles(db: Db, userId: string, roles: string): Promise<void> {
  await execute(db, 'UPDATE users SET roles = ?, updated_at = ? WHERE id = ?', [
    roles,
    new Date(),
    userId,
  ]);
}

export async function setPasswordHash(
  db: Db,
  userId: string,
  passwordHash: string,
  at: Date,
  tx: Tx,
): Promise<void> {
  await execute(
    db,
    'UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?',
    [passwordHash, at, userId],
    tx,
  );
}

export async function markEmailVerified(db: Db, userId: string, at: Date, tx: Tx): Promise<void> {
  await execute(
    db,
    'UPDATE users SET email_verified_at = COALESCE(email_verified_at, ?) WHERE id = ?',
    [at, userId],
    tx,
  );
}

export interface ProfileRow {
  id: string;
  displayName: string;
  country: string;
  brandName: string | null;
  createdAt: Date;
  listingsCount: number | string;
  notesCount: number | string;
}

/** Public names and counts of what the public can see, each counted on its author index. */
export function profileRow(db: Db, userId: string): Promise<ProfileRow | undefined> {
  return selectOne<ProfileRow>(
    db,
    `SELECT u.id, u.display_name AS displayName, u.country, b.name AS brandName, u.created_at AS createdAt,
            (SELECT COUNT(*) FROM listings l WHERE l.seller_id = u.id AND l.status = 'active') AS listingsCount,
            (SELECT COUNT(*) FROM notes n WHERE n.author_id = u.id AND n.status = 'published') AS notesCount
       FROM users u LEFT JOIN brands b ON b.id = u.brand_id
      WHERE u.id = ?`,
    [userId],
  );
}

/** Accounts from before the email_hmac column (vault members' placeholders aside). */
export function usersWithoutEmailHmac(
  db: Db,
  limit: number,
): Promise<Array<{ id: string; email: string }>> {
  return selectRows<{ id: string; email: string }>(
    db,
    `SELECT id, email FROM users WHERE email_hmac IS NULL AND erased_at IS NULL
        AND email NOT LIKE '%@vault.invalid' LIMIT ${limit}`,
  );
}

/** Members of `countries` whose email is still in the main database. */
export function vaultUsersToMove(
  db: Db,
  countries: string[],
  limit: number,
): Promise<Array<{ id: string; email: string }>> {
  return selectRows<{ id: string; email: string }>(
    db,
    `SELECT id, email FROM users WHERE country IN (?) AND erased_at IS NULL
        AND email NOT LIKE '%@vault.invalid' LIMIT ${limit}`,
    [countries],
  );
}

/**
 * Gives each account its email's HMAC, in one statement: an account whose email changed since
 * it was read keeps none (the next start gives it one).
 */
export async function setEmailHmacs(
  db: Db,
  accounts: ReadonlyArray<{ id: string; email: string; hmac: string }>,
): Promise<void> {
  if (accounts.length === 0) return;
  await execute(
    db,
    `UPDATE users SET email_hmac = CASE ${accounts.map(() => 'WHEN id = ? AND email = ? THEN ?').join(' ')}
        ELSE email_hmac END
      WHERE id IN (?)`,
    [...accounts.flatMap((a) => [a.id, a.email, a.hmac]), accounts.map((a) => a.id)],
  );
}

/** Replaces the user's email `from` by `to` (unchanged if it is no longer `from`). */
export async function setEmail(db: Db, userId: string, from: string, to: string): Promise<void> {
  await execute(db, 'UPDATE users SET email = ? WHERE id = ? AND email = ?', [to, userId, from]);
}

export function unerasedCredentials(
  db: Db,
  userId: string,
): Promise<{ email: string; passwordHash: string; country: string } | undefined> {
  return selectOne<{ email: string; passwordHash: string; country: string }>(
    db,
    'SELECT email, password_hash AS passwordHash, country FROM users WHERE id = ? AND erased_at IS NULL',
    [userId],
  );
}

/** Erasure: the account keeps its id, loses what names or signs in the member. */
export async function eraseUser(
  db: Db,
  userId: string,
  erased: { email: string; displayName: string; at: Date },
  tx: Tx,
): Promise<void> {
  await execute(
    db,
    `UPDATE users SET email = ?, email_hmac = NULL, password_hash = '', display_name = ?,
            email_verified_at = NULL, erased_at = ?, updated_at = ?
      WHERE id = ?`,
    [erased.email, erased.displayName, erased.at, erased.at, userId],
    tx,
  );
}

export async function countUsers(db: Db): Promise<number> {
  const row = await selectOne<{ n: number | string }>(db, 'SELECT COUNT(*) AS n FROM users');
  return Number(row?.n ?? 0);
}
