/**
 * Intl constructors load locale data and cost far more than formatting itself: a storefront
 * page formats dozens of prices and a country list on every render, so formatters are kept
 * per locale and options.
 */
const cache = new Map<string, unknown>();

function cached<T>(key: string, make: () => T): T {
  let value = cache.get(key) as T | undefined;
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached(
    `n|${locale}|${JSON.stringify(options)}`,
    () => new Intl.NumberFormat(locale, options),
  );
}

export function dateTimeFormat(
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  return cached(
    `d|${locale}|${JSON.stringify(options)}`,
    () => new Intl.DateTimeFormat(locale, options),
  );
}

export function regionNames(locale: string): Intl.DisplayNames {
  return cached(`r|${locale}`, () => new Intl.DisplayNames([locale], { type: 'region' }));
}

export function memoized<T>(key: string, make: () => T): T {
  return cached(`m|${key}`, make);
}
