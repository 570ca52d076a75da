import { indexTokens, queryTokens, tokenBits } from '../../src/search/search-tokens';

describe('indexTokens', () => {
  test.each([
    ['Hand-thrown MATCHA bowl', ['hand', 'thrown', 'matcha', 'bowl']],
    ['Café crème', ['cafe', 'creme']],
    ['抹茶', ['抹', '茶', '抹茶']],
    ['京都の抹茶', ['京', '都', 'の', '抹', '茶', '京都', '都の', 'の抹', '抹茶']],
    ['Ｍａｔｃｈａ ２０２６', ['matcha', '2026']],
    ['한국 차', ['한', '국', '한국', '차']],
  ])('%p', (text, expected) => {
    expect(indexTokens(text).sort()).toEqual([...expected].sort());
  });
});

describe('queryTokens', () => {
  test.each([
    ['matcha', [{ token: 'matcha', isPrefix: true }]],
    [
      'MATCHA Bowl',
      [
        { token: 'matcha', isPrefix: false },
        { token: 'bowl', isPrefix: true },
      ],
    ],
    ['抹茶', [{ token: '抹茶', isPrefix: false }]],
    ['茶', [{ token: '茶', isPrefix: false }]],
    [
      '抹茶碗',
      [
        { token: '抹茶', isPrefix: false },
        { token: '茶碗', isPrefix: false },
      ],
    ],
    ['café', [{ token: 'cafe', isPrefix: true }]],
    ['  ', []],
  ])('%p', (query, expected) => {
    expect(queryTokens(query)).toEqual(expected);
  });

  test('a query never asks for more than 8 tokens', () => {
    expect(queryTokens('a b c d e f g h i j k')).toHaveLength(8);
  });

  test('whatever a text is indexed by, a query taken from it matches', () => {
    const text = '京都の抹茶茶碗 — hand-thrown Matcha bowl';
    const indexed = new Set(indexTokens(text));
    for (const query of ['抹茶', '茶碗', '京都', 'matcha', 'bowl', 'hand thrown', 'Matcha Bo']) {
      for (const { token, isPrefix } of queryTokens(query)) {
        expect(isPrefix ? [...indexed].some((t) => t.startsWith(token)) : indexed.has(token)).toBe(
          true,
        );
      }
    }
  });
});

describe('tokenBits', () => {
  // MariaDB: CRC32('vintage') = 2701218746, CRC32('抹茶') = 4164333817 (migration 019's backfill).
  const bitsOf = (crc: number) => (1n << BigInt(crc & 63)) | (1n << BigInt((crc >>> 6) & 63));

  test('two bits per token, from the CRC-32 of its UTF-8 bytes, as MariaDB computes it', () => {
    expect(tokenBits(['vintage'])).toBe(bitsOf(2701218746));
    expect(tokenBits(['抹茶'])).toBe(bitsOf(4164333817));
    expect(tokenBits(['vintage', '抹茶'])).toBe(bitsOf(2701218746) | bitsOf(4164333817));
    expect(tokenBits([])).toBe(0n);
  });

  test("a text's bits hold every bit of each of its tokens", () => {
    const tokens = indexTokens('Vintage camera, 京都の抹茶茶碗, 42');
    const bits = tokenBits(tokens);
    for (const token of tokens) expect(bits & tokenBits([token])).toBe(tokenBits([token]));
  });
});
