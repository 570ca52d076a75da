import { IANAZone } from 'luxon';
import { z } from 'zod';
import { MAX_AMOUNT, MAX_ORDER_AMOUNT } from '../money/arithmetic';
import { isCurrency } from '../money/currency';
import { COUNTRY_CODES } from './country-codes';
import './openapi';

/** ISO 3166-1 alpha-2, any case in, upper case out. */
export const countryCode = z
  .string()
  .transform((value) => value.trim().toUpperCase())
  .refine((value) => COUNTRY_CODES.has(value), {
    message: 'must be an ISO 3166-1 alpha-2 country code',
  })
  .openapi({ type: 'string', example: 'JP' });

/**
 * An IANA zone name. Intl (and luxon) also take fixed offsets such as `+05:30`, which are not
 * zones (no name, no DST rules): every IANA name starts with a letter, and no offset does.
 */
export const timezone = z
  .string()
  .max(64)
  .refine((value) => /^[A-Za-z]/.test(value) && IANAZone.isValidZone(value), {
    message: 'must be an IANA time zone, e.g. Asia/Shanghai',
  })
  .openapi({ example: 'Asia/Tokyo' });

/** ISO 4217, any case in (`usd`), upper case out (`USD`), as country codes are. */
export const currencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCurrency, { message: 'must be a 3-letter ISO 4217 code, e.g. USD' })
  .openapi({ type: 'string', example: 'USD' });

/** A wrong amount says what an amount is; a missing one is left to the generic 'is required'. */
const minorUnitsError = (issue: { input?: unknown }) =>
  issue.input === undefined ? undefined : 'must be a whole number of minor units';

/**
 * A price, or a coupon's fixed discount, in the currency's minor unit: at most MAX_AMOUNT, which
 * with the line and quantity bounds keeps every order total inside safe integers.
 */
export const minorAmount = z
  .number({ error: minorUnitsError })
  .int({ error: minorUnitsError })
  .min(0)
  .max(MAX_AMOUNT);

/** An amount compared with or taken from an order's total (a refund, a minimum spend). */
export const orderAmount = z
  .number({ error: minorUnitsError })
  .int({ error: minorUnitsError })
  .min(0)
  .max(MAX_ORDER_AMOUNT);

export const limitParam = z.coerce.number().int().min(1).max(100).default(20);
export const cursorParam = z.string().max(200).optional();

export const imageUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .max(2000);

/**
 * An instant with its offset, between the years 1000 and 9998: MySQL's DATETIME holds 1000 to
 * 9999, and durations are added to some of these (a coupon's validity, an offer's end).
 */
export const isoDateTime = z.iso.datetime({ offset: true }).refine(
  (value) => {
    const year = new Date(value).getUTCFullYear();
    return year >= 1000 && year <= 9998;
  },
  { message: 'must be between the years 1000 and 9998' },
);

/**
 * An id given in a body or query: our ids are ASCII (`lst_…`), and so are their columns, so
 * anything else is refused here rather than reaching SQL (where it cannot even be compared).
 */
export const idValue = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id such as lst_01…');

export function idParam(prefix: string) {
  return z.object({
    id: z
      .string()
      .regex(new RegExp(`^${prefix}_[0-9a-z]{26}$`), `must be an id starting with ${prefix}_`),
  });
}

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}
