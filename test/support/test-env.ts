import { randomBytes } from 'node:crypto';

export const MYSQL_SERVER_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_DB_PREFIX = 'cs_t_';

/**
 * Set by global-setup to a tag of this `jest` run; every name the run makes carries it, so
 * global-teardown can find what this run left behind without touching the databases and keys
 * of another run going on at the same time.
 */
export const TEST_RUN_ENV = 'CYBERSTALL_TEST_RUN';

const ownTag = randomBytes(3).toString('hex');

export function testRunTag(): string {
  return process.env[TEST_RUN_ENV] ?? ownTag;
}

/**
 * A database and Redis prefix of this test file's own: `cs_t_<unix seconds>_<run tag>_<random>`.
 * The seconds let global-setup sweep what a killed run left, hours later.
 */
export function uniqueTestName(): string {
  return `${TEST_DB_PREFIX}${Math.floor(Date.now() / 1000)}_${testRunTag()}_${randomBytes(4).toString('hex')}`;
}

/** The unix second a test name was made at (NaN for a name that is not one). */
export function createdAtOf(name: string): number {
  return Number(name.slice(TEST_DB_PREFIX.length).split('_')[0]);
}

/**
 * `npm run test:cluster` sets TEST_REDIS_CLUSTER_NODES (a Redis Cluster's seeds) and
 * TEST_MYSQL_URL to several Galera nodes (scripts/test-cluster.sh).
 */
export const TEST_REDIS_CLUSTER_NODES = process.env.TEST_REDIS_CLUSTER_NODES ?? '';

/** The variables pointing a service at the test Redis. */
export function testServerEnv(): Record<string, string> {
  return {
    REDIS_URL: TEST_REDIS_URL,
    ...(TEST_REDIS_CLUSTER_NODES ? { REDIS_CLUSTER_NODES: TEST_REDIS_CLUSTER_NODES } : {}),
  };
}
