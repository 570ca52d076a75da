import type { Sequelize, Transaction } from 'sequelize';
import { selectOne } from '../../src/db/sql';
import type { OfferView } from './offers.schema';

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

export const OFFER_COLUMNS = `id, brand_id AS brandId, title, points_cost AS pointsCost,
  discount_type AS discountType, percent_off AS percentOff, amount_off AS amountOff, currency,
  min_spend_amount AS minSpendAmount, valid_days AS validDays, budget, issued,
  per_user_limit AS perUserLimit, starts_at AS startsAt, ends_at AS endsAt, created_at AS createdAt,
  (SELECT b.name FROM brands b WHERE b.id = points_offers.brand_id) AS brandName`;

/** With a transaction the row is locked: budget decisions are made on the committed value. */
export function findOffer(sequelize: Sequelize, id: string, transaction?: Transaction) {
  return selectOne<OfferRow>(
    sequelize,
    `SELECT ${OFFER_COLUMNS} FROM points_offers WHERE id = ?${transaction ? ' FOR UPDATE' : ''}`,
    [id],
    transaction,
  );
}

export function isOfferOpen(offer: OfferRow, now: Date): boolean {
  return offer.startsAt.getTime() <= now.getTime() && now.getTime() < offer.endsAt.getTime();
}

export function offerStatus(offer: OfferRow, now: Date): OfferView['status'] {
  if (now.getTime() < offer.startsAt.getTime()) return 'scheduled';
  if (now.getTime() >= offer.endsAt.getTime()) return 'ended';
  return offer.issued >= offer.budget ? 'exhausted' : 'active';
}

export function toOfferView(offer: OfferRow, now: Date): OfferView {
  return {
    id: offer.id,
    brandId: offer.brandId,
    brandName: offer.brandName,
    title: offer.title,
    pointsCost: offer.pointsCost,
    coupon: {
      discountType: offer.discountType,
      percentOff: offer.percentOff,
      amountOff: offer.amountOff === null ? null : Number(offer.amountOff),
      currency: offer.currency,
      minSpendAmount: offer.minSpendAmount === null ? null : Number(offer.minSpendAmount),
      validDays: offer.validDays,
    },
    budget: offer.budget,
    issued: offer.issued,
    perUserLimit: offer.perUserLimit,
    startsAt: offer.startsAt.toISOString(),
    endsAt: offer.endsAt.toISOString(),
    status: offerStatus(offer, now),
    createdAt: offer.createdAt.toISOString(),
  };
}
