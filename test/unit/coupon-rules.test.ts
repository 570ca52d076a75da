import { evaluateCoupon, type Basket, type CouponTerms } from '../../src/coupons/coupon-rules';

const now = new Date('2026-11-24T12:00:00Z');
const coupon = (terms: Partial<CouponTerms> = {}): CouponTerms => ({
  brandId: 'brd_1',
  ownerId: null,
  discountType: 'percent',
  percentOff: 10,
  amountOff: null,
  currency: null,
  minSpendAmount: null,
  expiresAt: new Date('2026-12-01T00:00:00Z'),
  status: 'available',
  ...terms,
});
const basket = (b: Partial<Basket> = {}): Basket => ({
  buyerId: 'usr_1',
  sellerBrandId: 'brd_1',
  currency: 'USD',
  subtotalAmount: 1999,
  now,
  ...b,
});

describe('evaluateCoupon', () => {
  test.each([
    [
      'percent rounds half-up',
      coupon({ percentOff: 15 }),
      basket(),
      { valid: true, discountAmount: 300 },
    ],
    [
      'percent 100 is the whole subtotal',
      coupon({ percentOff: 100 }),
      basket(),
      { valid: true, discountAmount: 1999 },
    ],
    [
      'fixed is capped at the subtotal',
      coupon({ discountType: 'fixed', percentOff: null, amountOff: 5000, currency: 'USD' }),
      basket(),
      { valid: true, discountAmount: 1999 },
    ],
    [
      'fixed in another currency',
      coupon({ discountType: 'fixed', percentOff: null, amountOff: 100, currency: 'EUR' }),
      basket(),
      { valid: false, reason: 'currency_mismatch' },
    ],
    [
      'another brand',
      coupon(),
      basket({ sellerBrandId: 'brd_2' }),
      { valid: false, reason: 'coupon_not_applicable' },
    ],
    [
      'a seller with no brand',
      coupon(),
      basket({ sellerBrandId: null }),
      { valid: false, reason: 'coupon_not_applicable' },
    ],
    [
      'bound to another buyer',
      coupon({ ownerId: 'usr_2' }),
      basket(),
      { valid: false, reason: 'coupon_not_applicable' },
    ],
    [
      'bound to this buyer',
      coupon({ ownerId: 'usr_1' }),
      basket(),
      { valid: true, discountAmount: 200 },
    ],
    ['expired', coupon({ expiresAt: now }), basket(), { valid: false, reason: 'coupon_expired' }],
    [
      'held by another order',
      coupon({ status: 'held' }),
      basket(),
      { valid: false, reason: 'coupon_already_used' },
    ],
    [
      'redeemed',
      coupon({ status: 'redeemed' }),
      basket(),
      { valid: false, reason: 'coupon_already_used' },
    ],
    [
      'under min spend',
      coupon({ minSpendAmount: 2000, currency: 'USD' }),
      basket(),
      { valid: false, reason: 'coupon_min_spend_not_met' },
    ],
    [
      'at min spend',
      coupon({ minSpendAmount: 1999, currency: 'USD' }),
      basket(),
      { valid: true, discountAmount: 200 },
    ],
    [
      'JPY has no minor unit',
      coupon({ percentOff: 33 }),
      basket({ currency: 'JPY', subtotalAmount: 500 }),
      { valid: true, discountAmount: 165 },
    ],
  ])('%s', (_name, terms, cart, expected) => {
    expect(evaluateCoupon(terms, cart)).toEqual(expected);
  });
});
