import { pooledRandomBytes } from '../random';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 16;

/** 16 Crockford base32 characters from a CSPRNG: exactly 80 bits of randomness. */
export function generateCouponCode(): string {
  const bytes = pooledRandomBytes(10);
  let code = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      code += ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return code;
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
