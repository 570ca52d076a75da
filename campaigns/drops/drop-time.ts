import { DateTime } from 'luxon';
import { AppError } from '../../src/http/app-error';

const HAS_OFFSET = /(Z|[+-]\d{2}(:?\d{2})?)$/i;

/**
 * Reads `startsAt` as an instant. With an offset (or Z) it is taken as is; without one it is
 * a wall-clock time in `zone`, read DST-correctly. A wall-clock time that does not exist in
 * that zone (the hour skipped when clocks go forward) is refused rather than silently moved.
 */
export function readStartsAt(startsAt: string, zone: string): DateTime {
  const instant = readInstant(startsAt, zone);
  // Start plus at most 168 hours must stay a date MySQL's DATETIME (and JavaScript) can hold.
  if (instant.year > LATEST_START_YEAR)
    throw AppError.invalid(
      'parameter_invalid',
      `startsAt must be before ${LATEST_START_YEAR + 1}-01-01`,
      'startsAt',
    );
  return instant;
}

const LATEST_START_YEAR = 9998;

function readInstant(startsAt: string, zone: string): DateTime {
  if (HAS_OFFSET.test(startsAt)) {
    const instant = DateTime.fromISO(startsAt, { setZone: true });
    if (!instant.isValid)
      throw AppError.invalid(
        'parameter_invalid',
        'startsAt is not an ISO 8601 date-time',
        'startsAt',
      );
    return instant.toUTC();
  }
  const local = DateTime.fromISO(startsAt, { zone });
  if (!local.isValid)
    throw AppError.invalid(
      'parameter_invalid',
      'startsAt is not an ISO 8601 date-time',
      'startsAt',
    );
  const asWritten = DateTime.fromISO(startsAt, { zone: 'UTC' });
  const sameWallClock =
    local.year === asWritten.year &&
    local.month === asWritten.month &&
    local.day === asWritten.day &&
    local.hour === asWritten.hour &&
    local.minute === asWritten.minute;
  if (!sameWallClock) {
    throw AppError.invalid(
      'nonexistent_local_time',
      `${startsAt} does not exist in ${zone} (clocks skip it for daylight saving time); pick another time or give an offset.`,
      'startsAt',
    );
  }
  return local.toUTC();
}

/**
 * How long a drop runs, in milliseconds: exact (1.5/60 hours is 90 s), never rounded to minutes.
 * Only the float's noise below a millisecond is dropped.
 */
export function durationMs(durationHours: number): number {
  return Math.round(durationHours * 3_600_000);
}

/**
 * When a hint shows, in ms since the epoch: `afterHours` after the drop starts, with the float's
 * noise below a millisecond dropped as in durationMs (57/3600 hours is 57 s, not 57.00000000001),
 * so `nextHintAt` names the very millisecond the hint shows from.
 */
export function hintUnlocksAt(startsAt: Date, afterHours: number): number {
  return startsAt.getTime() + durationMs(afterHours);
}

export function isHintUnlocked(startsAt: Date, afterHours: number, now: DateTime): boolean {
  return now.toMillis() >= hintUnlocksAt(startsAt, afterHours);
}
