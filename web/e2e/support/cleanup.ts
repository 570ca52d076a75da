import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import { WEB_TEST } from './service';

/** Drops the test service's databases (main and vault) and every Redis key under its prefix. */
export async function cleanUp(): Promise<void> {
  await cleanUpService(WEB_TEST);
}

/** The same for any service a test starts: its databases and Redis keys. */
export async function cleanUpService(service: {
  database: string;
  redisPrefix: string;
}): Promise<void> {
  const connection = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  try {
    for (const name of [service.database, `${service.database}_vault`])
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await connection.end();
  }
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${service.redisPrefix}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
