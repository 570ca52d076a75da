import fc from 'fast-check';
import { RawJson } from './raw-json';

/** Odd values any field may get: wrong types, odd numbers and strings, deep JSON, extra keys. */

const WRONG_TYPES: unknown[] = [
  null,
  true,
  false,
  0,
  1,
  -1,
  '',
  'x',
  [],
  {},
  [null],
  [[]],
  { '': '' },
  { nested: { deeper: [1, 'a', null] } },
];

const NUMBERS: unknown[] = [
  -1,
  0,
  0.5,
  1.5,
  -0.000001,
  2 ** 31,
  2 ** 32 + 1,
  2 ** 53 + 2,
  -(2 ** 63),
  1e21,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  1e12 + 1,
  123456789.123,
  ...[
    '1e309',
    '-1e309',
    '-0',
    '1.0',
    '1e2',
    '1E400',
    '100000000000000000000000001',
    '4.9e-325',
    '-9007199254740993',
  ].map((text) => new RawJson(text)),
  ...['NaN', 'Infinity', '-Infinity', '1e309', '0x10', '1_000', ' 1 ', '١٢٣', '1,000', '12abc'],
  ...['-0', '+1', '0b11', '1n', '9'.repeat(400)],
];

/** Code points that show as nothing (Unicode's Default_Ignorable_Code_Point), alone. */
export const DEFAULT_IGNORABLES = [
  '\u00ad',
  '\u034f',
  '\u061c',
  '\u115f',
  '\u17b4',
  '\u180e',
  '\u200c',
  '\u200d',
  '\u200e',
  '\u2060',
  '\u2066',
  '\u3164',
  '\ufe0f',
  '\uffa0',
  '\u{1d173}',
  '\u{e0001}',
  '\u{e0100}',
];

/** `text` with an invisible code point slipped in: it must compare as `text` does, or be refused. */
export function withIgnorable(text: string, index: number): string {
  const ignorable = DEFAULT_IGNORABLES[index % DEFAULT_IGNORABLES.length]!;
  const at = Math.floor(text.length / 2);
  return text.slice(0, at) + ignorable + text.slice(at);
}

const STRINGS = [
  '🏯🍵',
  '👨‍👩‍👧‍👦',
  '\u202eevil\u202c',
  'مرحبا بالعالم',
  'עברית',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\ufeff',
  'e\u0301',
  'ｆｕｌｌｗｉｄｔｈ',
  '\u200b',
  ...DEFAULT_IGNORABLES,
  // Values that grow on their way to a column: case mappings and compatibility forms.
  'İ'.repeat(40),
  'ß'.repeat(30),
  'ŉ'.repeat(30),
  'ﬃ'.repeat(30),
  '㍿'.repeat(20),
  'ﷺ'.repeat(10),
  '\n\r\t',
  '   ',
  '𝕳𝖊𝖑𝖑𝖔',
  '\\',
  '"',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '%s%n',
  '../../etc/passwd',
  '%00',
  'null',
  'undefined',
  'NaN',
  '__proto__',
];

export const weirdStringArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(201, 1001, 2001, 10_001, 20_001, 70_000).map((n) => 'x'.repeat(n)),
  },
  { weight: 1, arbitrary: fc.constantFrom(100, 255, 1000, 5000).map((n) => '🍵'.repeat(n)) },
);

/** Nesting far deeper than any schema: a recursive walk over it would blow the stack. */
const DEEP = [
  new RawJson(`${'['.repeat(5000)}${']'.repeat(5000)}`),
  new RawJson(`${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`),
];

export const anyJsonArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...WRONG_TYPES) },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 2, arbitrary: weirdStringArb },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(...DEEP) },
);

export const EXTRA_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'id',
  'userId',
  'roles',
  'status',
  'sellerId',
  'buyerId',
  'createdAt',
  'toString',
  'hasOwnProperty',
  '',
  'k'.repeat(300),
  '🍵',
  'a.b',
  'items[0]',
];

export const extraKeyArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...EXTRA_KEYS),
  fc.string({ maxLength: 12 }),
);
