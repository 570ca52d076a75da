import { DateTime } from 'luxon';
import { minorUnits } from '../money/currency';
import type { Locale } from './locales';

/** A moment as the recipient reads it: their zone, their language, the zone named. */
export function formatTime(at: Date, zone: string, locale: Locale): string {
  return DateTime.fromJSDate(at, { zone })
    .setLocale(locale)
    .toLocaleString({ ...DateTime.DATETIME_FULL, timeZoneName: 'short' });
}

/** Minor units shown in the order's currency, with that currency's own number of decimals. */
export function formatAmount(amount: number, currency: string, locale: Locale): string {
  const digits = minorUnits(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount / 10 ** digits);
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
