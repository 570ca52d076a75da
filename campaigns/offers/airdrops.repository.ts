import type { Db } from '../../src/db/db';
import { execute, selectOne, selectRows, type Tx } from '../../src/db/sql';
import type { OfferRow } from './offers.repository';

export type StoppedBy = 'budget_exhausted' | 'offer_not_active';

export interface AirdropRow {
  id: string;
  offerId: string;
  brandId: string;
  status: 'waiting' | 'active' | 'completed' | 'failed';
  total: number | null;
  done: number;
  issued: number;
  cursorMemberId: string;
  stoppedBy: StoppedBy | null;
}

const COLUMNS = `id, offer_id AS offerId, brand_id AS brandId, status, total, done, issued,
  cursor_member_id AS cursorMemberId, stopped_by AS stoppedBy`;

/**
 * Members who opted in, can pay, and are under the offer's per-member limit, after `cursor`.
 * STRAIGHT_JOIN walks balances by primary key from the cursor: left to itself the optimizer
 * may walk the opted-in users' index from the start on every batch (quadratic, and locking
 * every row it passed).
 */
const ELIGIBLE = `FROM point_balances b STRAIGHT_JOIN users u ON u.id = b.member_id
  WHERE b.member_id > ? AND b.balance >= ? AND u.auto_convert_points = 1
    AND (SELECT COUNT(*) FROM coupons c WHERE c.offer_id = ? AND c.owner_id = b.member_id) < ?`;

function eligibleParams(offer: OfferRow, cursor: string) {
  return [cursor, offer.pointsCost, offer.id, offer.perUserLimit];
}

export function insertAirdrop(
  db: Db,
  row: { id: string; offerId: string; brandId: string; createdAt: Date },
): Promise<number> {
  return execute(
    db,
    `INSERT INTO airdrops (id, offer_id, brand_id, status, created_at, updated_at) VALUES (?, ?, ?, 'waiting', ?, ?)`,
    [row.id, row.offerId, row.brandId, row.createdAt, row.createdAt],
  );
}

/** Undoes insertAirdrop when its job could not be enqueued: only an airdrop not begun. */
export function deleteUnbegunAirdrop(db: Db, id: string): Promise<number> {
  return execute(db, 'DELETE FROM airdrops WHERE id = ? AND total IS NULL', [id]);
}

/** With a transaction the row is locked: a second worker on the same job waits for it. */
export function findAirdrop(db: Db, id: string, transaction?: Tx): Promise<AirdropRow | undefined> {
  return selectOne<AirdropRow>(
    db,
    `SELECT ${COLUMNS} FROM airdrops WHERE id = ?${transaction ? ' FOR UPDATE' : ''}`,
    [id],
    transaction,
  );
}

/** How many members are eligible for the offer now. */
export async function countEligible(db: Db, offer: OfferRow): Promise<number> {
  const counted = await selectOne<{ n: number }>(
    db,
    `SELECT COUNT(*) AS n ${ELIGIBLE}`,
    eligibleParams(offer, ''),
  );
  return Number(counted?.n ?? 0);
}

/** The next eligible members after `cursor`, in member order, their balance rows locked. */
export function lockEligibleAfter(
  db: Db,
  offer: OfferRow,
  cursor: string,
  limit: number,
  transaction: Tx,
): Promise<Array<{ memberId: string }>> {
  return selectRows<{ memberId: string }>(
    db,
    `SELECT b.member_id AS memberId ${ELIGIBLE} ORDER BY b.member_id LIMIT ? FOR UPDATE`,
    [...eligibleParams(offer, cursor), limit],
    transaction,
  );
}

/** waiting -> active with the count to reach, once. */
export function beginAirdrop(db: Db, id: string, total: number, now: Date): Promise<number> {
  return execute(
    db,
    `UPDATE airdrops SET status = 'active', total = ?, updated_at = ? WHERE id = ? AND total IS NULL`,
    [total, now, id],
  );
}

/** The cursor moves past a converted batch of `count` members ending at `lastMemberId`. */
export function advanceAirdrop(
  db: Db,
  id: string,
  lastMemberId: string,
  count: number,
  now: Date,
  transaction: Tx,
): Promise<number> {
  return execute(
    db,
    `UPDATE airdrops SET cursor_member_id = ?, done = done + ?, issued = issued + ?, updated_at = ?
      WHERE id = ?`,
    [lastMemberId, count, count, now, id],
    transaction,
  );
}

export function completeAirdrop(
  db: Db,
  id: string,
  stoppedBy: StoppedBy | null,
  now: Date,
  transaction: Tx,
): Promise<number> {
  return execute(
    db,
    `UPDATE airdrops SET status = 'completed', stopped_by = ?, finished_at = ?, updated_at = ? WHERE id = ?`,
    [stoppedBy, now, now, id],
    transaction,
  );
}
