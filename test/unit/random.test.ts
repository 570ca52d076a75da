import { pooledRandomBytes } from '../../src/random';

describe('pooledRandomBytes', () => {
  test('hands out each byte once: 10,000 ten-byte draws across many pool refills are all distinct and keep their value', () => {
    const draws = Array.from({ length: 10_000 }, () => pooledRandomBytes(10));
    const copies = draws.map((d) => Buffer.from(d).toString('hex'));
    expect(new Set(copies).size).toBe(10_000);
    // Later draws (and refills) never rewrite an earlier slice.
    expect(draws.map((d) => d.toString('hex'))).toEqual(copies);
    expect(draws.every((d) => d.length === 10)).toBe(true);
  });

  test('sizes up to and beyond the pool', () => {
    expect(pooledRandomBytes(4096)).toHaveLength(4096);
    expect(pooledRandomBytes(5000)).toHaveLength(5000);
    expect(pooledRandomBytes(0)).toHaveLength(0);
  });

  test('bytes look uniform: every value appears, none more than twice as often as expected', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 2560; i += 1) for (const byte of pooledRandomBytes(100)) counts[byte]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(0);
    expect(Math.max(...counts)).toBeLessThan(2000);
  });
});
