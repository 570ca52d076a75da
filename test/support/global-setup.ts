import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { parseDatabaseUrl } from '../../src/db/database';
import { buildService, removeStaleServiceBuilds } from './service-build';
import { MYSQL_SERVER_URL, TEST_DB_PREFIX, TEST_RUN_ENV, createdAtOf } from './test-env';
import { findTestNamespaces, namesOf, removeTestNamespace } from './test-namespace';
import { openTestRedis, TEST_REDIS_NAME } from './test-redis';
import { writeSchemaScript } from './test-schema';

const STALE_AFTER_SECONDS = 3 * 3600;

/**
 * Fails early with a clear line when MySQL or Redis is not there; tags this run (the test
 * workers inherit the variable) so global-teardown finds its leftovers; sweeps the databases
 * and keys that killed runs left hours ago; makes the run's schema script and compiled service.
 */
export default async function globalSetup(): Promise<void> {
  // A caller may name the run (to watch its connections, say); six hex digits like ours.
  if (!/^[0-9a-f]{6}$/.test(process.env[TEST_RUN_ENV] ?? '')) {
    process.env[TEST_RUN_ENV] = randomBytes(3).toString('hex');
  }
  try {
    const connection = await mysql.createConnection(
      parseDatabaseUrl(`${MYSQL_SERVER_URL}/mysql`).server,
    );
    await connection.end();
  } catch (error) {
    throw new Error(
      `tests need MySQL/MariaDB at ${MYSQL_SERVER_URL}: ${(error as Error).message} (run scripts/ensure-services.sh)`,
      { cause: error },
    );
  }
  try {
    const redis = await openTestRedis();
    try {
      await redis.ping();
    } finally {
      redis.disconnect();
    }
  } catch (error) {
    throw new Error(
      `tests need Redis at ${TEST_REDIS_NAME}: ${(error as Error).message} (run scripts/ensure-services.sh)`,
      { cause: error },
    );
  }
  const now = Date.now() / 1000;
  const all = namesOf(await findTestNamespaces(`${TEST_DB_PREFIX}*`));
  for (const name of all) {
    const created = createdAtOf(name);
    if (Number.isFinite(created) && now - created > STALE_AFTER_SECONDS) {
      await removeTestNamespace(name);
    }
  }
  removeStaleServiceBuilds(STALE_AFTER_SECONDS * 1000);
  await writeSchemaScript();
  buildService();
}
