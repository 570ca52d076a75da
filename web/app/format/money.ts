import { numberFormat } from './intl-cache';

/**
 * The markets' currencies' minor-unit digits, as Intl gives them: asking Intl means building a
 * NumberFormat per currency, a few ms each on a phone's CPU, on every page that shows a price.
 */
const KNOWN_DIGITS: Readonly<Record<string, number>> = {
  JPY: 0,
  KRW: 0,
  CNY: 2,
  BRL: 2,
  EUR: 2,
  USD: 2,
  GBP: 2,
  TWD: 2,
  HKD: 2,
};

/** The currency's own number of minor-unit digits (JPY 0, USD 2, BHD 3), as Intl knows it. */
export function fractionDigits(currency: string): number {
  const known = KNOWN_DIGITS[currency];
  if (known !== undefined) return known;
  try {
    return (
      numberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** `priceAmount` is in minor units: 1999 USD is $19.99, 500 JPY is ¥500. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const digits = fractionDigits(currency);
  const major = amount / 10 ** digits;
  try {
    return numberFormat(locale, { style: 'currency', currency }).format(major);
  } catch {
    return `${major.toFixed(digits)} ${currency}`;
  }
}

/** A price typed in major units ("19.99") to minor units, or undefined when it is not a price. */
export function toMinorUnits(text: string, currency: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return undefined;
  const digits = fractionDigits(currency);
  const [whole = '0', fraction = ''] = trimmed.split('.');
  if (fraction.length > digits) return undefined;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** Minor units back to the major-unit text a price field shows. */
export function toMajorText(amount: number, currency: string): string {
  const digits = fractionDigits(currency);
  return (amount / 10 ** digits).toFixed(digits);
}

/** Currencies offered in the price filter: those of the community's markets. */
export const CURRENCIES = ['JPY', 'CNY', 'BRL', 'EUR', 'USD', 'GBP', 'KRW', 'TWD', 'HKD'] as const;
