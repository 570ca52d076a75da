import { CROCKFORD, randomCrockford80 } from './random';

/**
 * Opaque, time-ordered identifiers: `<prefix>_` + 10 chars of millisecond time + 16 chars
 * (80 bits) of randomness, Crockford base32 (a ULID in lower case). Sorting by id sorts by
 * creation time, so keyset pagination needs one indexed column; nothing relies on
 * auto-increment, which keeps the schema portable to TiDB.
 */
export function newId(prefix: string, nowMs: number = Date.now()): string {
  let time = '';
  let remaining = nowMs;
  for (let i = 0; i < 10; i += 1) {
    time = CROCKFORD[remaining % 32] + time;
    remaining = Math.floor(remaining / 32);
  }
  return `${prefix}_${time}${randomCrockford80()}`;
}

export function isId(prefix: string, value: string): boolean {
  return new RegExp(`^${prefix}_[0-9a-hjkmnp-tv-z]{26}$`).test(value);
}
