import { isId, newId } from '../../src/ids';

const CROCKFORD_LOWER = /^[0-9a-hjkmnp-tv-z]+$/;

describe('newId', () => {
  test('is the prefix, an underscore and 26 lower-case Crockford base32 characters', () => {
    const id = newId('usr');
    expect(id).toMatch(/^usr_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(isId('usr', id)).toBe(true);
    expect(isId('lst', id)).toBe(false);
    expect(isId('usr', id.toUpperCase())).toBe(false);
    expect(isId('usr', `${id}0`)).toBe(false);
    expect(newId('brd').startsWith('brd_')).toBe(true);
  });

  test('never uses the ambiguous letters i, l, o, u', () => {
    const text = Array.from({ length: 2_000 }, () => newId('x').slice(2)).join('');
    expect(text).toMatch(CROCKFORD_LOWER);
  });

  test('the first 10 characters encode the millisecond time', () => {
    expect(newId('x', 0).slice(2, 12)).toBe('0000000000');
    expect(newId('x', 1).slice(2, 12)).toBe('0000000001');
    expect(newId('x', 32).slice(2, 12)).toBe('0000000010');
    expect(newId('x', 2 ** 48 - 1).slice(2, 12)).toBe('7zzzzzzzzz');
  });

  test.each([
    [0, 1],
    [31, 32],
    [1_700_000_000_000, 1_700_000_000_001],
    [1_700_000_000_999, 1_700_000_001_000],
    [Date.UTC(2024, 0, 1), Date.UTC(2099, 11, 31)],
  ])('an id made at %d sorts before one made at %d', (earlier, later) => {
    for (let i = 0; i < 50; i += 1) expect(newId('ord', earlier) < newId('ord', later)).toBe(true);
  });

  test('ids sort in the order of their times, whatever the randomness', () => {
    const times = Array.from({ length: 1_000 }, (_, i) => 1_700_000_000_000 + i * 7);
    const ids = times.map((t) => newId('lst', t));
    expect([...ids].sort()).toEqual(ids);
  });

  test('10 000 ids made in the same millisecond are all different', () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('usr', now)));
    expect(ids.size).toBe(10_000);
  });

  test('10 000 ids made as fast as possible are all different', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('usr')));
    expect(ids.size).toBe(10_000);
  });
});
