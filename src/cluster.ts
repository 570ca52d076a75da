import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { Config } from './config';
import { ensureDatabase } from './db/database';
import { migrateDatabaseApart } from './db/migration-process';
import type { Logger } from './logger';
import { METRICS_ANSWER, METRICS_REQUEST, type MetricsMessage } from './ops/cluster-metrics';
import { startService, type RunningService } from './service';

/**
 * API_PROCESSES > 1: one primary process forks that many API processes sharing the port (the
 * kernel spreads connections between them), so the API uses every core instead of one. The
 * primary applies migrations before any fork, runs the queue workers itself when ROLE=all,
 * forks a replacement for an API process that dies, and on SIGTERM drains every API process
 * before stopping its own workers.
 */

/** A dead API process is replaced after 1 s, doubling up to 30 s while replacements keep dying young. */
const RESTART_DELAY_MS = 1000;
const RESTART_DELAY_MAX_MS = 30_000;
/** A process that lived this long died of something else: the delay starts over. */
const STABLE_AFTER_MS = 60_000;

export interface ClusterPrimary {
  stop(): Promise<void>;
}

export async function startClusterPrimary(config: Config, logger: Logger): Promise<ClusterPrimary> {
  // Migrations once, before any fork, so N processes never race to apply the same one. ROLE=all:
  // the queue workers (and the demo data) live in the primary, whose start applies them.
  const own: RunningService | null =
    config.ROLE === 'all' ? await startService({ ...config, ROLE: 'worker' }, logger) : null;
  if (!own) {
    await ensureDatabase(config.DATABASE_URL);
    const applied = await migrateDatabaseApart(config.DATABASE_URL);
    if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
  }

  const aggregator = new AggregatorRegistry();
  let stopping = false;
  // Demo data is seeded once: by the primary's workers (ROLE=all), else by the first child.
  let seeder = config.ROLE === 'api' && config.DEMO_SEED;
  const fork = () => {
    const child = cluster.fork({
      ROLE: 'api',
      API_PROCESSES: '1',
      DEMO_SEED: seeder ? 'true' : 'false',
    });
    seeder = false;
    child.on('message', (message: MetricsMessage) => {
      if (message?.type !== METRICS_REQUEST) return;
      aggregator
        .clusterMetrics()
        .then((text) => child.send({ type: METRICS_ANSWER, id: message.id, text }))
        .catch((error: Error) =>
          child.send({ type: METRICS_ANSWER, id: message.id, error: error.message }),
        );
    });
    return child;
  };
  const bornAt = new Map<Worker, number>();
  let delay = RESTART_DELAY_MS;
  cluster.on('fork', (child: Worker) => bornAt.set(child, Date.now()));
  cluster.on('exit', (child: Worker, code, signal) => {
    const lived = Date.now() - (bornAt.get(child) ?? 0);
    bornAt.delete(child);
    if (stopping) return;
    if (lived >= STABLE_AFTER_MS) delay = RESTART_DELAY_MS;
    const wait = delay;
    delay = Math.min(delay * 2, RESTART_DELAY_MAX_MS);
    logger.error(
      { apiPid: child.process.pid, code, signal, restartInMs: wait },
      'API process died; starting another',
    );
    setTimeout(() => {
      if (!stopping) fork();
    }, wait).unref();
  });
  const started = Array.from({ length: config.API_PROCESSES }, fork);
  await Promise.all(
    started.map(
      (child) =>
        new Promise<void>((resolve, reject) => {
          child.once('listening', () => resolve());
          child.once('exit', (code) => reject(new Error(`API process exited with ${code}`)));
        }),
    ),
  );
  logger.info({ processes: config.API_PROCESSES, port: config.PORT }, 'API processes listening');

  return {
    async stop() {
      stopping = true;
      const children = Object.values(cluster.workers ?? {}).filter((c): c is Worker => !!c);
      // The API processes drain while the primary's own workers finish their jobs: both within
      // the one shutdown deadline.
      await Promise.all([
        ...children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.isDead()) return resolve();
              child.once('exit', () => resolve());
              child.process.kill('SIGTERM');
            }),
        ),
        own?.stop(),
      ]);
    },
  };
}
