import fc from 'fast-check';
import { declaredNames, idPrefixOf, typeOf, type JsonSchema } from './openapi-endpoints';
import { DEFAULT_IGNORABLES, anyJsonArb, extraKeyArb, withIgnorable } from './odd-values';
import { DAY, fakeId, plausible, type World } from './plausible-values';

/** Values for one field of a schema: edges by name and format, mostly wrong, sometimes right. */

function byName(name: string): unknown[] {
  if (/currency/i.test(name))
    return ['usd', 'XXX', 'XTS', 'BTC', 'BHD', 'CLF', 'KRW', 'JPY', 'USN', 'XAU', 'EUR ', 'US'];
  if (/country|shipsTo/i.test(name))
    return ['jp', 'XX', 'ZZ', 'EU', 'UK', 'JPN', 'J', '日本', 'AA', 'XK', '419', ' JP'];
  if (/^languages?$/i.test(name))
    return [
      'ja-u-ca-islamicc-co-phonebk-nu-arab',
      'en-u-ca-islamicc',
      'i-klingon',
      'zh-min-nan',
      'sgn-BR',
      'und-u-ca-islamicc-co-phonebk-hc-h12',
      'x-' + 'abcdefgh-'.repeat(3) + 'a',
    ];
  if (/timezone/i.test(name))
    return ['Mars/Olympus', 'UTC', 'utc', 'Etc/GMT+14', 'EST5EDT', '+09:00', 'Asia/Tokyo '];
  if (/^(startsAt|endsAt|expiresAt|writtenAt)$/.test(name))
    return [
      '2027-03-14T02:30:00',
      '2026-11-25',
      '1970-01-01T00:00:00Z',
      '9999-12-31T23:59:59.999Z',
      '9999-12-31T23:00:00Z',
      '9998-12-31T23:00:00+14:00',
      '0000-01-01T00:00:00Z',
      '1000-01-01T00:00:00Z',
      '+275760-09-13T00:00:00Z',
      '2026-11-25T25:00:00Z',
      '2026-11-25T00:00:00.123456789+14:00',
      '2026-12-01T20:00:00Z[Asia/Tokyo]',
      new Date(Date.now() - DAY).toISOString(),
      new Date(Date.now() + 3650 * DAY).toISOString(),
    ];
  if (/email/i.test(name))
    return ['a@b', 'not-an-email', `${'a'.repeat(250)}@x.co`, 'ü@example.com', ' a@example.com'];
  if (name === 'answer') return ['Mount Fuji', 'ＦＵＪＩＳＡＮ', '富士山', 'mount-fuji!!'];
  return [];
}

function byFormat(schema: JsonSchema): unknown[] {
  switch (schema.format) {
    case 'date':
      return ['2026-02-30', '2026-13-01', '20261101', '2026-11-01T00:00:00Z', '0000-00-00'];
    case 'date-time':
      return ['not a date', '2026-11-25T00:00:00', '2026-11-25T25:61:00Z', '0000-01-01T00:00:00Z'];
    case 'uuid':
      return [
        'not-a-uuid',
        '00000000-0000-0000-0000-000000000000',
        'ZZZZZZZZ-3B7D-4C1E-9A2B-5D8E7F6A4B3C',
      ];
    case 'uri':
      return [
        'javascript:alert(1)',
        'file:///etc/passwd',
        'http://',
        `https://example.com/${'a'.repeat(2000)}`,
        'data:image/png;base64,AAAA',
        '//example.com/a.jpg',
      ];
    default:
      return [];
  }
}

/** Values just outside (and at) what the schema allows, in groups of a kind. */
function edges(schema: JsonSchema, name: string, world: World): unknown[][] {
  const groups: unknown[][] = [byName(name), byFormat(schema)];
  const type = typeOf(schema);
  if (schema.enum) {
    const first = String(schema.enum[0]);
    groups.push([
      first.toUpperCase(),
      ` ${first}`,
      `${first}\u0000`,
      [first],
      schema.enum.join(','),
    ]);
  }
  if (type === 'integer' || type === 'number') {
    const bounds: unknown[] = [];
    for (const bound of [schema.minimum, schema.maximum])
      if (bound !== undefined) bounds.push(bound, bound - 1, bound + 1, bound + 0.5, String(bound));
    groups.push(bounds);
  }
  if (type === 'string') {
    const lengths: unknown[] = [];
    if (schema.maxLength !== undefined)
      lengths.push(
        'x'.repeat(schema.maxLength),
        'x'.repeat(schema.maxLength + 1),
        'あ'.repeat(schema.maxLength),
        '🍵'.repeat(schema.maxLength / 2),
        // Lower-casing doubles İ; NFKC turns ㍿ into four characters.
        'İ'.repeat(schema.maxLength),
        '㍿'.repeat(schema.maxLength),
      );
    if (schema.minLength) lengths.push('x'.repeat(schema.minLength - 1));
    groups.push(lengths);
    const valid = plausible(schema, name, world);
    if (typeof valid === 'string' && valid.length > 1)
      groups.push([
        withIgnorable(valid, valid.length),
        withIgnorable(valid, valid.length + 5),
        DEFAULT_IGNORABLES.join(''),
        `\u200b${valid}\u2060`,
      ]);
    const prefix = idPrefixOf(schema) ?? (/Id$/.test(name) ? 'lst' : undefined);
    if (prefix || /code$|Token$/i.test(name)) {
      const id = world.ids[prefix ?? 'lst']?.[0] ?? fakeId(prefix ?? 'lst');
      groups.push([id.toUpperCase(), ` ${id}`, `${id}x`, fakeId(prefix ?? 'lst'), 'lst_../../x']);
      groups.push(Object.values(world.ids).map((ids) => ids[0]));
      // Ids live in ASCII columns: anything else must be refused before it reaches SQL.
      groups.push(['é', `${id}é`, `${id.slice(0, 4)}ü${id.slice(5)}`, '🍵', '\u0000', 'ＬＳＴ_１']);
    }
  }
  if (type === 'array' && schema.items) {
    const item = plausible(schema.items, name, world);
    const sizes: unknown[] = [[item, item]];
    if (schema.maxItems !== undefined && schema.maxItems <= 250)
      sizes.push(Array.from({ length: schema.maxItems + 1 }, () => item));
    if (schema.minItems) sizes.push([]);
    groups.push(sizes);
  }
  return groups
    .map((group) => group.filter((value) => value !== undefined))
    .filter((group) => group.length > 0);
}

