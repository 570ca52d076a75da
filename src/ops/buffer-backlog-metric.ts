import { Gauge } from 'prom-client';
import type { Clock } from '../clock';
import type { BufferBacklog } from '../notes';
import { atMost } from './metrics';

/** What waits in the cultural buffer, by kind: notes and glossary explanations. */
export type BacklogSources = Record<'note' | 'explanation', () => Promise<BufferBacklog>>;

const BACKLOG_TIMEOUT_MS = 1000;

/**
 * The buffer as it stands at each scrape: how many items wait and how long the oldest has
 * waited. The wait histogram only learns of a note once a moderator decides on it, so a
 * forgotten queue shows here first. Every API process reads the same tables: the cluster's
 * answer is any one process's, not their sum.
 */
export class BufferBacklogMetric {
  readonly pending: Gauge<'kind'> = new Gauge({
    name: 'note_buffer_pending',
    help: 'Items waiting in the cultural buffer now, by kind (note, explanation)',
    labelNames: ['kind'] as const,
    aggregator: 'max',
    registers: [],
    collect: async (): Promise<void> => this.fill(this.pending, (backlog) => backlog.count),
  });

  readonly oldest: Gauge<'kind'> = new Gauge({
    name: 'note_buffer_oldest_wait_seconds',
    help: 'Seconds the longest-waiting item in the cultural buffer has waited so far, by kind (0 when none waits)',
    labelNames: ['kind'] as const,
    aggregator: 'max',
    registers: [],
    collect: async (): Promise<void> =>
      this.fill(this.oldest, (backlog) =>
        backlog.since
          ? Math.max(0, (this.clock.now().toMillis() - backlog.since.getTime()) / 1000)
          : 0,
      ),
  });

  constructor(
    private readonly sources: BacklogSources,
    private readonly clock: Clock,
  ) {}

  private async fill(gauge: Gauge<'kind'>, value: (backlog: BufferBacklog) => number) {
    const backlogs = await this.read();
    gauge.reset();
    for (const [kind, backlog] of backlogs) gauge.set({ kind }, value(backlog));
  }

  /** Each kind's backlog; a kind whose read fails or hangs (database down) has no series. */
  private async read(): Promise<Map<string, BufferBacklog>> {
    const entries = await Promise.all(
      Object.entries(this.sources).map(
        async ([kind, source]) => [kind, await atMost(BACKLOG_TIMEOUT_MS, source())] as const,
      ),
    );
    return new Map(
      entries.filter((entry): entry is [string, BufferBacklog] => entry[1] !== undefined),
    );
  }
}
