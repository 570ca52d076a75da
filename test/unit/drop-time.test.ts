import { DateTime } from 'luxon';
import {
  durationMs,
  hintUnlocksAt,
  isHintUnlocked,
  readStartsAt,
} from '../../campaigns/drops/drop-time';
import { AppError } from '../../src/http/app-error';

describe('readStartsAt', () => {
  test.each([
    ['2026-12-01T09:00:00', 'Asia/Tokyo', '2026-12-01T00:00:00.000Z'],
    ['2026-12-01T09:00', 'Asia/Tokyo', '2026-12-01T00:00:00.000Z'],
    ['2026-07-01T12:00:00', 'Europe/Berlin', '2026-07-01T10:00:00.000Z'],
    ['2026-12-01T12:00:00', 'Europe/Berlin', '2026-12-01T11:00:00.000Z'],
    ['2026-12-01T09:00:00Z', 'Asia/Tokyo', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01T09:00:00+05:30', 'Asia/Tokyo', '2026-12-01T03:30:00.000Z'],
    // The hour that happens twice when clocks go back is read as standard time (luxon's choice).
    ['2026-11-01T01:30:00', 'America/New_York', '2026-11-01T06:30:00.000Z'],
  ])('%s in %s is %s', (input, zone, expected) => {
    expect(readStartsAt(input, zone).toISO()).toBe(expected);
  });

  test.each([
    ['2026-03-08T02:30:00', 'America/New_York'],
    ['2026-03-29T02:15:00', 'Europe/Berlin'],
  ])('%s does not exist in %s: 400 naming startsAt', (input, zone) => {
    try {
      readStartsAt(input, zone);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(400);
      expect((error as AppError).code).toBe('nonexistent_local_time');
      expect((error as AppError).param).toBe('startsAt');
    }
  });

  test('garbage is a 400', () => {
    expect(() => readStartsAt('next tuesday', 'UTC')).toThrow(AppError);
  });
});

test('hints unlock after their hours', () => {
  const start = new Date('2026-12-01T00:00:00Z');
  expect(isHintUnlocked(start, 24, DateTime.fromISO('2026-12-01T23:59:59Z'))).toBe(false);
  expect(isHintUnlocked(start, 24, DateTime.fromISO('2026-12-02T00:00:00Z'))).toBe(true);
});

describe('hintUnlocksAt: the whole millisecond a hint shows from, as nextHintAt names it', () => {
  const start = new Date('2026-12-01T00:00:00Z');
  test.each([
    [57 / 3600, 57_000],
    [65 / 3600, 65_000],
    [31 / 60, 1_860_000],
    [0.25, 900_000],
    [0, 0],
  ])('%f hours after the start is %i ms', (hours, ms) => {
    const at = hintUnlocksAt(start, hours);
    expect(at - start.getTime()).toBe(ms);
    expect(isHintUnlocked(start, hours, DateTime.fromMillis(at))).toBe(true);
    expect(isHintUnlocked(start, hours, DateTime.fromMillis(at - 1))).toBe(false);
  });
});

describe('durationMs: exact to the second, never rounded to minutes', () => {
  test.each([
    [1.5 / 60, 90_000],
    [1 / 60, 60_000],
    [61 / 3600, 61_000],
    [1 / 3600 + 1 / 60, 61_000],
    [0.1, 360_000],
    [48, 172_800_000],
    [168, 604_800_000],
  ])('%f hours is %i ms', (hours, ms) => {
    expect(durationMs(hours)).toBe(ms);
  });
});
