import fc from 'fast-check';
import { mutatedObjectArb, keyArb } from './bad-values';
import { anyJsonArb } from './odd-values';
import { plausible, type World } from './plausible-values';
import { toJson } from './raw-json';
import { type Endpoint } from './openapi-endpoints';

/** Request bodies: the valid one, mutated ones, and ones that are not JSON at all. */

export interface BodyPart {
  body?: string | Buffer;
  /** undefined: application/json; null: no Content-Type header. */
  contentType?: string | null;
}

const NOT_JSON = [
  '{"a":',
  "{'a':1}",
  'undefined',
  'NaN',
  '{"a":1}x',
  '\u0000',
  'a=1&b=2',
  '<xml/>',
  '{"a":1,}',
  '{"a":"\\x41"}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '\ufeff{}',
  ' ',
  '[',
  '"',
];

export function bodyArb(endpoint: Endpoint, base: unknown, world: World): fc.Arbitrary<BodyPart> {
  const schema = endpoint.body;
  const json = (value: unknown): BodyPart => ({ body: toJson(value) });
  const choices: Array<fc.WeightedArbitrary<BodyPart>> = [
    {
      weight: 2,
      arbitrary: fc
        .dictionary(keyArb(schema), anyJsonArb, { maxKeys: 5, noNullPrototype: true })
        .map(json),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('null', '[]', '"x"', '0', 'true', '[{}]', '""', '-1')
        .map((body) => ({ body })),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(fc.constantFrom(...NOT_JSON), fc.string({ maxLength: 20 }))
        .map((body) => ({ body })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<BodyPart>({ body: '' }, {}, { body: '', contentType: null }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<BodyPart>(
        // Invalid UTF-8 inside a string, and a body over (and at) the 256 KB limit.
        {
          body: Buffer.concat([
            Buffer.from('{"title":"'),
            Buffer.from([0xff, 0xfe, 0xc0]),
            Buffer.from('"}'),
          ]),
        },
        { body: toJson({ ...(base as object), title: 'x'.repeat(300 * 1024) }) },
        { body: toJson({ ...(base as object), title: 'x'.repeat(256 * 1024 - 300) }) },
      ),
    },
  ];
  if (schema) {
    choices.push(
      { weight: 12, arbitrary: mutatedObjectArb(schema, base, world).map(json) },
      { weight: 1, arbitrary: fc.constant(json(base)) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom(...Object.keys(schema.properties ?? { x: 0 })), anyJsonArb)
          .map(([key, value]) => ({
            // Duplicate keys: the parser keeps the last one.
            body: `{${JSON.stringify(key)}:${toJson(plausible(schema.properties?.[key] ?? {}, key, world))},${toJson(base).slice(1, -1)}${Object.keys(base as object).length > 0 ? ',' : ''}${JSON.stringify(key)}:${toJson(value)}}`,
          })),
      },
    );
  }
  return fc.oneof(...choices);
}

export function baseBody(endpoint: Endpoint, base: unknown): BodyPart {
  return endpoint.body ? { body: toJson(base) } : {};
}
