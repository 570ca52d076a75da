import { createCookie } from 'react-router';
import { isLanguage, negotiateLanguage, type Language } from './languages';

const ONE_YEAR = 365 * 24 * 3600;

/** The language a visitor picked with the switcher; wins over Accept-Language. */
export const languageCookie = createCookie('lang', {
  path: '/',
  sameSite: 'lax',
  maxAge: ONE_YEAR,
});

/** The browser's time zone, written by the page after it loads, so the next render uses it. */
const TIME_ZONE = /^[A-Za-z_+\-/0-9]{1,64}$/;

export async function languageOf(request: Request): Promise<Language> {
  const chosen: unknown = await languageCookie.parse(request.headers.get('Cookie'));
  if (isLanguage(chosen)) return chosen;
  return negotiateLanguage(request.headers.get('Accept-Language'));
}

export function timeZoneCookieOf(request: Request): string | undefined {
  const match = /(?:^|;\s*)tz=([^;]*)/.exec(request.headers.get('Cookie') ?? '');
  if (!match?.[1]) return undefined;
  const zone = decodeURIComponent(match[1]);
  if (!TIME_ZONE.test(zone)) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}
