import { planSearch, type TokenIndex, type TokenSurvey } from '../../src/search/search-plan';

/** An index of known tokens, each with its id `depth` deep in its postings (null: fewer rows). */
function fakeIndex(deep: Record<string, string | null>) {
  const calls: Array<{ tokens: string[]; prefix: string | null; depth: number }> = [];
  const index: TokenIndex = {
    async survey(tokens, prefix, limit, depth): Promise<TokenSurvey> {
      calls.push({ tokens, prefix, depth });
      const terms =
        prefix === null
          ? []
          : Object.keys(deep)
              .filter((t) => t.startsWith(prefix))
              .sort()
              .slice(0, limit);
      const deepOf = (token: string) => (depth > 0 && token in deep ? deep[token]! : null);
      return {
        terms,
        deepIds: tokens.map(deepOf),
        prefixDeepId: terms.length === 1 ? deepOf(terms[0]!) : null,
      };
    },
  };
  return { index, calls };
}

const DEEP = {
  vintage: 'lst_05', // common: its 50th newest row is recent
  camera: 'lst_03', // sparser
  camcorder: 'lst_01',
  zither: null, // fewer than 50 rows
  tea: 'lst_09',
  teapot: 'lst_02',
};

describe('planSearch', () => {
  test.each([
    ['vintage camera', ['camera', 'vintage'], [], 1],
    ['camera vintage', ['camera', 'vintage'], [], 1],
    ['vintage came', ['camera', 'vintage'], [], 1],
    ['vintage zither', ['zither', 'vintage'], [], 1],
    ['zither tea camera', ['zither', 'camera', 'tea'], [], 1],
    ['vintage cam', ['vintage'], [['camcorder', 'camera']], 1],
    ['matcha', [], [], 1], // a prefix no row has: null below
    ['抹茶', ['抹茶'], [], 0], // one CJK token: nothing to expand or rank
  ])('%p walks %p first', async (q, exact, anyOf, surveys) => {
    const { index, calls } = fakeIndex(DEEP);
    const plan = await planSearch(q, index);
    expect(calls).toHaveLength(surveys);
    if (q === 'matcha') expect(plan).toBeNull();
    else expect(plan).toEqual({ exact, anyOf, prefixes: [] });
  });

  test('expands and ranks in one survey', async () => {
    const { index, calls } = fakeIndex(DEEP);
    await planSearch('tea vintage cam', index);
    expect(calls).toEqual([{ tokens: ['tea', 'vintage'], prefix: 'cam', depth: 50 }]);
  });

  test('one word is expanded without ranking', async () => {
    const { index, calls } = fakeIndex(DEEP);
    expect(await planSearch('tea', index)).toEqual({
      exact: [],
      anyOf: [['tea', 'teapot']],
      prefixes: [],
    });
    expect(calls).toEqual([{ tokens: [], prefix: 'tea', depth: 0 }]);
  });

  test('punctuation alone matches nothing; blank is no search', async () => {
    const { index, calls } = fakeIndex(DEEP);
    expect(await planSearch('!!!', index)).toBeNull();
    expect(await planSearch('  ', index)).toEqual({ exact: [], anyOf: [], prefixes: [] });
    expect(calls).toHaveLength(0);
  });
});
