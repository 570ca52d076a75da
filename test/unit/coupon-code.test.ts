import {
  formatCouponCode,
  generateCouponCode,
  normaliseCouponCode,
} from '../../src/coupons/coupon-code';

describe('coupon codes', () => {
  test('16 Crockford base32 characters, shown in groups of four', () => {
    const code = generateCouponCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(formatCouponCode(code)).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  });

  test('100,000 codes are all distinct and every character position varies', () => {
    const codes = new Set(Array.from({ length: 100_000 }, generateCouponCode));
    expect(codes.size).toBe(100_000);
    const sample = [...codes].slice(0, 2000);
    for (let position = 0; position < 16; position += 1) {
      expect(new Set(sample.map((code) => code[position])).size).toBe(32);
    }
  });

  test.each([
    ['ABCD-EFGH-JKMN-PQRS', 'ABCDEFGHJKMNPQRS'],
    ['abcd efgh jkmn pqrs', 'ABCDEFGHJKMNPQRS'],
    ['abcdefghjkmnpqrs', 'ABCDEFGHJKMNPQRS'],
    ['0O1I-L000-0000-0000', '0011100000000000'],
    ['ABCD-EFGH-JKMN-PQR', null],
    ['ABCD-EFGH-JKMN-PQRU', null],
    ['', null],
  ])('normalise %p -> %p', (input, expected) => {
    expect(normaliseCouponCode(input)).toBe(expected);
  });
});
