/** Integer minor-unit arithmetic; never floats for money. */

/** `percent`% of `amount`, rounded half-up in the minor unit (1999 * 15% = 299.85 -> 300). */
export function percentOf(amount: number, percent: number): number {
  return Math.floor((amount * percent + 50) / 100);
}

/** Basis points of `amount`, rounded half-up (PLATFORM_FEE_BPS 250 = 2.5%). */
export function basisPointsOf(amount: number, bps: number): number {
  return Math.floor((amount * bps + 5000) / 10000);
}
