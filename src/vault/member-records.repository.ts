import type { Db } from '../db/db';
import { selectOne, selectRows } from '../db/sql';

/** What the vault reads of the main database: rows that name a member, and their orders. */

export type Row = Record<string, unknown>;

/** The account row as stored, every column. */
export async function accountRecord(db: Db, userId: string): Promise<Row | undefined> {
  const [account] = await selectRows<Row>(db, 'SELECT * FROM users WHERE id = ?', [userId]);
  return account;
}

/** Every (table, column) of the main database whose column is one of `columns`. */
export function tablesWithColumns(
  db: Db,
  columns: string[],
): Promise<Array<{ table: string; column: string }>> {
  return selectRows<{ table: string; column: string }>(
    db,
    `SELECT TABLE_NAME AS \`table\`, COLUMN_NAME AS \`column\` FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME IN (?) ORDER BY TABLE_NAME, COLUMN_NAME`,
    [columns],
  );
}

/** Rows of `table` whose `column` is `userId` (names checked by the caller: [a-z0-9_]). */
export function rowsNaming(
  db: Db,
  table: string,
  column: string,
  userId: string,
  limit: number,
): Promise<Row[]> {
  return selectRows<Row>(db, `SELECT * FROM \`${table}\` WHERE \`${column}\` = ? LIMIT ${limit}`, [
    userId,
  ]);
}

export interface OrderAddressRecord {
  buyerId: string;
  sellerId: string;
  status: string;
  shippedAt: Date | null;
  stored: string;
}

export function orderAddressRecord(
  db: Db,
  orderId: string,
): Promise<OrderAddressRecord | undefined> {
  return selectOne<OrderAddressRecord>(
    db,
    `SELECT buyer_id AS buyerId, seller_id AS sellerId, status, shipped_at AS shippedAt,
              shipping_address AS stored
         FROM orders WHERE id = ?`,
    [orderId],
  );
}

/** An order of the member (buyer or seller) in one of `statuses`, if any. */
export function orderInStatuses(
  db: Db,
  userId: string,
  statuses: string[],
): Promise<{ id: string } | undefined> {
  return selectOne<{ id: string }>(
    db,
    `SELECT id FROM orders WHERE (buyer_id = ? OR seller_id = ?) AND status IN (?) LIMIT 1`,
    [userId, userId, statuses],
  );
}

/** Orders of vault members after `after` by id: their addresses may still be in the order. */
export function vaultMembersOrders(
  db: Db,
  after: string,
  limit: number,
): Promise<Array<{ id: string; buyerId: string; stored: string }>> {
  return selectRows<{ id: string; buyerId: string; stored: string }>(
    db,
    `SELECT o.id, o.buyer_id AS buyerId, o.shipping_address AS stored
         FROM orders o JOIN users u ON u.id = o.buyer_id
        WHERE u.email LIKE '%@vault.invalid' AND o.id > ? ORDER BY o.id LIMIT ${limit}`,
    [after],
  );
}
