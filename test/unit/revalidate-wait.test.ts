import { LONGEST_WAIT_MS, nextCheck } from '../../web/app/format/revalidate-wait';

const AT = Date.parse('2026-12-02T10:00:00.000Z');
const SECOND = 1000;
const DAY = 24 * 3600 * SECOND;

describe('nextCheck: when a page asks again for data that changes at a given time', () => {
  test('asks a second after the time, in case the server’s clock runs behind', () => {
    expect(nextCheck(AT, AT - 30 * SECOND, 0)).toEqual({ waitMs: 31 * SECOND, ask: true });
  });

  test('a time already past: asks after the grace second only', () => {
    expect(nextCheck(AT, AT + 10 * SECOND, 0)).toEqual({ waitMs: SECOND, ask: true });
  });

  test('a time beyond one timer’s reach: waits the longest a timer can, then only checks again', () => {
    expect(nextCheck(AT, AT - 30 * DAY, 0)).toEqual({ waitMs: LONGEST_WAIT_MS, ask: false });
    // After that wait the rest is short enough: then it asks.
    const later = AT - 30 * DAY + LONGEST_WAIT_MS;
    expect(nextCheck(AT, later, 0)).toEqual({ waitMs: AT - later + SECOND, ask: true });
  });

  test('asked already and the server still names that time: 5 s, then twice as late, up to a minute', () => {
    const waits = [1, 2, 3, 4, 5, 6, 20].map((asked) => nextCheck(AT, AT + DAY, asked));
    expect(waits.map((check) => check.waitMs / SECOND)).toEqual([5, 10, 20, 40, 60, 60, 60]);
    expect(waits.every((check) => check.ask)).toBe(true);
  });
});
