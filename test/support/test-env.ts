import { randomBytes } from 'node:crypto';

export const MYSQL_SERVER_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_DB_PREFIX = 'cs_t_';

/** A database and Redis prefix of this test file's own: `cs_t_<unix seconds>_<random>`. */
export function uniqueTestName(): string {
  return `${TEST_DB_PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
}
