import { DateTime } from 'luxon';

/** A drop lasts 48 hours unless the brand says otherwise (API: 1 minute to 168 hours). */
export const DEFAULT_DURATION_HOURS = 48;

/**
 * The end of a drop whose start is a wall-clock time (`2026-12-01T20:00`) in `zone`: the start
 * read in that zone (DST-correct, as the API reads it) plus the duration to the second.
 */
export function dropWindow(
  startLocal: string,
  zone: string,
  durationHours: number,
): { startsAt: string; endsAt: string } | null {
  if (!startLocal || !Number.isFinite(durationHours) || durationHours <= 0) return null;
  const start = DateTime.fromISO(startLocal, { zone });
  if (!start.isValid) return null;
  const end = start.plus({ milliseconds: Math.round(durationHours * 3_600_000) });
  return { startsAt: start.toUTC().toISO() ?? '', endsAt: end.toUTC().toISO() ?? '' };
}

/** An instant as the wall-clock value of a `datetime-local` input in `zone`. */
export function toLocalInput(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** An instant written in `zone`, in the viewer's language, with the zone's short name. */
export function formatInZone(iso: string, zone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: zone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}

/** A `datetime-local` value read as a wall-clock time in `zone`, as an instant; null if none. */
export function fromLocalInput(local: string, zone: string): string | null {
  if (!local) return null;
  const at = DateTime.fromISO(local, { zone });
  return at.isValid ? at.toUTC().toISO() : null;
}
