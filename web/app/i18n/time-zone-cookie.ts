/** The browser's own time zone (IANA name), or undefined if it does not say. */
export function browserTimeZone(): string | undefined {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
}

/** Remembers the browser's zone (read by preferences.server.ts) for the next server render. */
export function rememberTimeZone(zone: string): void {
  document.cookie = `tz=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
}
