import type { Clock } from '../src/clock';

/**
 * BullMQ runs a delayed job at `timestamp + delay`; giving both from one reading of our clock
 * makes that exactly `at` (BullMQ's own Date.now() could be a millisecond later).
 */
export function dueAt(at: Date, clock: Clock): { timestamp: number; delay: number } {
  const now = clock.now().toMillis();
  return { timestamp: now, delay: Math.max(0, at.getTime() - now) };
}
