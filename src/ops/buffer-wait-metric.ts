import { Histogram, type Registry } from 'prom-client';
import type { BufferWaitObserver } from '../notes';

/** How long notes wait in the cultural buffer, observed as a moderator decides on them. */
export function bufferWaitMetric(registry: Registry): BufferWaitObserver {
  const waits = new Histogram({
    name: 'note_buffer_wait_seconds',
    help: 'Seconds a note waited in the cultural buffer before a moderator approved or rejected it',
    labelNames: ['decision'] as const,
    // From a moderator on duty (a minute) to a forgotten queue (a week).
    buckets: [10, 60, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400, 172_800, 604_800],
    registers: [registry],
  });
  return (decision, seconds) => waits.observe({ decision }, seconds);
}
