import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queues } from '../../jobs/queues';
import { shareMetrics } from './cluster-metrics';

export interface Metrics {
  registry: Registry;
  observeRequests(req: Request, res: Response, next: NextFunction): void;
  /** For requests served outside Express: times one, labelled with its route pattern. */
  observeRoute(method: string, route: string, res: ServerResponse): void;
}

const QUEUE_COUNTS_TIMEOUT_MS = 1000;

/** The value of `work`, or undefined if it fails or takes longer than `ms`. */
export async function atMost<T>(ms: number, work: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One registry per app (tests build several apps in one process). */
export function createMetrics(queues: Queues): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  shareMetrics(registry);

  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  const hotRequests = new Counter({
    name: 'http_hot_path_requests_total',
    help: 'Requests served by the hot path outside Express (src/http/hot-routes.ts), by route',
    labelNames: ['route'] as const,
    registers: [registry],
  });

  new Gauge({
    name: 'queue_jobs',
    help: 'Jobs per BullMQ queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    // Every API process counts the same queues: summing their answers would multiply them.
    aggregator: 'max',
    async collect() {
      // Queue connections wait for Redis instead of failing (BullMQ wants maxRetriesPerRequest:
      // null), so while Redis is down this would hang the scrape; answer without queue series.
      const perQueue = await atMost(
        QUEUE_COUNTS_TIMEOUT_MS,
        Promise.all(
          Object.entries(queues).map(async ([name, queue]) => ({
            name,
            counts: await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'),
          })),
        ),
      );
      this.reset();
      for (const { name, counts } of perQueue ?? [])
        for (const [state, count] of Object.entries(counts))
          this.set({ queue: name, state }, count);
    },
  });

  return {
    registry,
    observeRequests(req, res, next) {
      const end = latency.startTimer();
      res.once('finish', () => {
        // The matched pattern (`/v1/listings/:id`), never the raw path, keeps label cardinality bounded.
        const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
        end({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    },
    observeRoute(method, route, res) {
      hotRequests.inc({ route });
      const end = latency.startTimer();
      res.once('finish', () => end({ method, route, status: String(res.statusCode) }));
    },
  };
}
