import type { App } from '../../src/http/front-door';
import pino from 'pino';
import { closeQueues, createQueues, type Queues } from '../../jobs/queues';
import { createApp, createServices, type AppDependencies, type Services } from '../../src/app';
import { ManualClock, systemClock, type Clock } from '../../src/clock';
import { loadConfig, type Config } from '../../src/config';
import { Db } from '../../src/db/db';
import { dropDatabase, ensureDatabase } from '../../src/db/database';
import { createRedis, deleteKeys, redisTargetOf, type Redis } from '../../src/redis/connection';
import { waitForRedis } from '../../src/redis/ready';
import { createLogger } from '../../src/logger';
import { MYSQL_SERVER_URL, testServerEnv, uniqueTestName } from './test-env';
import { createMigratedDatabase, releaseDatabase, takeRecycledDatabase } from './test-schema';

export interface TestContext {
  app: App;
  config: Config;
  db: Db;
  redis: Redis;
  queues: Queues;
  services: Services;
  clock: Clock;
  deps: AppDependencies;
  close(): Promise<void>;
}

export interface TestOptions {
  /** Where log lines go (tests that read what the service logs). */
  logStream?: pino.DestinationStream;
  env?: Record<string, string>;
  clock?: Clock | ManualClock;
  /** MySQL connections of the app's pool (10). */
  poolMax?: number;
}

/**
 * A database and a Redis prefix of this test file's own, migrated, with the app built on them.
 * The database may be one another file emptied and left for reuse (test-schema.ts).
 */
export async function startTestContext(options: TestOptions = {}): Promise<TestContext> {
  const name = uniqueTestName();
  // A test naming its own DATABASE_URL (through a proxy, say) gets that database, made anew.
  const recycled = options.env?.DATABASE_URL === undefined ? await takeRecycledDatabase() : null;
  const config = loadConfig({
    DATABASE_URL: `${MYSQL_SERVER_URL}/${recycled ?? name}`,
    ...testServerEnv(),
    // On a Galera cluster each new connection goes to the next node: one test app's
    // concurrent requests then race each other across nodes.
    DATABASE_NODE_SPREAD: 'connection',
    REDIS_PREFIX: name,
    RATE_LIMIT_SCALE: '0',
    // Every signup and login hashes with scrypt: at the default cost the suites spend a minute of
    // CPU on it. Stored hashes carry their cost, so what is checked is the same.
    PASSWORD_HASH_COST: '1024',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const isMigrated = recycled !== null || (await createMigratedDatabase(config.DATABASE_URL));
  if (!isMigrated) await ensureDatabase(config.DATABASE_URL);
  // Made from the run's schema script it has every migration; loaded only when needed (umzug
  // costs each test file's module registry a tenth of a second).
  if (!isMigrated)
    await (await import('../../src/db/migrator')).migrateDatabase(config.DATABASE_URL);
  const db = new Db(config.DATABASE_URL, {
    poolMax: options.poolMax ?? 10,
    spread: config.DATABASE_NODE_SPREAD,
  });
  const redis = createRedis(redisTargetOf(config), { name: 'test' });
  await waitForRedis(redis);
  const queueConnection = createRedis(redisTargetOf(config), { name: 'test-queues' });
  await waitForRedis(queueConnection);
  const queues = createQueues(queueConnection, config.REDIS_PREFIX);
  // With a stream, the service's own logger (its redactions included) writes there.
  const logger = options.logStream
    ? createLogger(config.LOG_LEVEL, options.logStream)
    : pino({ level: config.LOG_LEVEL });
  const clock = options.clock ?? systemClock;
  const deps: AppDependencies = { config, db, redis, queues, clock, logger };
  const services = createServices(deps);
  const app = createApp(deps, services);

  return {
    app,
    config,
    db,
    redis,
    queues,
    services,
    clock,
    deps,
    async close() {
      // Queues write their `meta` keys on their own connection: closed and cut before the
      // sweep, none lands after it. Every step runs even if one before it failed.
      const steps = [
        () => services.accounts.close(),
        () => closeQueues(queues),
        () => queueConnection.disconnect(),
        () => deleteKeys(redis, `${config.REDIS_PREFIX}:*`),
        () => redis.disconnect(),
        () => db.close(),
        () =>
          options.env?.DATABASE_URL === undefined
            ? releaseDatabase(config.DATABASE_URL)
            : dropDatabase(config.DATABASE_URL),
        () => services.vault.destroy(),
      ];
      const failures: unknown[] = [];
      for (const step of steps) {
        try {
          await step();
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) throw failures[0];
    },
  };
}
