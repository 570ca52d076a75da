import { formatMajor, isCurrency, minorUnits } from '../../src/money/currency';

describe('formatMajor', () => {
  test.each([
    [1999, 'USD', '19.99'],
    [500, 'JPY', '500'],
    [1234, 'KWD', '1.234'],
    [5, 'USD', '0.05'],
    [0, 'USD', '0.00'],
    [0, 'JPY', '0'],
    [0, 'KWD', '0.000'],
    [1, 'BHD', '0.001'],
    [100, 'EUR', '1.00'],
    [35000, 'KRW', '35000'],
    [-1999, 'EUR', '-19.99'],
    [-5, 'USD', '-0.05'],
    [123456789012, 'USD', '1234567890.12'],
    [9007199254740991, 'USD', '90071992547409.91'],
  ])('%d %s is %s', (amount, currency, expected) => {
    expect(formatMajor(amount, currency)).toBe(expected);
  });

  test('never goes through floating point: every cent of a range prints exactly', () => {
    for (let amount = 0; amount < 2_000; amount += 1) {
      const expected = `${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')}`;
      expect(formatMajor(amount, 'USD')).toBe(expected);
    }
  });
});

describe('currencies', () => {
  test.each([
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['BHD', 3],
  ])('%s has %d minor digits', (currency, digits) => {
    expect(minorUnits(currency)).toBe(digits);
  });

  test.each(['USD', 'EUR', 'JPY', 'KRW', 'KWD', 'CNY', 'BRL'])('%s is a currency', (code) => {
    expect(isCurrency(code)).toBe(true);
  });

  test.each(['usd', 'Usd', 'ABC', 'US', 'USDD', '', ' USD', '1234'])(
    '%p is not a currency',
    (code) => {
      expect(isCurrency(code)).toBe(false);
    },
  );
});
