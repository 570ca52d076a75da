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

/** A take-back never drives a balance below zero: points already spent on coupons stay spent. */
export function takeBackAmount(earned: number, balance: number): number {
  return Math.max(0, Math.min(earned, balance));
}
