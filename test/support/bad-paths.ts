import fc from 'fast-check';
import { weirdStringArb } from './odd-values';
import { fakeId, type World } from './plausible-values';
import { idPrefixOf, type Endpoint, type ParamSpec } from './openapi-endpoints';

/** Request paths: valid ones, and ones broken in their values or their template. */

/** Percent-encodes what Node refuses in a request line, and leaves `%`, `/` and `..` alone. */
export function rawPathSegment(value: string): string {
  return Array.from(value)
    .map((ch) => (/[\x21-\x7e]/.test(ch) && ch !== '?' && ch !== '#' ? ch : safeEncode(ch)))
    .join('');
}

export function safeEncode(value: string): string {
  // Character by character only for a string encodeURIComponent refuses (a lone surrogate).
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeLoneSurrogates(value);
  }
}

function encodeLoneSurrogates(value: string): string {
  return Array.from(value)
    .map((ch) => {
      try {
        return encodeURIComponent(ch);
      } catch {
        // A lone surrogate: its WTF-8 bytes, which are not valid UTF-8.
        const code = ch.charCodeAt(0);
        return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
          .map((b) => `%${b.toString(16).toUpperCase()}`)
          .join('');
      }
    })
    .join('');
}

/**
 * Node's parser answers 431 itself past 16 KB of request line and headers, before the app (the
 * service's clientError handler turns that into a 400); the generators stay well under it.
 */
export function fitsInRequestLine(encoded: string): boolean {
  return encoded.length <= 3000;
}

const PATH_JUNK = [
  '../',
  '..',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f',
  '%00',
  'x%00y',
  '%',
  '%E0%A4%A',
  '%ZZ',
  '%C0%AE',
  '',
  ' ',
  'x'.repeat(3000),
  'null',
  'undefined',
  '0',
  '-1',
  '1e309',
  '__proto__',
  'constructor',
  '*',
  ';',
  '.',
];

function pathValueArb(param: ParamSpec, world: World): fc.Arbitrary<string> {
  const prefix = idPrefixOf(param.schema);
  const own = prefix ? (world.ids[prefix] ?? []) : param.name === 'code' ? world.couponCodes : [];
  const others = Object.entries(world.ids)
    .filter(([p]) => p !== prefix)
    .flatMap(([, ids]) => ids);
  const random26 = fc.string({
    unit: fc.constantFrom(...'0123456789abcdefghijklmnopqrstuvwxyz'),
    minLength: 26,
    maxLength: 26,
  });
  const choices: Array<fc.WeightedArbitrary<string>> = [
    { weight: 2, arbitrary: random26.map((s) => `${prefix ?? 'xyz'}_${s}`).map(safeEncode) },
    { weight: 2, arbitrary: fc.constantFrom(...others).map(safeEncode) },
    { weight: 3, arbitrary: fc.constantFrom(...PATH_JUNK).map(rawPathSegment) },
    { weight: 2, arbitrary: weirdStringArb.map(safeEncode).filter(fitsInRequestLine) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...(own.length > 0 ? own : [fakeId(prefix ?? 'xyz')]))
        .chain((id) =>
          fc.constantFrom(
            id.toUpperCase(),
            `${id}/`,
            `${id}x`,
            `%20${id}`,
            `${id}%0A`,
            id.slice(0, -1),
          ),
        ),
    },
  ];
  if (own.length > 0)
    choices.push({ weight: 2, arbitrary: fc.constantFrom(...own).map(safeEncode) });
  return fc.oneof(...choices);
}

function validPathValueArb(param: ParamSpec, world: World): fc.Arbitrary<string> {
  const prefix = idPrefixOf(param.schema);
  const own = prefix ? (world.ids[prefix] ?? []) : param.name === 'code' ? world.couponCodes : [];
  return fc.constantFrom(...(own.length > 0 ? own : [fakeId(prefix ?? 'xyz')])).map(safeEncode);
}

const TEMPLATE_JUNK = [
  '/',
  '//',
  '/x',
  '/..',
  '/%00',
  '/%E0%A4%A',
  '/.json',
  '?',
  '%20',
  '/../../v1/me',
];

export function pathArb(endpoint: Endpoint, world: World, bad: boolean): fc.Arbitrary<string> {
  const fill = (values: string[]) => {
    let index = 0;
    return endpoint.template.replace(/\{[^}]+\}/g, () => values[index++] ?? '');
  };
  const params = endpoint.pathParams.map((p) =>
    bad ? pathValueArb(p, world) : validPathValueArb(p, world),
  );
  const filled = params.length > 0 ? fc.tuple(...params).map(fill) : fc.constant(endpoint.template);
  if (!bad) return filled;
  // Around the template itself: trailing junk, doubled slashes, case, another version.
  return fc.oneof(
    { weight: 3, arbitrary: filled },
    {
      weight: 1,
      arbitrary: fc
        .tuple(filled, fc.constantFrom(...TEMPLATE_JUNK))
        .map(([path, junk]) => path + junk),
    },
    {
      weight: 1,
      arbitrary: filled.chain((path) =>
        fc.constantFrom(
          path.toUpperCase(),
          path.replace('/v1/', '/v1//'),
          path.replace('/v1/', '/v2/'),
          `/${path}`,
          path.replace(/\/$/, ''),
        ),
      ),
    },
  );
}
