import { removeDefaultIgnorables } from '../../src/text/ignorable';

describe('removeDefaultIgnorables', () => {
  test.each([
    ['zero-width space', 'poli\u200btics', 'politics'],
    ['soft hyphen', 'poli\u00adtics', 'politics'],
    ['zero-width non-joiner', 'poli\u200ctics', 'politics'],
    ['zero-width joiner', 'poli\u200dtics', 'politics'],
    ['word joiner', 'poli\u2060tics', 'politics'],
    ['invisible separator', 'poli\u2063tics', 'politics'],
    ['byte order mark', '\ufeffpolitics', 'politics'],
    ['left-to-right mark', 'poli\u200etics', 'politics'],
    ['right-to-left override', '\u202epolitics\u202c', 'politics'],
    ['isolates', '\u2066politics\u2069', 'politics'],
    ['Arabic letter mark', 'poli\u061ctics', 'politics'],
    ['combining grapheme joiner', 'poli\u034ftics', 'politics'],
    ['Mongolian free variation selector', 'poli\u180btics', 'politics'],
    ['Hangul filler', 'poli\u3164tics', 'politics'],
    ['half-width Hangul filler', 'poli\uffa0tics', 'politics'],
    ['emoji variation selector', '🗻\ufe0f', '🗻'],
    ['ideographic variation selector', '葛\u{E0100}', '葛'],
    ['a stray tag character', 'poli\u{E0041}tics', 'politics'],
    ['several in a row', 'p\u200b\u00ad\u2060\ufeffolitics', 'politics'],
    ['an emoji ZWJ sequence keeps its emoji', '👩\u200d💻', '👩💻'],
    ['ordinary text is left alone', 'Matcha 抹茶 café', 'Matcha 抹茶 café'],
    ['visible spaces stay', 'tea ceremony', 'tea ceremony'],
    ['only ignorables leave nothing', '\u200b\u00ad\ufeff', ''],
    ['the empty string', '', ''],
  ])('%s: %j -> %j', (_name, input, expected) => {
    expect(removeDefaultIgnorables(input)).toBe(expected);
  });

  test('a subdivision flag (an emoji tag sequence) is kept whole', () => {
    const scotland = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}';
    const wales = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F}';
    expect(removeDefaultIgnorables(scotland)).toBe(scotland);
    expect(removeDefaultIgnorables(`a${wales}\u200bb`)).toBe(`a${wales}b`);
  });

  test('every Default_Ignorable_Code_Point outside flag sequences goes', () => {
    const ignorable = /\p{Default_Ignorable_Code_Point}/u;
    for (let cp = 0; cp <= 0x10ffff; cp += 1) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const char = String.fromCodePoint(cp);
      if (ignorable.test(char)) expect(removeDefaultIgnorables(`a${char}b`)).toBe('ab');
    }
  });
});
