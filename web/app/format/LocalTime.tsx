import { useEffect, useState } from 'react';
import { useRouteLoaderData } from 'react-router';
import { dateTimeFormat } from './intl-cache';

interface RootTimeData {
  language: string;
  timeZone: string;
}

/**
 * True while React hydrates the server's HTML: root.tsx marks the page hydrated in its first
 * effect, which runs after every component of the first render was hydrated.
 */
function isHydrating(): boolean {
  return typeof document !== 'undefined' && document.documentElement.dataset.hydrated !== 'true';
}

/**
 * The time written in the member's (or last seen) zone on the server; in the browser's own zone
 * once known. While hydrating, the server's text is kept as it is (an empty render with
 * suppressHydrationWarning leaves it alone) and formatted again in a task of its own: building
 * an Intl.DateTimeFormat costs tens of ms on a phone's CPU, which would lengthen hydration.
 */
let browserZone: string | undefined;

function useLocalTimeText(iso: string): string {
  const root = useRouteLoaderData('root') as RootTimeData | undefined;
  const locale = root?.language ?? 'en';
  const serverZone = root?.timeZone ?? 'UTC';
  const [text, setText] = useState(() =>
    isHydrating() ? '' : formatTime(iso, locale, serverZone),
  );
  useEffect(() => {
    const timer = setTimeout(() => {
      browserZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone;
      const zone = browserZone || serverZone;
      setText(formatTime(iso, locale, zone));
    }, 0);
    return () => clearTimeout(timer);
  }, [iso, locale, serverZone]);
  return text;
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
  const text = useLocalTimeText(iso);
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {text}
    </time>
  );
}
