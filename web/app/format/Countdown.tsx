import { useEffect, useState } from 'react';

function remaining(until: string, now: number): number {
  return Math.max(0, Math.floor((Date.parse(until) - now) / 1000));
}

export function formatDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const secs = seconds % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(secs).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/**
 * Time left until `until`, ticking each second. role="timer" is not announced on every tick;
 * `onDone` runs once when it reaches zero (e.g. to reload what expired).
 */
export function Countdown({ until, onDone }: { until: string; onDone?: () => void }) {
  const [now, setNow] = useState(() => Date.now());
  const seconds = remaining(until, now);
  useEffect(() => {
    if (seconds === 0) {
      onDone?.();
      return;
    }
    const timer = setTimeout(() => setNow(Date.now()), 1000);
    return () => clearTimeout(timer);
  }, [seconds, onDone]);
  return (
    <time role="timer" dateTime={`PT${seconds}S`} suppressHydrationWarning>
      {formatDuration(seconds)}
    </time>
  );
}
