import { createHash } from 'node:crypto';

/**
 * Friday's random order. Each note holds 64 random bits, `feed_key`, drawn once when it is
 * written; a viewer's Friday has a 64-bit key K, a hash of (viewer, Friday's date). The feed is
 * the notes ordered by `feed_key XOR K`:
 * - XOR with a fixed K is a bijection of 64-bit values, so the order is a permutation of the
 *   notes, the same on every page of that viewer's Friday: a cursor is the last value shown,
 *   and the next page is what lies above it: no repeat, no skip, whatever is added meanwhile.
 * - Another viewer or another Friday has another K, so another order.
 * - It stays index-friendly: an aligned block of 2^w consecutive values of `feed_key XOR K`
 *   is the set of keys whose bits above w equal the block number XOR K's: one contiguous range
 *   of `feed_key`. A page reads the few blocks that follow the cursor as range scans of the
 *   (status, feed_key) index and sorts only those rows; blocks are sized to hold a few notes
 *   each, so a page costs about the same at 100 notes or 100,000.
 * Its price, accepted: notes whose keys share a long prefix stay near each other in every
 * viewer's order (they are few, about one pair per block, and scattered at random).
 * K is a plain hash, not a secret: knowing one's own order is harmless.
 */
export const KEY_BITS = 64n;
const MAX = (1n << KEY_BITS) - 1n;

export function viewerKey(viewerSeed: string, friday: string): bigint {
  return createHash('sha256').update(`${viewerSeed}\n${friday}`).digest().readBigUInt64BE(0);
}

/** Block width (bits) for about one of `blocks`' worth per block: 2^64 / blocks, rounded. */
export function blockBits(blocks: number): bigint {
  let bits = 0n;
  while (1n << (bits + 1n) <= BigInt(Math.max(blocks, 1))) bits += 1n;
  return KEY_BITS - bits;
}

export interface KeyRange {
  from: bigint;
  to: bigint;
}

/**
 * The `feed_key` ranges of `count` consecutive blocks from the one holding order value
 * `start`, and the order value where the block after them starts (null past the end).
 */
export function blockRanges(
  key: bigint,
  start: bigint,
  width: bigint,
  count: number,
): { ranges: KeyRange[]; next: bigint | null } {
  const ranges: KeyRange[] = [];
  const last = MAX >> width;
  const low = (1n << width) - 1n;
  let block = start >> width;
  for (let i = 0; i < count && block <= last; i += 1, block += 1n) {
    const from = (block ^ (key >> width)) << width;
    ranges.push({ from, to: from | low });
  }
  return { ranges, next: block <= last ? block << width : null };
}
