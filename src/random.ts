import { randomBytes } from 'node:crypto';

// Bytes from the CSPRNG, drawn 4 KiB at a time: a randomBytes call per id would make a system
// call for every id, a sizeable share of an order's CPU. Every byte is handed out once; the
// pool is replaced, never rewritten, so earlier slices stay as they were.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

/** `size` (≤ 4096) cryptographically random bytes. */
export function pooledRandomBytes(size: number): Buffer {
  if (size > POOL_BYTES) return randomBytes(size);
  if (used + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  used += size;
  return pool.subarray(used - size, used);
}

/** Crockford's base32 alphabet, in lower case: no I, L, O or U. */
export const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** 80 random bits as 16 Crockford base32 characters (lower case). */
export function randomCrockford80(): string {
  let text = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of pooledRandomBytes(10)) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      text += CROCKFORD[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return text;
}
