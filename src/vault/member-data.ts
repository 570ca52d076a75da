import type { Db } from '../db/db';
import {
  accountRecord,
  rowsNaming,
  tablesWithColumns,
  type Row,
} from './member-records.repository';
import { sealedRef } from './vault-orders';
import { Vault } from './vault.repository';

/** Columns that name the member a row is about, in any table of the main database. */
const MEMBER_COLUMNS = [
  'user_id',
  'author_id',
  'buyer_id',
  'seller_id',
  'owner_id',
  'voter_id',
  'member_id',
];
/** Secrets of the member's own sessions and links: not part of "what is held about" them. */
const SKIPPED_TABLES = new Set(['auth_tokens', 'account_tokens', 'users']);
const SKIPPED_COLUMNS = new Set([
  'password_hash',
  'email_hmac',
  'token_hash',
  'payment_client_secret',
  'secret',
]);
const ROWS_PER_TABLE = 50_000;

function plain(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row)
      .filter(([column]) => !SKIPPED_COLUMNS.has(column))
      .map(([column, value]) => [column, value instanceof Date ? value.toISOString() : value]),
  );
}

/**
 * Everything held about a member (API.md, data export): their account, every row of the main
 * database that names them (found by column through information_schema, so tables added later
 * are in it too), with their vault data (email, shipping addresses, the log of who read them)
 * put back in place.
 */
export async function collectMemberData(
  db: Db,
  vault: Vault,
  userId: string,
): Promise<Record<string, unknown>> {
  const account = await accountRecord(db, userId);
  if (!account) return {};
  const fromVault = Vault.memberOf(String(account.email))
    ? await vault.readAll(userId, { actorId: userId, purpose: 'data_export' })
    : null;
  const columns = await tablesWithColumns(db, MEMBER_COLUMNS);
  const tables: Record<string, Row[]> = {};
  for (const { table, column } of columns) {
    if (SKIPPED_TABLES.has(table) || !/^[a-z0-9_]+$/.test(table)) continue;
    const rows = await rowsNaming(db, table, column, userId, ROWS_PER_TABLE);
    if (rows.length === 0) continue;
    const key = column === 'user_id' ? table : `${table} (${column})`;
    tables[key] = rows.map((row) => {
      const shown = plain(row);
      if (table === 'orders' && typeof row.shipping_address === 'string') {
        // Only the buyer's own addresses are theirs to see here.
        const ref = sealedRef(row.shipping_address);
        shown.shipping_address =
          column !== 'buyer_id'
            ? undefined
            : ref
              ? (fromVault?.shippingAddresses.find((a) => a.id === ref) ?? null)
              : (JSON.parse(row.shipping_address) as unknown);
      }
      return shown;
    });
  }
  return {
    exportedAt: new Date().toISOString(),
    account: { ...plain(account), email: fromVault ? fromVault.email : account.email },
    vault: fromVault,
    tables,
  };
}
