/** Integer minor-unit arithmetic; never floats for money. */

/** The largest amount of one price, coupon or listing, in minor units (10^11: $1,000,000,000). */
export const MAX_AMOUNT = 100_000_000_000;
/** Units of one listing in one order. */
export const MAX_LINE_QUANTITY = 1000;
/** Listings in one order. */
export const MAX_ORDER_LINES = 50;
/**
 * The largest subtotal, total or refund of an order: 5 * 10^15, under Number.MAX_SAFE_INTEGER
 * (about 9.007 * 10^15), so every sum of an order's lines is exact in a JS number. The fee and
 * percent discounts multiply such a total before dividing: they are computed in bigint.
 */
export const MAX_ORDER_AMOUNT = MAX_AMOUNT * MAX_LINE_QUANTITY * MAX_ORDER_LINES;

/** `percent`% of `amount`, rounded half-up in the minor unit (1999 * 15% = 299.85 -> 300). */
export function percentOf(amount: number, percent: number): number {
  return Number((BigInt(amount) * BigInt(percent) + 50n) / 100n);
}

/** Basis points of `amount`, rounded half-up (PLATFORM_FEE_BPS 250 = 2.5%). */
export function basisPointsOf(amount: number, bps: number): number {
  return Number((BigInt(amount) * BigInt(bps) + 5000n) / 10000n);
}
