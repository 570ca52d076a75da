import { CROCKFORD, randomCrockford80 } from '../random';

const ALPHABET = CROCKFORD.toUpperCase();
const LENGTH = 16;

/** 16 Crockford base32 characters from a CSPRNG: exactly 80 bits of randomness. */
export function generateCouponCode(): string {
  return randomCrockford80().toUpperCase();
}

/**
 * Input is case- and dash-insensitive and follows Crockford's decoding (I and L read as 1,
 * O as 0). Returns the stored 16-character form, or null if it cannot be a code.
 */
export function normaliseCouponCode(input: string): string | null {
  const compact = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  return compact.length === LENGTH && [...compact].every((c) => ALPHABET.includes(c))
    ? compact
    : null;
}

/** `XXXX-XXXX-XXXX-XXXX`, as shown to people. */
export function formatCouponCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}
