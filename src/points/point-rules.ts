import { DateTime } from 'luxon';

/** API.md's earning rules; NOTE_POINTS is configurable, the rest are the product's. */
export const CROSS_CULTURAL_BONUS = 10;
export const LIKE_POINTS = 2;
export const LIKE_POINTS_PER_NOTE = 100;
export const DAILY_POINTS_CAP = 200;

export const POINT_REASONS = [
  'note_published',
  'note_revoked',
  'like_received',
  'like_removed',
  'conversion',
  'airdrop',
  'glossary_explanation',
  'glossary_revoked',
  'challenge_bonus',
  'challenge_bonus_revoked',
] as const;
export type PointReason = (typeof POINT_REASONS)[number];

export function noteAward(notePoints: number, isCrossCultural: boolean): number {
  return notePoints + (isCrossCultural ? CROSS_CULTURAL_BONUS : 0);
}

/** What one more like may earn, given what the note's likes earned already. */
export function likeAward(likePointsSoFar: number): number {
  return Math.max(0, Math.min(LIKE_POINTS, LIKE_POINTS_PER_NOTE - likePointsSoFar));
}

/** What may still be earned today, given what was: never negative. */
export function withinDailyCap(wanted: number, earnedToday: number): number {
  return Math.max(0, Math.min(wanted, DAILY_POINTS_CAP - earnedToday));
}

/** The member's calendar day at `at`, in their own zone: the daily cap's unit. */
export function memberDay(at: Date, timezone: string): string {
  const local = DateTime.fromJSDate(at, { zone: timezone });
  return (local.isValid ? local : DateTime.fromJSDate(at, { zone: 'UTC' })).toISODate()!;
}

export interface LedgerDay {
  /** The member's local date the day was opened on (for people; windows are the truth). */
  day: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The ledger day that starts at `at` when no day is open: the member's calendar day in their
 * zone, but never overlapping the previous day (`previousEnd`). Its zone is fixed when it is
 * opened, so switching to a zone already on tomorrow (Pacific/Kiritimati) starts nothing new
 * before the open day ends; a day that had to start late, after such a switch, runs at least
 * 24 h, to the first local midnight after that. So a real 24 h meets at most two ledger days
 * whatever the member does with their zone (three only across a 23 h day of a DST change).
 */
export function openLedgerDay(at: Date, timezone: string, previousEnd: Date | null): LedgerDay {
  const zone = DateTime.fromJSDate(at, { zone: timezone }).isValid ? timezone : 'UTC';
  const local = DateTime.fromJSDate(at, { zone });
  const calendarStart = local.startOf('day');
  const calendarEnd = calendarStart.plus({ days: 1 });
  if (previousEnd === null || previousEnd.getTime() <= calendarStart.toMillis()) {
    return {
      day: local.toISODate()!,
      startsAt: calendarStart.toJSDate(),
      endsAt: calendarEnd.toJSDate(),
    };
  }
  const start = DateTime.fromJSDate(previousEnd, { zone });
  const dayLater = start.plus({ hours: 24 });
  const midnight = dayLater.startOf('day');
  const end = midnight.toMillis() === dayLater.toMillis() ? dayLater : midnight.plus({ days: 1 });
  return { day: local.toISODate()!, startsAt: start.toJSDate(), endsAt: end.toJSDate() };
}

/** A take-back never drives a balance below zero: points already spent on coupons stay spent. */
export function takeBackAmount(earned: number, balance: number): number {
  return Math.max(0, Math.min(earned, balance));
}
