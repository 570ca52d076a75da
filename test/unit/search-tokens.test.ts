import { indexTokens, queryTokens } from '../../src/search/search-tokens';

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
