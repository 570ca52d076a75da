import { useEffect, useRef } from 'react';
import { useRevalidator } from 'react-router';

/** The server's clock may run behind the browser's: ask a moment after the time it named. */
const GRACE_MS = 1000;
/** Asked at that time already and the server still names it (a drop still opening): again later. */
const RETRY_MS = 5000;
/** setTimeout's longest wait; a later time is reached through a few of them. */
const LONGEST_WAIT_MS = 2 ** 31 - 1;

/**
 * Loads the page's data again at `at` (e.g. when the next hint unlocks), without a reload.
 * `data` is the loader's answer: each new answer sets the timer again from its own `at`.
 */
export function useRevalidateAt(at: string | null, data: unknown): void {
  const { revalidate } = useRevalidator();
  const asked = useRef<string | null>(null);
  useEffect(() => {
    if (!at) return;
    const wait =
      asked.current === at ? RETRY_MS : Math.max(0, Date.parse(at) - Date.now()) + GRACE_MS;
    const timer = setTimeout(
      () => {
        asked.current = at;
        void revalidate();
      },
      Math.min(wait, LONGEST_WAIT_MS),
    );
    return () => clearTimeout(timer);
  }, [at, data, revalidate]);
}
