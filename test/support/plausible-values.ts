import { idPrefixOf, typeOf, type JsonSchema } from './openapi-endpoints';

/** Values that look right: what a valid field holds, drawn from the test world's real data. */

export type UserName = 'member' | 'buyer' | 'brand' | 'finance' | 'moderator' | 'admin';

/** Real data the generators draw valid-looking values from. */
export interface World {
  tokens: Record<UserName, string>;
  /** Ids that exist, by prefix (`lst`, `ord`, `usr`...). */
  ids: Record<string, string[]>;
  couponCodes: string[];
}

export const DAY = 86_400_000;

export function fakeId(prefix: string): string {
  return `${prefix}_01jzzzzzzzzzzzzzzzzzzzzzzz`;
}

const ID_NAMES: Record<string, string> = {
  listingId: 'lst',
  offerId: 'pof',
  sellerId: 'usr',
  authorId: 'usr',
  buyerId: 'usr',
  userId: 'usr',
  brandId: 'brd',
  orderId: 'ord',
  dropId: 'drp',
  noteId: 'nte',
};

function realId(world: World, prefix: string): string {
  return world.ids[prefix]?.[0] ?? fakeId(prefix);
}

function fitted(text: string, schema: JsonSchema): string {
  let value = text;
  while (value.length < (schema.minLength ?? 0)) value += text;
  return value.slice(0, schema.maxLength ?? value.length);
}

function plausibleString(schema: JsonSchema, name: string, world: World): string {
  switch (schema.format) {
    case 'email':
      return 'bad-input@example.com';
    case 'uuid':
      return '6f1c2a9e-3b7d-4c1e-9a2b-5d8e7f6a4b3c';
    case 'date':
      return name === 'to' ? '2026-11-30' : '2026-11-01';
    case 'date-time':
      return new Date(Date.now() + (/end|expire/i.test(name) ? 30 * DAY : DAY)).toISOString();
    case 'uri':
      return 'https://example.com/a.jpg';
  }
  const prefix = idPrefixOf(schema) ?? ID_NAMES[name];
  if (prefix) return realId(world, prefix);
  if (/password/i.test(name)) return 'correct horse battery';
  return fitted('Plausible text', schema);
}

/** A value the schema accepts, as far as a schema alone can tell (no cross-field rules). */
export function plausible(schema: JsonSchema, name: string, world: World): unknown {
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  switch (typeOf(schema)) {
    case 'string':
      return plausibleString(schema, name, world);
    case 'integer':
    case 'number':
      return Math.min(Math.max(1, schema.minimum ?? 1), schema.maximum ?? 1);
    case 'boolean':
      return true;
    case 'array': {
      const item = plausible(schema.items ?? {}, name, world);
      return Array.from({ length: schema.minItems ?? 0 }, () => item);
    }
    case 'object': {
      if (!schema.properties && typeof schema.additionalProperties === 'object')
        return { en: plausible(schema.additionalProperties, name, world) };
      return Object.fromEntries(
        (schema.required ?? []).map((key) => [
          key,
          plausible(schema.properties?.[key] ?? {}, key, world),
        ]),
      );
    }
    default:
      return 'x';
  }
}
