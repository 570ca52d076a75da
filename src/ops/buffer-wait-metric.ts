import { Histogram } from 'prom-client';
import type { BufferWaitObserver } from '../notes';

/**
 * How long notes wait in the cultural buffer, observed as a moderator decides on them. Made
 * with the services; the HTTP app registers it with its /metrics registry.
 */
export class BufferWaitMetric {
  readonly histogram = new Histogram({
    name: 'note_buffer_wait_seconds',
    help: 'Seconds a note waited in the cultural buffer before a moderator approved or rejected it',
    labelNames: ['decision'] as const,
    // From a moderator on duty (a minute) to a forgotten queue (a week).
    buckets: [10, 60, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400, 172_800, 604_800],
    registers: [],
  });

  readonly observe: BufferWaitObserver = (decision, seconds) =>
    this.histogram.observe({ decision }, seconds);
}
