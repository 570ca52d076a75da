import type { Db } from '../db/db';
import { execute, selectOne, selectRows, type Tx } from '../db/sql';
import type { BatchView } from './coupons.schema';

export interface BatchRow {
  id: string;
  brandId: string;
  count: number;
  generated: number;
  status: BatchView['status'];
  discountType: 'percent' | 'fixed';
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
  minSpendAmount: number | null;
  expiresAt: Date;
  createdAt: Date;
  redeemedCount: number | string;
}

export interface NewBatch {
  id: string;
  brandId: string;
  count: number;
  discountType: 'percent' | 'fixed';
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
  minSpendAmount: number | null;
  expiresAt: Date;
  createdAt: Date;
}

const BATCH_COLUMNS = `id, brand_id AS brandId, count, generated, status, discount_type AS discountType,
  percent_off AS percentOff, amount_off AS amountOff, currency, min_spend_amount AS minSpendAmount,
  expires_at AS expiresAt, created_at AS createdAt,
  (SELECT COUNT(*) FROM coupons c WHERE c.batch_id = coupon_batches.id AND c.status = 'redeemed') AS redeemedCount`;

export function insertBatch(db: Db, batch: NewBatch): Promise<number> {
  return execute(
    db,
    `INSERT INTO coupon_batches (id, brand_id, count, generated, status, discount_type, percent_off, amount_off,
       currency, min_spend_amount, expires_at, created_at, updated_at)
     VALUES (?, ?, ?, 0, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      batch.id,
      batch.brandId,
      batch.count,
      batch.discountType,
      batch.percentOff,
      batch.amountOff,
      batch.currency,
      batch.minSpendAmount,
      batch.expiresAt,
      batch.createdAt,
      batch.createdAt,
    ],
  );
}

/** Undoes insertBatch when its job could not be enqueued: only a batch nothing was made of. */
export function deleteUnstartedBatch(db: Db, id: string): Promise<number> {
  return execute(
    db,
    "DELETE FROM coupon_batches WHERE id = ? AND status = 'pending' AND generated = 0",
    [id],
  );
}

export function findBatch(db: Db, id: string): Promise<BatchRow | undefined> {
  return selectOne<BatchRow>(db, `SELECT ${BATCH_COLUMNS} FROM coupon_batches WHERE id = ?`, [id]);
}

/** The brand's batches, newest first. */
export function listBatches(
  db: Db,
  brandId: string,
  afterId: string | null,
  limit: number,
): Promise<BatchRow[]> {
  return selectRows<BatchRow>(
    db,
    `SELECT ${BATCH_COLUMNS} FROM coupon_batches
      WHERE brand_id = ?${afterId ? ' AND id < ?' : ''} ORDER BY id DESC LIMIT ?`,
    afterId ? [brandId, afterId, limit] : [brandId, limit],
  );
}

export function markBatchGenerating(db: Db, id: string): Promise<number> {
  return execute(
    db,
    `UPDATE coupon_batches SET status = 'generating' WHERE id = ? AND status = 'pending'`,
    [id],
  );
}

export function addGenerated(
  db: Db,
  id: string,
  count: number,
  now: Date,
  transaction: Tx,
): Promise<number> {
  return execute(
    db,
    'UPDATE coupon_batches SET generated = generated + ?, updated_at = ? WHERE id = ?',
    [count, now, id],
    transaction,
  );
}

export function markBatchReady(db: Db, id: string, now: Date): Promise<number> {
  return execute(db, `UPDATE coupon_batches SET status = 'ready', updated_at = ? WHERE id = ?`, [
    now,
    id,
  ]);
}
