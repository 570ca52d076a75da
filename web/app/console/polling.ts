import { useEffect } from 'react';
import { useRevalidator } from 'react-router';

/** Reloads the page's data every `ms` while `active` (a job still running), then stops. */
export function usePolling(active: boolean, ms = 1000): void {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') void revalidator.revalidate();
    }, ms);
    return () => clearInterval(timer);
  }, [active, ms, revalidator]);
}
