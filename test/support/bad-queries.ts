import fc from 'fast-check';
import { weirdStringArb } from './odd-values';
import { type World } from './plausible-values';
import { type Endpoint } from './openapi-endpoints';
import { fitsInRequestLine, rawPathSegment, safeEncode } from './bad-paths';

/** Query strings: the endpoint's valid one, and ones with odd names and values. */

const QUERY_VALUES = [
  '-1',
  '0',
  '101',
  'abc',
  '1.5',
  '1e309',
  'NaN',
  'Infinity',
  '',
  '9'.repeat(30),
  'x'.repeat(200),
  'x'.repeat(201),
  'あ'.repeat(200),
  'garbage',
  Buffer.from('v1:../../etc', 'utf8').toString('base64url'),
  Buffer.from('v2:lst_01jzzzzzzzzzzzzzzzzzzzzzzz', 'utf8').toString('base64url'),
  '%%%',
  'x'.repeat(2500),
  '2026-02-30',
  'true',
  '[]',
  '{}',
];

function queryValueArb(world: World): fc.Arbitrary<string> {
  const cursorsOfOtherKinds = Object.values(world.ids)
    .flat()
    .map((id) => Buffer.from(`v1:${id}`, 'utf8').toString('base64url'));
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...QUERY_VALUES) },
    { weight: 1, arbitrary: fc.constantFrom(...cursorsOfOtherKinds) },
    { weight: 1, arbitrary: fc.constantFrom(...Object.values(world.ids).flat()) },
    { weight: 2, arbitrary: weirdStringArb.filter((s) => fitsInRequestLine(safeEncode(s))) },
  );
}

export function queryArb(endpoint: Endpoint, world: World, base: Record<string, string>) {
  const names = [...endpoint.queryParams.map((p) => p.name), 'limit', 'cursor'];
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...names) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '__proto__',
        'constructor',
        'a[b]',
        'limit[]',
        '',
        'x'.repeat(300),
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  );
  const pair = fc.tuple(key, queryValueArb(world), fc.boolean());
  return fc
    .tuple(fc.array(pair, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean())
    .map(([pairs, keepBase, flagOnly]) => {
      const parts = keepBase
        ? Object.entries(base).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        : [];
      for (const [k, v, raw] of pairs) {
        const encode = raw ? rawPathSegment : safeEncode;
        parts.push(flagOnly && v === '' ? encode(k) : `${encode(k)}=${encode(v)}`);
      }
      return parts.join('&');
    });
}

export function validQuery(base: Record<string, string>): string {
  return Object.entries(base)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}
