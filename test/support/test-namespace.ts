import type mysql from 'mysql2/promise';
import type { Cluster, Redis } from 'ioredis';
import { connectToServer, dropDatabase, parseDatabaseUrl } from '../../src/db/database';
import { deleteKeys, scanKeys } from '../../src/redis/connection';
import { MYSQL_SERVER_URL, TEST_DB_PREFIX } from './test-env';
import { openTestRedis } from './test-redis';

/** What a test name owns: a database on the test server and every Redis key under `<name>:`. */
export interface TestNamespaces {
  databases: string[];
  /** Redis key prefixes (the part before the first `:`). */
  keyPrefixes: string[];
}

async function withServerConnection<T>(work: (connection: mysql.Connection) => Promise<T>) {
  const connection = await connectToServer(parseDatabaseUrl(`${MYSQL_SERVER_URL}/mysql`));
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

async function withRedis<T>(work: (redis: Redis | Cluster) => Promise<T>): Promise<T> {
  const redis = await openTestRedis();
  try {
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

/** Drops a test name's database and sweeps its keys from the test Redis, on fresh connections. */
export async function removeTestNamespace(name: string): Promise<void> {
  const results = await Promise.allSettled([
    dropDatabase(`${MYSQL_SERVER_URL}/${name}`),
    // The data vault's database beside it (src/vault), when the service made one.
    dropDatabase(`${MYSQL_SERVER_URL}/${name}_vault`),
    withRedis((redis) => deleteKeys(redis, `${name}:*`)),
  ]);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}

/** Test databases and key prefixes whose name matches `namePattern` (`*` as wildcard). */
export async function findTestNamespaces(namePattern: string): Promise<TestNamespaces> {
  if (!namePattern.startsWith(TEST_DB_PREFIX)) throw new Error('not a test name pattern');
  // LIKE treats `_` as a wildcard too: escape it so only the literal pattern matches.
  const like = namePattern.replace(/_/g, '\\_').replace(/\*/g, '%');
  const databases = await withServerConnection(async (connection) => {
    const [rows] = await connection.query('SHOW DATABASES LIKE ?', [like]);
    return (rows as Array<Record<string, string>>).map((row) => Object.values(row)[0] ?? '');
  });
  const keyPrefixes = await withRedis(async (redis) => {
    const prefixes = new Set<string>();
    for await (const { keys } of scanKeys(redis, `${namePattern}:*`)) {
      for (const key of keys) prefixes.add(key.slice(0, key.indexOf(':')));
    }
    return [...prefixes];
  });
  return { databases: databases.sort(), keyPrefixes: keyPrefixes.sort() };
}

/** Every name among `found`, once. */
export function namesOf(found: TestNamespaces): string[] {
  return [...new Set([...found.databases, ...found.keyPrefixes])].sort();
}
