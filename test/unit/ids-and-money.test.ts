import { formatMajor, isCurrency, minorUnits } from '../../src/money/currency';
import { decodeCursor, encodeCursor } from '../../src/http/cursor';
import { isId, newId } from '../../src/ids';

describe('ids', () => {
  test('prefixed, 26 Crockford characters, ordered by time, unique', () => {
    const a = newId('lst', 1_700_000_000_000);
    const b = newId('lst', 1_700_000_000_001);
    expect(isId('lst', a)).toBe(true);
    expect(a < b).toBe(true);
    const many = new Set(Array.from({ length: 10_000 }, () => newId('usr')));
    expect(many.size).toBe(10_000);
  });

  test('cursors round-trip and refuse forgeries', () => {
    const id = newId('ord');
    expect(decodeCursor(encodeCursor(id))).toBe(id);
    expect(decodeCursor(undefined)).toBeNull();
    expect(() => decodeCursor(Buffer.from('v1:1 OR 1=1').toString('base64url'))).toThrow();
  });
});

describe('currencies', () => {
  test.each([
    [1999, 'USD', '19.99'],
    [5, 'USD', '0.05'],
    [0, 'USD', '0.00'],
    [500, 'JPY', '500'],
    [35000, 'KRW', '35000'],
    [1234, 'KWD', '1.234'],
    [-1999, 'EUR', '-19.99'],
  ])('%d %s is %s', (amount, currency, expected) => {
    expect(formatMajor(amount, currency)).toBe(expected);
  });

  test('ISO 4217 minor units and codes', () => {
    expect(minorUnits('JPY')).toBe(0);
    expect(minorUnits('BHD')).toBe(3);
    expect(minorUnits('EUR')).toBe(2);
    expect(isCurrency('USD')).toBe(true);
    expect(isCurrency('usd')).toBe(false);
    expect(isCurrency('ABC')).toBe(false);
  });
});
