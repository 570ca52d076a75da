import type { Db } from '../../src/db/db';
import type { Clock } from '../../src/clock';
import { AppError } from '../../src/http/app-error';
import { decodeCursor, pageOf } from '../../src/http/cursor';
import { newId } from '../../src/ids';
import { toOfferView } from './offer-view';
import { findOffer, insertOffer, listBrandOffers, listOpenOffers } from './offers.repository';
import { offerStats } from './offer-stats';
import type { CreateOfferInput, OfferStatsView, OfferView } from './offers.schema';

/** Brands' points offers: what a coupon costs in points, how many there are, and when. */
export class OffersService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async create(brandId: string, input: CreateOfferInput): Promise<OfferView> {
    const now = this.clock.now().toJSDate();
    const endsAt = new Date(input.endsAt);
    if (endsAt.getTime() <= now.getTime())
      throw AppError.invalid('parameter_invalid', 'endsAt must be in the future', 'endsAt');
    const id = newId('pof', now.getTime());
    const { coupon } = input;
    await insertOffer(this.db, {
      id,
      brandId,
      title: input.title,
      pointsCost: input.pointsCost,
      discountType: coupon.discountType,
      percentOff: coupon.percentOff ?? null,
      amountOff: coupon.amountOff ?? null,
      currency: coupon.currency ?? null,
      minSpendAmount: coupon.minSpendAmount ?? null,
      validDays: coupon.validDays,
      budget: input.budget,
      perUserLimit: input.perUserLimit,
      startsAt: new Date(input.startsAt),
      endsAt,
      createdAt: now,
    });
    return this.get(id);
  }

  async get(id: string): Promise<OfferView> {
    const offer = await findOffer(this.db, id);
    if (!offer) throw AppError.notFound('points offer');
    return toOfferView(offer, this.clock.now().toJSDate());
  }

  /** The brand's own offers, whatever their status, newest first, each with its results. */
  async listOwn(brandId: string, cursor: string | undefined, limit: number) {
    const now = this.clock.now().toJSDate();
    const afterId = decodeCursor(cursor);
    const rows = await listBrandOffers(this.db, brandId, afterId, limit + 1);
    const page = rows.slice(0, limit);
    const stats = await offerStats(this.db, page);
    return pageOf(rows, limit, (row) => ({ ...toOfferView(row, now), stats: stats.get(row.id)! }));
  }

  /** An offer's results, for the brand that runs it (offers are public: others get 403). */
  async stats(brandId: string, id: string): Promise<OfferStatsView> {
    const offer = await findOffer(this.db, id);
    if (!offer) throw AppError.notFound('points offer');
    if (offer.brandId !== brandId)
      throw AppError.forbidden('Only the brand that runs this offer sees its results.');
    return (await offerStats(this.db, [offer])).get(offer.id)!;
  }

  /** Offers open now with coupons left, newest first; optionally one brand's. */
  async listActive(query: { brandId?: string; cursor?: string; limit: number }) {
    const now = this.clock.now().toJSDate();
    const rows = await listOpenOffers(this.db, {
      now,
      brandId: query.brandId,
      afterId: decodeCursor(query.cursor),
      limit: query.limit + 1,
    });
    return pageOf(rows, query.limit, (row) => toOfferView(row, now));
  }
}
