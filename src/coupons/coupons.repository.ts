import type { Db } from '../db/db';
import { type Tx, execute, selectOne, selectRows, type Statement } from '../db/sql';
import type { CouponTerms } from './coupon-rules';

export interface CouponRow extends CouponTerms {
  id: string;
  /** Read only by the owner's list. */
  brandName?: string | null;
  code: string;
  batchId: string | null;
  orderId: string | null;
  redeemedAt: Date | null;
  createdAt: Date;
}

const COUPON_COLUMNS = `id, code, brand_id AS brandId, batch_id AS batchId, owner_id AS ownerId,
  discount_type AS discountType, percent_off AS percentOff, amount_off AS amountOff, currency,
  min_spend_amount AS minSpendAmount, expires_at AS expiresAt, status, order_id AS orderId,
  redeemed_at AS redeemedAt, created_at AS createdAt`;

/**
 * The coupon with this (normalised) code. `lock`, for checkout: locked, so whoever reads it
 * `available` is the one to hold it.
 */
export function couponByCodeStatement(code: string, lock = false): Statement {
  return [
    `SELECT ${COUPON_COLUMNS} FROM coupons WHERE code = ?${lock ? ' FOR UPDATE' : ''}`,
    [code],
  ];
}

export function findCouponByCode(db: Db, code: string, transaction?: Tx) {
  const [sql, params] = couponByCodeStatement(code);
  return selectOne<CouponRow>(db, sql, params, transaction);
}

/** available -> held, with the COMMIT, for a coupon locked and checked in this transaction. */
export function holdCouponAtCommit(
  couponId: string,
  orderId: string,
  now: Date,
  transaction: Tx,
): void {
  transaction.atCommit([
    `UPDATE coupons SET status = 'held', order_id = ?, updated_at = ? WHERE id = ?`,
    [orderId, now, couponId],
  ]);
}

export function listCouponsOwnedBy(db: Db, ownerId: string, afterId: string | null, limit: number) {
  return selectRows<CouponRow>(
    db,
    `SELECT ${COUPON_COLUMNS}, (SELECT b.name FROM brands b WHERE b.id = coupons.brand_id) AS brandName
       FROM coupons WHERE owner_id = ? ${afterId ? 'AND id < ?' : ''} ORDER BY id DESC LIMIT ?`,
    afterId ? [ownerId, afterId, limit] : [ownerId, limit],
  );
}

/** held by this order -> available again (order canceled, expired or its payment failed). */
export function releaseCoupon(
  db: Db,
  couponId: string,
  orderId: string,
  now: Date,
  transaction: Tx,
) {
  return execute(
    db,
    `UPDATE coupons SET status = 'available', order_id = NULL, updated_at = ?
      WHERE id = ? AND order_id = ? AND status = 'held'`,
    [now, couponId, orderId],
    transaction,
  );
}

/** held by this order -> redeemed, once: the order was paid. */
export function redeemCoupon(
  db: Db,
  couponId: string,
  orderId: string,
  now: Date,
  transaction: Tx,
) {
  return execute(
    db,
    `UPDATE coupons SET status = 'redeemed', redeemed_at = ?, updated_at = ?
      WHERE id = ? AND order_id = ? AND status = 'held'`,
    [now, now, couponId, orderId],
    transaction,
  );
}

/** The coupon terms a points offer gives each coupon it issues. */
export interface OfferCouponTerms {
  offerId: string;
  brandId: string;
  discountType: 'percent' | 'fixed';
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
  minSpendAmount: number | null;
  expiresAt: Date;
}

/**
 * Coupons bought with points, one per owner, each bound to its owner and named by its source (a
 * conversion or a ledger entry): the unique source makes a replayed issue fail rather than double.
 */
export async function insertOfferCoupons(
  db: Db,
  terms: OfferCouponTerms,
  coupons: Array<{ id: string; code: string; ownerId: string; sourceId: string }>,
  now: Date,
  transaction: Tx,
): Promise<void> {
  if (coupons.length === 0) return;
  await execute(
    db,
    `INSERT INTO coupons (id, code, brand_id, source_id, offer_id, owner_id, discount_type, percent_off,
       amount_off, currency, min_spend_amount, expires_at, status, created_at, updated_at)
     VALUES ${coupons.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'available', ?, ?)").join(', ')}`,
    coupons.flatMap((coupon) => [
      coupon.id,
      coupon.code,
      terms.brandId,
      coupon.sourceId,
      terms.offerId,
      coupon.ownerId,
      terms.discountType,
      terms.percentOff,
      terms.amountOff,
      terms.currency,
      terms.minSpendAmount,
      terms.expiresAt,
      now,
      now,
    ]),
    transaction,
  );
}

/** The terms a batch gives each of its codes. */
export interface BatchCouponTerms {
  batchId: string;
  brandId: string;
  discountType: 'percent' | 'fixed';
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
  minSpendAmount: number | null;
  expiresAt: Date;
}

/**
 * A chunk of a batch's codes; answers how many were inserted. A code collision (2^-80 odds per
 * pair) inserts nothing for that row: the caller makes up for it.
 */
export function insertBatchCoupons(
  db: Db,
  terms: BatchCouponTerms,
  coupons: ReadonlyArray<{ id: string; code: string }>,
  now: Date,
  transaction: Tx,
): Promise<number> {
  const values: unknown[] = [];
  for (const coupon of coupons) {
    values.push(
      coupon.id,
      coupon.code,
      terms.brandId,
      terms.batchId,
      terms.discountType,
      terms.percentOff,
      terms.amountOff,
      terms.currency,
      terms.minSpendAmount,
      terms.expiresAt,
      now,
      now,
    );
  }
  return execute(
    db,
    `INSERT INTO coupons (id, code, brand_id, batch_id, discount_type, percent_off, amount_off, currency,
       min_spend_amount, expires_at, status, created_at, updated_at)
     VALUES ${Array(coupons.length).fill("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'available', ?, ?)").join(', ')}
     ON DUPLICATE KEY UPDATE code = code`,
    values,
    transaction,
  );
}

export interface BatchCodeRow {
  id: string;
  code: string;
  status: string;
  expiresAt: Date;
  redeemedAt: Date | null;
}

/** A batch's codes after `afterId`, in id order: keyset pages for the CSV download. */
export function batchCodesAfter(
  db: Db,
  batchId: string,
  afterId: string,
  limit: number,
): Promise<BatchCodeRow[]> {
  return selectRows<BatchCodeRow>(
    db,
    `SELECT id, code, status, expires_at AS expiresAt, redeemed_at AS redeemedAt FROM coupons
      WHERE batch_id = ? AND id > ? ORDER BY id LIMIT ?`,
    [batchId, afterId, limit],
  );
}

/**
 * Coupons of this offer the member already holds. To decide on it, their balance row must be
 * locked in `transaction`; without one it is a plain read (the request's early refusal).
 */
export async function couponsOfOfferOwned(
  db: Db,
  offerId: string,
  memberId: string,
  transaction?: Tx,
): Promise<number> {
  const row = await selectOne<{ n: number }>(
    db,
    'SELECT COUNT(*) AS n FROM coupons WHERE offer_id = ? AND owner_id = ?',
    [offerId, memberId],
    transaction,
  );
  return Number(row?.n ?? 0);
}
