import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import pino from 'pino';
import { closeQueues, createQueues } from '../jobs/queues';
import { createApp } from '../src/app';
import { systemClock } from '../src/clock';
import { loadConfig } from '../src/config';
import { Db } from '../src/db/db';

/**
 * The document GET /openapi.json answers, from the app as the service builds it (every route
 * it registers), on a MySQL and a Redis that are never reached: no database or server needed.
 */
export async function serviceOpenApiDocument(): Promise<Record<string, unknown>> {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'mysql://nobody@127.0.0.1:1/none',
    REDIS_URL: 'redis://127.0.0.1:1',
  });
  const db = new Db(config.DATABASE_URL);
  const redis = new Redis(config.REDIS_URL, {
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  const queues = createQueues(redis, config.REDIS_PREFIX);
  const logger = pino({ level: 'silent' });
  const app = createApp({ config, db, redis, queues, clock: systemClock, logger });
  const server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/openapi.json`);
    if (!response.ok) throw new Error(`/openapi.json answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  } finally {
    server.close();
    await closeQueues(queues).catch(() => undefined);
    redis.disconnect();
    await db.close();
  }
}
