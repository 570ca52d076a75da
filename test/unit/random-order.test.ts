import { randomBytes } from 'node:crypto';
import { blockBits, blockRanges, viewerKey } from '../../src/feed/random-order';

const random64 = () => randomBytes(8).readBigUInt64BE();

/** A page as feed.service.ts reads it, over keys in memory instead of the (status, feed_key) index. */
function page(keys: bigint[], key: bigint, after: bigint | null, limit: number): bigint[] {
  const width = blockBits(keys.length);
  const found: bigint[] = [];
  let start: bigint | null = after === null ? 0n : after + 1n;
  let blocks = 2 * (limit + 1);
  while (start !== null && found.length <= limit) {
    const { ranges, next } = blockRanges(key, start, width, blocks);
    const inBlocks = keys
      .filter((k) => ranges.some((r) => k >= r.from && k <= r.to))
      .map((k) => k ^ key)
      .filter((v) => after === null || v > after)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    found.push(...inBlocks.slice(0, limit + 1 - found.length));
    start = next;
    blocks *= 2;
  }
  return found;
}

test.each([1, 7, 300, 2000])(
  'paging by blocks gives the keys in XOR order, each once (%i notes)',
  (count) => {
    const keys = Array.from({ length: count }, random64);
    const key = viewerKey('member:usr_x', '2026-12-04');
    const expected = keys.map((k) => k ^ key).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const seen: bigint[] = [];
    let after: bigint | null = null;
    for (;;) {
      const rows = page(keys, key, after, 20);
      seen.push(...rows.slice(0, 20));
      if (rows.length <= 20) break;
      after = rows[19]!;
    }
    expect(seen).toEqual(expected);
  },
);

test('each block is one contiguous range of keys, and the ranges cover the whole space once', () => {
  const key = random64();
  const { ranges, next } = blockRanges(key, 0n, 62n, 10);
  expect(next).toBeNull();
  expect(ranges).toHaveLength(4);
  const sorted = [...ranges].sort((a, b) => (a.from < b.from ? -1 : 1));
  expect(sorted[0]!.from).toBe(0n);
  sorted.forEach((r, i) => {
    expect(r.to - r.from).toBe((1n << 62n) - 1n);
    if (i > 0) expect(r.from).toBe(sorted[i - 1]!.to + 1n);
  });
});

test('keys differ by viewer and by Friday', () => {
  const a = viewerKey('member:usr_a', '2026-12-04');
  expect(viewerKey('member:usr_b', '2026-12-04')).not.toBe(a);
  expect(viewerKey('member:usr_a', '2026-12-11')).not.toBe(a);
  expect(viewerKey('member:usr_a', '2026-12-04')).toBe(a);
});
