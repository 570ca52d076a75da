import type { Db } from '../../src/db/db';
import { offerRedemptions, type OfferRow, type RedemptionRow } from './offers.repository';
import type { OfferStatsView } from './offers.schema';

export type { RedemptionRow } from './offers.repository';

/**
 * What offers' coupons brought in: coupons of each offer redeemed by a paid order, and what those
 * orders charged after discounts minus refunds. One grouped query for a whole page of offers.
 */
export async function offerStats(
  db: Db,
  offers: readonly OfferRow[],
): Promise<Map<string, OfferStatsView>> {
  const rows =
    offers.length === 0
      ? []
      : await offerRedemptions(
          db,
          offers.map((offer) => offer.id),
        );
  return new Map(
    offers.map((offer) => [
      offer.id,
      statsOf(
        offer,
        rows.filter((row) => row.offerId === offer.id),
      ),
    ]),
  );
}

/** One offer's stats from its redemptions, grouped by the currency their orders were paid in. */
export function statsOf(
  offer: Pick<OfferRow, 'issued' | 'currency'>,
  rows: readonly RedemptionRow[],
): OfferStatsView {
  const byCurrency = rows
    .map((row) => ({
      currency: row.currency,
      redeemed: Number(row.redeemed),
      amount: Number(row.revenue),
    }))
    .sort((a, b) => b.redeemed - a.redeemed || b.amount - a.amount);
  const redeemed = byCurrency.reduce((sum, row) => sum + row.redeemed, 0);
  // A fixed or minimum-spend coupon names its currency; a percent one is counted in the
  // currency most of its redemptions were paid in (every currency is in revenueByCurrency).
  const currency = offer.currency ?? byCurrency[0]?.currency ?? null;
  return {
    issued: offer.issued,
    redeemed,
    redemptionRate: offer.issued > 0 ? Math.round((redeemed / offer.issued) * 10_000) / 10_000 : 0,
    revenueAmount: byCurrency.find((row) => row.currency === currency)?.amount ?? 0,
    currency,
    revenueByCurrency: byCurrency.map(({ currency: code, amount }) => ({ currency: code, amount })),
  };
}
