import { useEffect, useRef } from 'react';
import { useRevalidator } from 'react-router';
import { nextCheck } from './revalidate-wait';

/**
 * Loads the page's data again at `at` (e.g. when the next hint unlocks), without a reload.
 * `data` is the loader's answer: each new answer sets the timer again from its own `at`; one that
 * still names the `at` already asked for (a drop still opening) is asked for again later and
 * later (see nextCheck).
 */
export function useRevalidateAt(at: string | null, data: unknown): void {
  const { revalidate } = useRevalidator();
  const asked = useRef<{ at: string; times: number } | null>(null);
  useEffect(() => {
    if (!at) return;
    const times = asked.current?.at === at ? asked.current.times : 0;
    let timer: ReturnType<typeof setTimeout>;
    const wait = () => {
      const { waitMs, ask } = nextCheck(Date.parse(at), Date.now(), times);
      timer = setTimeout(() => {
        if (!ask) return wait();
        asked.current = { at, times: times + 1 };
        void revalidate();
      }, waitMs);
    };
    wait();
    return () => clearTimeout(timer);
  }, [at, data, revalidate]);
}
