import type { Sequelize } from 'sequelize';
import type { Clock } from '../../src/clock';
import { execute, selectRows } from '../../src/db/sql';
import { AppError } from '../../src/http/app-error';
import { decodeCursor, pageOf } from '../../src/http/cursor';
import { newId } from '../../src/ids';
import { findOffer, OFFER_COLUMNS, toOfferView, type OfferRow } from './offers.repository';
import { offerStats } from './offer-stats';
import type { CreateOfferInput, OfferStatsView, OfferView } from './offers.schema';

/** Brands' points offers: what a coupon costs in points, how many there are, and when. */
export class OffersService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly clock: Clock,
  ) {}

  async create(brandId: string, input: CreateOfferInput): Promise<OfferView> {
    const now = this.clock.now().toJSDate();
    const endsAt = new Date(input.endsAt);
    if (endsAt.getTime() <= now.getTime())
      throw AppError.invalid('parameter_invalid', 'endsAt must be in the future', 'endsAt');
    const id = newId('pof', now.getTime());
    const { coupon } = input;
    await execute(
      this.sequelize,
      `INSERT INTO points_offers (id, brand_id, title, points_cost, discount_type, percent_off, amount_off,
         currency, min_spend_amount, valid_days, budget, issued, per_user_limit, starts_at, ends_at,
         created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
      [
        id,
        brandId,
        input.title,
        input.pointsCost,
        coupon.discountType,
        coupon.percentOff ?? null,
        coupon.amountOff ?? null,
        coupon.currency ?? null,
        coupon.minSpendAmount ?? null,
        coupon.validDays,
        input.budget,
        input.perUserLimit,
        new Date(input.startsAt),
        endsAt,
        now,
        now,
      ],
    );
    return this.get(id);
  }

  async get(id: string): Promise<OfferView> {
    const offer = await findOffer(this.sequelize, id);
    if (!offer) throw AppError.notFound('points offer');
    return toOfferView(offer, this.clock.now().toJSDate());
  }

  /** The brand's own offers, whatever their status, newest first, each with its results. */
  async listOwn(brandId: string, cursor: string | undefined, limit: number) {
    const now = this.clock.now().toJSDate();
    const afterId = decodeCursor(cursor);
    const rows = await selectRows<OfferRow>(
      this.sequelize,
      `SELECT ${OFFER_COLUMNS} FROM points_offers
        WHERE brand_id = ?${afterId ? ' AND id < ?' : ''} ORDER BY id DESC LIMIT ?`,
      afterId ? [brandId, afterId, limit + 1] : [brandId, limit + 1],
    );
    const page = rows.slice(0, limit);
    const stats = await offerStats(this.sequelize, page);
    return pageOf(rows, limit, (row) => ({ ...toOfferView(row, now), stats: stats.get(row.id)! }));
  }

  /** An offer's results, for the brand that runs it (offers are public: others get 403). */
  async stats(brandId: string, id: string): Promise<OfferStatsView> {
    const offer = await findOffer(this.sequelize, id);
    if (!offer) throw AppError.notFound('points offer');
    if (offer.brandId !== brandId)
      throw AppError.forbidden('Only the brand that runs this offer sees its results.');
    return (await offerStats(this.sequelize, [offer])).get(offer.id)!;
  }

  /** Offers open now with coupons left, newest first; optionally one brand's. */
  async listActive(query: { brandId?: string; cursor?: string; limit: number }) {
    const now = this.clock.now().toJSDate();
    const afterId = decodeCursor(query.cursor);
    const where = ['starts_at <= ?', 'ends_at > ?', 'issued < budget'];
    const params: unknown[] = [now, now];
    if (query.brandId !== undefined) {
      where.push('brand_id = ?');
      params.push(query.brandId);
    }
    if (afterId) {
      where.push('id < ?');
      params.push(afterId);
    }
    const rows = await selectRows<OfferRow>(
      this.sequelize,
      `SELECT ${OFFER_COLUMNS} FROM points_offers WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`,
      [...params, query.limit + 1],
    );
    return pageOf(rows, query.limit, (row) => toOfferView(row, now));
  }
}
