export { formatCouponCode, generateCouponCode, normaliseCouponCode } from './coupon-code';
export { evaluateCoupon } from './coupon-rules';
export type { Basket, CouponRejection, CouponTerms, CouponVerdict } from './coupon-rules';
export {
  couponByCodeStatement,
  couponsOfOfferOwned,
  findCouponByCode,
  holdCouponAtCommit,
  insertOfferCoupons,
  redeemCoupon,
  releaseCoupon,
} from './coupons.repository';
export type { CouponRow, OfferCouponTerms } from './coupons.repository';
export { checkDiscount, couponDiscountFields } from './coupons.schema';
