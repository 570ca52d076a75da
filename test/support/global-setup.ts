import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { parseDatabaseUrl } from '../../src/db/database';
import { MYSQL_SERVER_URL, TEST_DB_PREFIX, TEST_REDIS_URL } from './test-env';

const STALE_AFTER_SECONDS = 3 * 3600;

/** Fails early with a clear line when MySQL or Redis is not there; sweeps databases left by killed runs. */
export default async function globalSetup(): Promise<void> {
  const target = parseDatabaseUrl(`${MYSQL_SERVER_URL}/mysql`);
  let connection: mysql.Connection;
  try {
    connection = await mysql.createConnection(target.server);
  } catch (error) {
    throw new Error(
      `tests need MySQL/MariaDB at ${MYSQL_SERVER_URL}: ${(error as Error).message} (run scripts/ensure-services.sh)`,
      { cause: error },
    );
  }
  try {
    const [rows] = await connection.query(`SHOW DATABASES LIKE '${TEST_DB_PREFIX}%'`);
    const now = Date.now() / 1000;
    for (const row of rows as Array<Record<string, string>>) {
      const name = Object.values(row)[0] ?? '';
      const created = Number(name.slice(TEST_DB_PREFIX.length).split('_')[0]);
      if (Number.isFinite(created) && now - created > STALE_AFTER_SECONDS) {
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      }
    }
  } finally {
    await connection.end();
  }
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `tests need Redis at ${TEST_REDIS_URL}: ${(error as Error).message} (run scripts/ensure-services.sh)`,
      { cause: error },
    );
  } finally {
    redis.disconnect();
  }
}
