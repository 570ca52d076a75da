import type { Db } from '../db/db';

/** MySQL answers a query. */
export function pingMysql(db: Db): Promise<unknown> {
  return db.query('SELECT 1');
}
