/** JSON text beyond JSON.stringify, for the bad-input generators. */

/** A JSON token written verbatim (numbers JSON.stringify cannot make: `1e309`, `-0`, `1.0`). */
export class RawJson {
  constructor(readonly text: string) {}
  toString(): string {
    return `raw(${this.text})`;
  }
}

/** JSON text that keeps own `__proto__` keys and RawJson tokens. */
export function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${toJson(item)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
