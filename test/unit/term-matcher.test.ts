import { termKey } from '../../src/glossary/term-key';
import { TermMatcher } from '../../src/glossary/term-matcher';

const terms = [
  { term: '躺平', language: 'zh' },
  { term: '绝绝子', language: 'zh' },
  { term: 'YYDS', language: 'zh' },
  { term: 'lying flat', language: 'en' },
  { term: 'ok', language: 'en' },
];
const matcher = new TermMatcher(terms);
const found = (text: string) => matcher.find(text).map((t) => t.term);

describe('term keys', () => {
  test.each([
    ['躺平', '躺平'],
    ['躺 平', '躺平'],
    ['躺·平', '躺平'],
    ['躺\u200b平', '躺平'],
    ['ＹＹＤＳ', 'yyds'],
    ['Lying-Flat', 'lyingflat'],
    ['!!!', ''],
  ])('%s is keyed %s', (term, key) => expect(termKey(term)).toBe(key));
});

describe('finding terms in a text', () => {
  test.each([
    ['今天我决定躺平了', ['躺平']],
    ['这碗面绝绝子，真的躺 平', ['绝绝子', '躺平']],
    ['躺、平', ['躺平']],
    ['the coffee here is ＹＹＤＳ!', ['YYDS']],
    ['yyds', ['YYDS']],
    ['我觉得yyds', ['YYDS']],
    ['yydsx is a different word', []],
    ['a book about nothing', []],
    ['it is OK.', ['ok']],
    ['After the exam I am lying-flat for a week', ['lying flat']],
    ['flying flat out', []],
    ['', []],
  ])('%s', (text, expected) => expect(found(text)).toEqual(expected));

  test('each term once, in the order it first occurs', () => {
    expect(found('躺平 yyds 躺平 YYDS')).toEqual(['躺平', 'YYDS']);
  });

  test('title and body are both read', () => {
    expect(matcher.find('A weekend', '完全躺平').map((t) => t.term)).toEqual(['躺平']);
  });
});
