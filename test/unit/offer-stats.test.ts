import { statsOf } from '../../campaigns/offers/offer-stats';

const row = (currency: string, redeemed: number, revenue: number) => ({
  offerId: 'pof_x',
  currency,
  redeemed: String(redeemed),
  revenue: String(revenue),
});

describe("a points offer's stats", () => {
  test('nothing issued: every figure 0, no currency for a percent coupon', () => {
    expect(statsOf({ issued: 0, currency: null }, [])).toEqual({
      issued: 0,
      redeemed: 0,
      redemptionRate: 0,
      revenueAmount: 0,
      currency: null,
      revenueByCurrency: [],
    });
  });

  test("a fixed coupon's currency is the stats' currency, even before any redemption", () => {
    expect(statsOf({ issued: 4, currency: 'USD' }, [])).toMatchObject({
      currency: 'USD',
      revenueAmount: 0,
    });
  });

  test('a percent coupon paid in two currencies: counted in the one most redemptions used; both listed', () => {
    expect(
      statsOf({ issued: 3, currency: null }, [row('USD', 1, 1800), row('JPY', 2, 9000)]),
    ).toEqual({
      issued: 3,
      redeemed: 3,
      redemptionRate: 1,
      revenueAmount: 9000,
      currency: 'JPY',
      revenueByCurrency: [
        { currency: 'JPY', amount: 9000 },
        { currency: 'USD', amount: 1800 },
      ],
    });
  });

  test('the redemption rate is rounded to 4 decimals', () => {
    expect(statsOf({ issued: 3, currency: 'JPY' }, [row('JPY', 1, 4000)]).redemptionRate).toBe(
      0.3333,
    );
  });
});
