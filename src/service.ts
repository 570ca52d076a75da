import type { Server } from 'node:http';
import type { RunningWorkers } from '../jobs/worker';
import { closeQueues, createQueues } from '../jobs/queues';
import { createServices, type AppDependencies } from './services';
import { systemClock } from './clock';
import type { Config } from './config';
import { Db } from './db/db';
import { ensureDatabase } from './db/database';
import { migrateDatabaseApart } from './db/migration-process';
import type { Logger } from './logger';
import { createRedis, redisTargetOf } from './redis/connection';
import { waitForRedis } from './redis/ready';
import { startHealthServer } from './ops/health-server';
import { checkReadiness, storeChecks } from './ops/readiness';
import { prepareVault } from './vault/vault-start';

export interface RunningService {
  server?: Server;
  workers?: RunningWorkers;
  /** ROLE=worker with HEALTH_PORT: the port answering /healthz and /readyz. */
  healthServer?: Server;
  /** Stops accepting, lets in-flight requests and jobs finish, closes connections. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Serve the web app's build beside the API when it exists (default true). */
  web?: boolean;
}

/**
 * Starts what ROLE asks for: the HTTP API, the queue workers, or both. Each role loads only its
 * own code (the HTTP routes, the job processors, the demo seed): a process of one role starts
 * faster and never holds the other's modules.
 */
export async function startService(
  config: Config,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningService> {
  await ensureDatabase(config.DATABASE_URL);
  const applied = await migrateDatabaseApart(config.DATABASE_URL);
  if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
  const db = new Db(config.DATABASE_URL, {
    poolMax: config.DB_POOL_MAX,
    firstNode: config.DATABASE_FIRST_NODE,
    spread: config.DATABASE_NODE_SPREAD,
  });

  const redis = createRedis(redisTargetOf(config), { name: 'api' });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  await waitForRedis(redis, 30_000);
  const queueConnection = createRedis(redisTargetOf(config), { name: 'queues' });
  queueConnection.on('error', (error) => logger.warn({ err: error }, 'queue connection error'));
  await waitForRedis(queueConnection, 30_000);
  const queues = createQueues(queueConnection, config.REDIS_PREFIX, (error) =>
    logger.warn({ err: error }, 'queue error'),
  );

  let draining = false;
  const deps: AppDependencies = {
    config,
    db,
    redis,
    queues,
    clock: systemClock,
    logger,
    isDraining: () => draining,
  };
  const services = createServices(deps);
  await prepareVault(services, db, logger);
  if (config.DEMO_SEED) {
    const { seedDemoData } = await import('./demo/seed');
    await seedDemoData(services, db, logger, systemClock);
  }

  let server: Server | undefined;
  if (config.ROLE !== 'worker') {
    const [{ createApp }, { loadWebApp }] = await Promise.all([
      import('./app'),
      import('./web/web-app'),
    ]);
    const web =
      options.web === false
        ? undefined
        : await loadWebApp({
            publicUrl: config.PUBLIC_URL,
            // The API writes image URLs from PUBLIC_URL, or http://localhost:PORT without it.
            imageOrigins: [new URL(config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).origin],
            pageCacheSeconds: config.WEB_PAGE_CACHE_SECONDS,
            paymentsProvider: config.PAYMENTS_PROVIDER,
            stripePublishableKey: config.STRIPE_PUBLISHABLE_KEY,
          });
    if (!web && options.web !== false)
      logger.warn('web/build is missing: serving the API only (npm run build:web)');
    const app = createApp({ ...deps, web }, services);
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(config.PORT, () => resolve(listening));
    });
    // Longer than a load balancer's idle timeout, so it never reuses a socket we just closed.
    server.keepAliveTimeout = 65_000;
    // Requests Node's parser refuses (bad URL bytes, broken headers) still get the API's error shape.
    server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable || error.code === 'ECONNRESET') return socket.destroy();
      const body = JSON.stringify({
        error: {
          type: 'invalid_request',
          code: 'malformed_http',
          message: 'The HTTP request could not be parsed.',
        },
      });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
    logger.info({ port: portOf(server) ?? config.PORT, role: config.ROLE }, 'API listening');
  }
  const workers =
    config.ROLE !== 'api'
      ? await (await import('../jobs/worker')).startWorkers(deps, services)
      : undefined;
  if (workers) logger.info({ role: config.ROLE }, 'workers started');
  const healthServer =
    workers && config.ROLE === 'worker' && config.HEALTH_PORT !== undefined
      ? await startHealthServer(config.HEALTH_PORT, () =>
          checkReadiness(
            {
              ...storeChecks(db, redis),
              workers: async () => {
                if (!workers.workers.every((worker) => worker.isRunning())) {
                  throw new Error('a queue worker is not running');
                }
              },
            },
            () => draining,
          ),
        )
      : undefined;
  if (healthServer) logger.info({ port: portOf(healthServer) }, 'worker health listening');

  return {
    server,
    workers,
    healthServer,
    async stop() {
      // A worker's /readyz says 503 from here on: it takes no new job.
      draining = true;
      if (server) {
        // Keep accepting for a moment while /readyz says 503, so balancers (and connections
        // already queued in the kernel backlog) are not cut off, then stop listening.
        await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_MS));
        // close() ends idle keep-alive sockets; busy ones close after their response, which
        // carries `Connection: close` while draining.
        await new Promise<void>((resolve) => server?.close(() => resolve()));
      }
      await workers?.close();
      // Winners whose client went away may still be waiting to be recorded.
      await services.drops.settle();
      await services.accounts.close();
      await services.vault.close();
      await closeQueues(queues);
      queueConnection.disconnect();
      await redis.quit().catch(() => redis.disconnect());
      await db.close();
      if (healthServer) await new Promise<void>((resolve) => healthServer.close(() => resolve()));
    },
  };
}

function portOf(server: Server): number | undefined {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : undefined;
}
