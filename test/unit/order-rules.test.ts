import { basisPointsOf, percentOf } from '../../src/money/arithmetic';
import { priceOrder } from '../../src/orders/order-pricing';
import { ORDER_STATUSES, canTransition, sourcesOf } from '../../src/orders/order-state';

describe('money arithmetic', () => {
  test.each([
    [1999, 15, 300],
    [1999, 10, 200],
    [5, 10, 1],
    [4, 10, 0],
    [1_000_000_000_000, 100, 1_000_000_000_000],
    // The largest order total: a float product (x 100) would have lost its last units.
    [4_999_999_999_999_999, 15, 750_000_000_000_000],
    [4_999_999_999_999_999, 1, 50_000_000_000_000],
  ])('percentOf(%d, %d) = %d', (amount, percent, expected) => {
    expect(percentOf(amount, percent)).toBe(expected);
  });

  test.each([
    [5997, 250, 150],
    [100, 250, 3],
    [100, 0, 0],
    [1, 5000, 1],
    [4_999_999_999_999_999, 9999, 4_999_499_999_999_999],
    [4_999_999_999_999_999, 1, 500_000_000_000],
  ])('basisPointsOf(%d, %d) = %d', (amount, bps, expected) => {
    expect(basisPointsOf(amount, bps)).toBe(expected);
  });
});

describe('priceOrder', () => {
  test('totals, capped discount and the fee taken from the total', () => {
    const lines = [
      { listingId: 'a', title: 'A', quantity: 2, unitAmount: 1000 },
      { listingId: 'b', title: 'B', quantity: 1, unitAmount: 500 },
    ];
    expect(priceOrder(lines, 300, 250)).toEqual({
      subtotalAmount: 2500,
      discountAmount: 300,
      totalAmount: 2200,
      platformFeeAmount: 55,
    });
    expect(priceOrder(lines, 9999, 250)).toEqual({
      subtotalAmount: 2500,
      discountAmount: 2500,
      totalAmount: 0,
      platformFeeAmount: 0,
    });
  });
});

describe('order state machine', () => {
  test('only an unpaid order can be paid, canceled or expired', () => {
    expect(sourcesOf('paid')).toEqual(['pending_payment']);
    expect(sourcesOf('canceled')).toEqual(['pending_payment']);
    expect(sourcesOf('expired')).toEqual(['pending_payment']);
  });

  test('final statuses go nowhere, and nothing goes back to pending_payment', () => {
    for (const from of ['canceled', 'expired', 'refunded'] as const) {
      for (const to of ORDER_STATUSES) expect(canTransition(from, to)).toBe(false);
    }
    for (const from of ORDER_STATUSES) expect(canTransition(from, 'pending_payment')).toBe(false);
  });

  test('shipping needs payment; completing needs shipping', () => {
    expect(canTransition('pending_payment', 'shipped')).toBe(false);
    expect(canTransition('paid', 'completed')).toBe(false);
    expect(canTransition('paid', 'shipped')).toBe(true);
    expect(canTransition('shipped', 'completed')).toBe(true);
  });
});
