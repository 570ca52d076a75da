import { TermMatcher } from '../../src/glossary/term-matcher';
import { segmentText } from '../../web/app/glossary/highlight';

const TERMS = ['躺平', '绝绝子', 'YYDS', 'emo', 'lying flat', 'ok', 'ガチ'];

/** The marked places of a text as `[written, term]` pairs. */
const marked = (text: string, terms: readonly string[] = TERMS) =>
  segmentText(text, terms)
    .filter((segment) => segment.term !== undefined)
    .map((segment) => [segment.text, segment.term]);

describe('glossary terms marked in a note (web/app/glossary/highlight.ts)', () => {
  test.each([
    ['今天我决定躺平了', [['躺平', '躺平']]],
    ['真的躺 平', [['躺 平', '躺平']]],
    ['躺、平', [['躺、平', '躺平']]],
    ['躺\u200b平', [['躺\u200b平', '躺平']]],
    ['full width ＥＭＯ tonight', [['ＥＭＯ', 'emo']]],
    ['so Emo.', [['Emo', 'emo']]],
    ['the coffee here is ＹＹＤＳ!', [['ＹＹＤＳ', 'YYDS']]],
    ['我觉得yyds', [['yyds', 'YYDS']]],
    ['half-width ｶﾞﾁ katakana', [['ｶﾞﾁ', 'ガチ']]],
    ['After the exam I am Lying-Flat for a week', [['Lying-Flat', 'lying flat']]],
    ['a book about nothing', []],
    ['yydsx is a different word', []],
    ['flying flat out', []],
    [
      'it is OK. ok!',
      [
        ['OK', 'ok'],
        ['ok', 'ok'],
      ],
    ],
  ])('%s', (text, expected) => expect(marked(text)).toEqual(expected));

  test('the runs put back together are the text as written', () => {
    const text = 'ＥＭＯ 躺 平，yyds！ ｶﾞﾁ';
    expect(
      segmentText(text, TERMS)
        .map((segment) => segment.text)
        .join(''),
    ).toBe(text);
  });

  test('the longest term wins where two start at the same place', () => {
    expect(marked('绝绝子', ['绝绝', '绝绝子'])).toEqual([['绝绝子', '绝绝子']]);
  });

  test('no terms, or terms with nothing to match: the text as one run', () => {
    expect(segmentText('躺平', [])).toEqual([{ text: '躺平' }]);
    expect(segmentText('躺平', ['!!!'])).toEqual([{ text: '躺平' }]);
  });

  // The API lists a note's terms; every term it lists must be found to be marked.
  test.each([
    ['ＥＭＯ', 'emo'],
    ['ｙｙｄｓ', 'YYDS'],
    ['ＯＫ？', 'ok'],
    ['躺\u2060平', '躺平'],
    ['LYING\u00a0FLAT', 'lying flat'],
  ])('what the API finds in %s (%s), the page marks', (text, term) => {
    const listed = new TermMatcher([{ term, language: 'und' }]).find(text);
    expect(listed.map((entry) => entry.term)).toEqual([term]);
    expect(marked(text).map(([, found]) => found)).toEqual([term]);
  });
});
