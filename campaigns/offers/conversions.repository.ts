import type { Db } from '../../src/db/db';
import { execute, selectOne, selectRows, type Tx } from '../../src/db/sql';
import type { ConversionFailure, ConversionView } from './offers.schema';

export interface ConversionRow {
  id: string;
  offerId: string;
  memberId: string;
  status: ConversionView['status'];
  reason: ConversionFailure | null;
  pointsCost: number | null;
  couponCode: string | null;
  createdAt: Date;
  settledAt: Date | null;
}

const CONVERSION_SELECT = `SELECT c.id, c.offer_id AS offerId, c.member_id AS memberId, c.status, c.reason,
    c.points_cost AS pointsCost, k.code AS couponCode, c.created_at AS createdAt, c.settled_at AS settledAt
  FROM point_conversions c LEFT JOIN coupons k ON k.id = c.coupon_id`;

export function insertConversion(
  db: Db,
  row: { id: string; offerId: string; memberId: string; createdAt: Date },
): Promise<number> {
  return execute(
    db,
    `INSERT INTO point_conversions (id, offer_id, member_id, status, created_at) VALUES (?, ?, ?, 'pending', ?)`,
    [row.id, row.offerId, row.memberId, row.createdAt],
  );
}

/** Undoes insertConversion when its job could not be enqueued: only a pending one. */
export function deletePendingConversion(db: Db, id: string): Promise<number> {
  return execute(db, 'DELETE FROM point_conversions WHERE id = ? AND status = ?', [id, 'pending']);
}

/** With a transaction the row is locked: one settlement at a time. */
export function findConversion(
  db: Db,
  id: string,
  transaction?: Tx,
): Promise<ConversionRow | undefined> {
  return selectOne<ConversionRow>(
    db,
    `${CONVERSION_SELECT} WHERE c.id = ?${transaction ? ' FOR UPDATE' : ''}`,
    [id],
    transaction,
  );
}

/** The member's own conversions, newest first. */
export function listMemberConversions(
  db: Db,
  memberId: string,
  afterId: string | null,
  limit: number,
): Promise<ConversionRow[]> {
  return selectRows<ConversionRow>(
    db,
    `${CONVERSION_SELECT} WHERE c.member_id = ?${afterId ? ' AND c.id < ?' : ''} ORDER BY c.id DESC LIMIT ?`,
    afterId ? [memberId, afterId, limit] : [memberId, limit],
  );
}

export function failConversion(
  db: Db,
  id: string,
  reason: ConversionFailure,
  now: Date,
  transaction: Tx,
): Promise<number> {
  return execute(
    db,
    `UPDATE point_conversions SET status = 'failed', reason = ?, settled_at = ? WHERE id = ?`,
    [reason, now, id],
    transaction,
  );
}

export function completeConversion(
  db: Db,
  id: string,
  settled: { pointsCost: number; couponId: string; now: Date },
  transaction: Tx,
): Promise<number> {
  return execute(
    db,
    `UPDATE point_conversions SET status = 'completed', points_cost = ?, coupon_id = ?, settled_at = ?
      WHERE id = ?`,
    [settled.pointsCost, settled.couponId, settled.now, id],
    transaction,
  );
}

/** Conversions still pending since before `before`, oldest first. */
export function pendingSince(db: Db, before: Date): Promise<Array<{ id: string }>> {
  return selectRows<{ id: string }>(
    db,
    `SELECT id FROM point_conversions WHERE status = 'pending' AND created_at < ? ORDER BY created_at LIMIT 1000`,
    [before],
  );
}
