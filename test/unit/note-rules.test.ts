import fc from 'fast-check';
import {
  isCrossCultural,
  needsReview,
  normaliseTag,
  type ModerationPolicy,
} from '../../src/notes/note-rules';

describe('normaliseTag', () => {
  test.each([
    ['plain lower case stays', 'matsuri', 'matsuri'],
    ['upper case folds', 'Matsuri', 'matsuri'],
    ['full-width letters fold to ASCII', 'ＭＡＴＳＵＲＩ', 'matsuri'],
    ['full-width digits fold', 'ｅｄｏ１８００', 'edo1800'],
    ['surrounding spaces are trimmed', '  matsuri  ', 'matsuri'],
    ['inner runs of white space become one space', 'bon \t  odori', 'bon odori'],
    ['the ideographic space counts as a space', 'ＴＥＡ\u3000ＣＥＲＥＭＯＮＹ', 'tea ceremony'],
    ['half-width katakana become full-width', 'ﾏﾂﾘ', 'マツリ'],
    ['kanji are left alone', '祭り', '祭り'],
    ['a decomposed accent composes', 'cafe\u0301', 'café'],
    ['accented capitals fold', 'ÉTÉ', 'été'],
    ['compatibility ligatures expand', 'ﬁesta', 'fiesta'],
    ['a zero-width space is dropped', 'poli\u200btics', 'politics'],
    ['a soft hyphen is dropped', 'poli\u00adtics', 'politics'],
    ['a word joiner is dropped', 'poli\u2060tics', 'politics'],
    ['joiners are dropped', 'po\u200cli\u200dtics', 'politics'],
    ['a BOM is dropped', '\ufeffpolitics', 'politics'],
    ['only invisible characters leave nothing', '\u200b\u2060', ''],
  ])('%s: %j -> %j', (_name, input, expected) => {
    expect(normaliseTag(input)).toBe(expected);
  });

  test('Matsuri, ＭＡＴＳＵＲＩ and " matsuri " are one tag', () => {
    const forms = ['Matsuri', 'ＭＡＴＳＵＲＩ', ' matsuri ', 'MATSURI'];
    expect(new Set(forms.map(normaliseTag))).toEqual(new Set(['matsuri']));
  });

  test('normalising twice changes nothing more (stored tags are compared after a second pass)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (tag) => {
        const once = normaliseTag(tag);
        expect(normaliseTag(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isCrossCultural', () => {
  test.each([
    ['one language, no tags', ['ja'], [], false],
    ['two languages', ['ja', 'en'], [], true],
    ['two regional variants are two languages', ['pt-BR', 'pt-PT'], [], true],
    ['the same language twice in other case is one', ['en', 'EN'], [], false],
    ['one language with a culture tag', ['ja'], ['matsuri'], true],
    ['three languages and tags', ['ja', 'en', 'fr'], ['tea'], true],
    ['no languages, no tags', [], [], false],
  ])('%s', (_name, languages, tags, expected) => {
    expect(isCrossCultural(languages, tags)).toBe(expected);
  });
});

describe('needsReview', () => {
  const policy: ModerationPolicy = { countries: ['CN', 'RU'], tags: ['politics', 'religion'] };
  test.each([
    ['author in a moderated country', policy, 'CN', [], true],
    ['country matched whatever its case', policy, 'ru', [], true],
    ['author elsewhere, no tags', policy, 'JP', [], false],
    ['author elsewhere, ordinary tags', policy, 'JP', ['tea', 'matsuri'], false],
    ['a moderated tag', policy, 'JP', ['politics'], true],
    ['a moderated tag in capitals', policy, 'JP', ['Politics'], true],
    ['a moderated tag in full width', policy, 'JP', ['ＰＯＬＩＴＩＣＳ'], true],
    ['a moderated tag among others', policy, 'JP', ['tea', ' religion '], true],
    ['a moderated tag with a zero-width space', policy, 'JP', ['poli\u200btics'], true],
    ['a moderated tag with a soft hyphen', policy, 'JP', ['reli\u00adgion'], true],
    ['a moderated tag with a word joiner and a BOM', policy, 'JP', ['\ufeffpoli\u2060tics'], true],
    ['part of a moderated tag is not it', policy, 'JP', ['politic'], false],
    ['a longer tag containing it is not it', policy, 'JP', ['politics-free'], false],
    ['both country and tag', policy, 'CN', ['politics'], true],
    ['an empty policy holds nothing back', { countries: [], tags: [] }, 'CN', ['politics'], false],
  ])('%s', (_name, p, country, tags, expected) => {
    expect(needsReview(p, country, tags)).toBe(expected);
  });
});
