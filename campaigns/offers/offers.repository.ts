import type { Db } from '../../src/db/db';
import { execute, selectOne, selectRows, type Tx } from '../../src/db/sql';
import { NET_REVENUE_SQL, PAID_ORDER_STATUSES } from '../paid-orders';

export interface OfferRow {
  id: string;
  brandId: string;
  brandName: string | null;
  title: string;
  pointsCost: number;
  discountType: 'percent' | 'fixed';
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
  minSpendAmount: number | null;
  validDays: number;
  budget: number;
  issued: number;
  perUserLimit: number;
  startsAt: Date;
  endsAt: Date;
  createdAt: Date;
}

const OFFER_COLUMNS = `id, brand_id AS brandId, title, points_cost AS pointsCost,
  discount_type AS discountType, percent_off AS percentOff, amount_off AS amountOff, currency,
  min_spend_amount AS minSpendAmount, valid_days AS validDays, budget, issued,
  per_user_limit AS perUserLimit, starts_at AS startsAt, ends_at AS endsAt, created_at AS createdAt,
  (SELECT b.name FROM brands b WHERE b.id = points_offers.brand_id) AS brandName`;

/** With a transaction the row is locked: budget decisions are made on the committed value. */
export function findOffer(db: Db, id: string, transaction?: Tx) {
  return selectOne<OfferRow>(
    db,
    `SELECT ${OFFER_COLUMNS} FROM points_offers WHERE id = ?${transaction ? ' FOR UPDATE' : ''}`,
    [id],
    transaction,
  );
}

export interface NewOffer {
  id: string;
  brandId: string;
  title: string;
  pointsCost: number;
  discountType: 'percent' | 'fixed';
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
  minSpendAmount: number | null;
  validDays: number;
  budget: number;
  perUserLimit: number;
  startsAt: Date;
  endsAt: Date;
  createdAt: Date;
}

export function insertOffer(db: Db, offer: NewOffer): Promise<number> {
  return execute(
    db,
    `INSERT INTO points_offers (id, brand_id, title, points_cost, discount_type, percent_off, amount_off,
       currency, min_spend_amount, valid_days, budget, issued, per_user_limit, starts_at, ends_at,
       created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
    [
      offer.id,
      offer.brandId,
      offer.title,
      offer.pointsCost,
      offer.discountType,
      offer.percentOff,
      offer.amountOff,
      offer.currency,
      offer.minSpendAmount,
      offer.validDays,
      offer.budget,
      offer.perUserLimit,
      offer.startsAt,
      offer.endsAt,
      offer.createdAt,
      offer.createdAt,
    ],
  );
}

/** The brand's own offers, whatever their status, newest first. */
export function listBrandOffers(
  db: Db,
  brandId: string,
  afterId: string | null,
  limit: number,
): Promise<OfferRow[]> {
  return selectRows<OfferRow>(
    db,
    `SELECT ${OFFER_COLUMNS} FROM points_offers
      WHERE brand_id = ?${afterId ? ' AND id < ?' : ''} ORDER BY id DESC LIMIT ?`,
    afterId ? [brandId, afterId, limit] : [brandId, limit],
  );
}

/** Offers open at `now` with coupons left, newest first; optionally one brand's. */
export function listOpenOffers(
  db: Db,
  query: { now: Date; brandId?: string; afterId: string | null; limit: number },
): Promise<OfferRow[]> {
  const where = ['starts_at <= ?', 'ends_at > ?', 'issued < budget'];
  const params: unknown[] = [query.now, query.now];
  if (query.brandId !== undefined) {
    where.push('brand_id = ?');
    params.push(query.brandId);
  }
  if (query.afterId) {
    where.push('id < ?');
    params.push(query.afterId);
  }
  return selectRows<OfferRow>(
    db,
    `SELECT ${OFFER_COLUMNS} FROM points_offers WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`,
    [...params, query.limit],
  );
}

/** One unit of the offer's budget, if any is left: 1 if taken, 0 if the budget is spent. */
export function takeOneOfBudget(db: Db, offerId: string, transaction: Tx): Promise<number> {
  return execute(
    db,
    'UPDATE points_offers SET issued = issued + 1 WHERE id = ? AND issued < budget',
    [offerId],
    transaction,
  );
}

/** `count` more coupons issued, for an offer row the caller locked and checked. */
export function addIssued(
  db: Db,
  offerId: string,
  count: number,
  now: Date,
  transaction: Tx,
): Promise<number> {
  return execute(
    db,
    'UPDATE points_offers SET issued = issued + ?, updated_at = ? WHERE id = ?',
    [count, now, offerId],
    transaction,
  );
}

/** Redeemed coupons of one offer paid in one currency, and what those orders brought net. */
export interface RedemptionRow {
  offerId: string;
  currency: string;
  redeemed: number | string;
  revenue: number | string;
}

/**
 * Coupons of these offers redeemed by a paid order, and what those orders charged after
 * discounts minus refunds, grouped by offer and currency: one query for a page of offers.
 */
export function offerRedemptions(db: Db, offerIds: readonly string[]): Promise<RedemptionRow[]> {
  return selectRows<RedemptionRow>(
    db,
    `SELECT c.offer_id AS offerId, o.currency, COUNT(*) AS redeemed, SUM(${NET_REVENUE_SQL}) AS revenue
       FROM coupons c JOIN orders o ON o.id = c.order_id
      WHERE c.offer_id IN (?) AND c.status = 'redeemed' AND o.status IN (?)
      GROUP BY c.offer_id, o.currency`,
    [offerIds, PAID_ORDER_STATUSES],
  );
}