/** A value for a field: mostly wrong, sometimes right, nested where the schema nests. */
export function fieldValueArb(
  schema: JsonSchema,
  name: string,
  world: World,
  depth: number,
): fc.Arbitrary<unknown> {
  const choices: Array<fc.WeightedArbitrary<unknown>> = [
    { weight: 2, arbitrary: anyJsonArb },
    { weight: 1, arbitrary: fc.constant(plausible(schema, name, world)) },
  ];
  const groups = edges(schema, name, world);
  if (groups.length > 0)
    choices.push({
      weight: 3,
      arbitrary: fc.oneof(...groups.map((group) => fc.constantFrom(...group))),
    });
  const type = typeOf(schema);
  if (type === 'object' && depth < 3)
    choices.push({
      weight: 2,
      arbitrary: mutatedObjectArb(schema, plausible(schema, name, world), world, depth + 1),
    });
  if (type === 'array' && schema.items && depth < 3) {
    choices.push({
      weight: 1,
      arbitrary: fc.array(fieldValueArb(schema.items, name, world, depth + 1), { maxLength: 3 }),
    });
    // One element wrong, the array otherwise as the schema wants it.
    const item = plausible(schema.items, name, world);
    choices.push({
      weight: 3,
      arbitrary:
        typeOf(schema.items) === 'object'
          ? mutatedObjectArb(schema.items, item, world, depth + 1).map((wrong) => [wrong])
          : fieldValueArb(schema.items, name, world, depth + 1).map((wrong) => [wrong]),
    });
  }
  return fc.oneof(...choices);
}

type Mutation = { op: 'set'; key: string; value: unknown } | { op: 'delete'; key: string };

/**
 * `base` with one to three fields set to generated values, deleted, or added: wrong types,
 * out-of-range numbers, long and odd strings, nested junk, unknown keys, missing required keys.
 */
export function mutatedObjectArb(
  schema: JsonSchema,
  base: unknown,
  world: World,
  depth = 0,
): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  const mapValue =
    typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  const mutations: Array<fc.WeightedArbitrary<Mutation>> = [
    {
      weight: 1,
      arbitrary: fc
        .tuple(extraKeyArb, anyJsonArb)
        .map(([key, value]): Mutation => ({ op: 'set', key, value })),
    },
  ];
  if (names.length > 0) {
    mutations.push(
      {
        weight: 5,
        arbitrary: fc.constantFrom(...names).chain((key) =>
          fieldValueArb(properties[key] ?? {}, key, world, depth).map((value): Mutation => ({
            op: 'set',
            key,
            value,
          })),
        ),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(...names).map((key): Mutation => ({ op: 'delete', key })),
      },
    );
  }
  if (mapValue)
    mutations.push({
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom('en', 'ja', 'xx-INVALID', '', '__proto__', 'en-US-x-'.repeat(20)),
          fieldValueArb(mapValue, 'text', world, depth),
        )
        .map(([key, value]): Mutation => ({ op: 'set', key, value })),
    });
  const start =
    base !== null && typeof base === 'object' && !Array.isArray(base) ? Object.entries(base) : [];
  const mutation = fc.oneof(...mutations);
  // Mostly one change, so a rejection can be pinned on it; sometimes a few at once.
  const changes = fc.oneof(
    { weight: 3, arbitrary: mutation.map((m) => [m]) },
    { weight: 1, arbitrary: fc.array(mutation, { minLength: 2, maxLength: 3 }) },
  );
  return changes.map((ops) => {
    let entries = [...start];
    for (const m of ops) {
      entries = entries.filter(([key]) => key !== m.key);
      if (m.op === 'set') entries.push([m.key, m.value]);
    }
    return Object.fromEntries(entries);
  });
}

/** Any property names the schema declares, plus odd ones. */
export function keyArb(schema: JsonSchema | undefined): fc.Arbitrary<string> {
  const names = [...declaredNames(schema)];
  return names.length > 0 ? fc.oneof(fc.constantFrom(...names), extraKeyArb) : extraKeyArb;
}
