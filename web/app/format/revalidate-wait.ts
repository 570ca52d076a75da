/** The server's clock may run behind the browser's: ask a moment after the time it named. */
const GRACE_MS = 1000;
/** Asked at that time already and the server still names it (a drop still opening): again... */
const FIRST_RETRY_MS = 5000;
/** ...twice as late each time, but never more than a minute apart. */
const LONGEST_RETRY_MS = 60_000;
/** setTimeout's longest wait; a later time is reached through a few of them. */
export const LONGEST_WAIT_MS = 2 ** 31 - 1;

/** How long to wait, and whether to ask for the data again once that wait is over. */
export interface NextCheck {
  waitMs: number;
  ask: boolean;
}

/**
 * The next check for data that changes at `at` (ms since the epoch), `now` being the browser's
 * clock and `asked` how often the data was asked for since `at` while the server still names it.
 * A wait longer than one timer allows ends in another wait, not in a request.
 */
export function nextCheck(at: number, now: number, asked: number): NextCheck {
  const waitMs =
    asked > 0
      ? Math.min(FIRST_RETRY_MS * 2 ** (asked - 1), LONGEST_RETRY_MS)
      : Math.max(0, at - now) + GRACE_MS;
  return waitMs > LONGEST_WAIT_MS ? { waitMs: LONGEST_WAIT_MS, ask: false } : { waitMs, ask: true };
}
