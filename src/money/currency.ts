/**
 * ISO 4217 minor units. Most currencies have 2; these differ. Taken from the ISO 4217 list
 * (not CLDR, whose display digits differ for e.g. IQD or LAK).
 */
const MINOR_UNITS: Record<string, number> = {
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  CLF: 4,
  UYW: 4,
};

const KNOWN = new Set(Intl.supportedValuesOf('currency'));

export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && KNOWN.has(code);
}

/** Digits after the decimal point in the currency's major unit: JPY 0, USD 2, KWD 3. */
export function minorUnits(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

/** 1999 USD -> "19.99"; 500 JPY -> "500"; 1234 KWD -> "1.234". Exact, no floating point. */
export function formatMajor(amount: number, currency: string): string {
  const digits = minorUnits(currency);
  const negative = amount < 0;
  const text = Math.abs(amount)
    .toString()
    .padStart(digits + 1, '0');
  const major = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return negative ? `-${major}` : major;
}
