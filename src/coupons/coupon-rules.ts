import { percentOf } from '../money/arithmetic';

export interface CouponTerms {
  brandId: string;
  ownerId: string | null;
  discountType: 'percent' | 'fixed';
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
  minSpendAmount: number | null;
  expiresAt: Date;
  status: string;
}

export interface Basket {
  buyerId: string;
  /** The brand of the seller's account, if the seller is a brand. */
  sellerBrandId: string | null;
  currency: string;
  subtotalAmount: number;
  now: Date;
}

export type CouponVerdict =
  { valid: true; discountAmount: number } | { valid: false; reason: CouponRejection };

export type CouponRejection =
  | 'coupon_expired'
  | 'coupon_not_applicable'
  | 'coupon_already_used'
  | 'currency_mismatch'
  | 'coupon_min_spend_not_met';

/**
 * Whether a coupon applies to a basket and how much it takes off. Pure: the same rules serve
 * the preview endpoint and checkout. The discount never exceeds the subtotal.
 */
export function evaluateCoupon(coupon: CouponTerms, basket: Basket): CouponVerdict {
  if (coupon.status !== 'available') return { valid: false, reason: 'coupon_already_used' };
  if (coupon.expiresAt.getTime() <= basket.now.getTime())
    return { valid: false, reason: 'coupon_expired' };
  if (coupon.brandId !== basket.sellerBrandId)
    return { valid: false, reason: 'coupon_not_applicable' };
  if (coupon.ownerId !== null && coupon.ownerId !== basket.buyerId)
    return { valid: false, reason: 'coupon_not_applicable' };
  if (coupon.discountType === 'fixed' && coupon.currency !== basket.currency)
    return { valid: false, reason: 'currency_mismatch' };
  if (coupon.minSpendAmount !== null) {
    if (coupon.currency !== null && coupon.currency !== basket.currency)
      return { valid: false, reason: 'currency_mismatch' };
    if (basket.subtotalAmount < coupon.minSpendAmount)
      return { valid: false, reason: 'coupon_min_spend_not_met' };
  }
  const raw =
    coupon.discountType === 'percent'
      ? percentOf(basket.subtotalAmount, coupon.percentOff ?? 0)
      : (coupon.amountOff ?? 0);
  return { valid: true, discountAmount: Math.min(raw, basket.subtotalAmount) };
}
