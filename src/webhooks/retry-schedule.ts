import type { MinimalJob } from 'bullmq';

/** Retries go on this long after the event (API.md: 3 days). */
export const RETRY_WINDOW_MS = 3 * 24 * 3600_000;
/** Retries are never further apart than this (API.md: at most 1 h). */
export const MAX_RETRY_DELAY_MS = 3600_000;
export const WEBHOOK_BACKOFF = 'webhook';

/** The wait after the `attemptsMade`th failed attempt: base, 2 base, 4 base, … capped at 1 h. */
export function retryDelayMs(attemptsMade: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), MAX_RETRY_DELAY_MS);
}

/**
 * BullMQ's custom backoff (https://docs.bullmq.io/guide/retrying-failing-jobs#custom-backoff-strategy),
 * given to every Worker: built-in types never reach it, so only webhook deliveries use it.
 */
export function backoffStrategy(
  attemptsMade: number,
  type?: string,
  _error?: Error,
  job?: MinimalJob,
): number {
  if (type !== WEBHOOK_BACKOFF) return 0;
  const base = (job?.opts.backoff as { delay?: number } | undefined)?.delay ?? 10_000;
  return retryDelayMs(attemptsMade, base);
}
