import { useEffect, useState } from 'react';
import { useRouteLoaderData } from 'react-router';
import { dateTimeFormat } from './intl-cache';

interface RootTimeData {
  language: string;
  timeZone: string;
}

/** The browser's own zone once known; the server renders in the member's (or last seen) zone. */
function useViewerZone(): { locale: string; zone: string } {
  const root = useRouteLoaderData('root') as RootTimeData | undefined;
  const [zone, setZone] = useState(root?.timeZone ?? 'UTC');
  useEffect(() => {
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (browserZone && browserZone !== zone) setZone(browserZone);
  }, [zone]);
  return { locale: root?.language ?? 'en', zone };
}

export function formatTime(iso: string, locale: string, zone: string): string {
  return dateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: zone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}

/** A point in time, written in the viewer's language and time zone. */
export function LocalTime({ iso }: { iso: string }) {
  const { locale, zone } = useViewerZone();
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {formatTime(iso, locale, zone)}
    </time>
  );
}
