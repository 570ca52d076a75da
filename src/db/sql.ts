import type { Db, Params, Transaction } from './db';

export type { Params, Statement } from './db';

/** The transaction a statement runs in, if any: `db.transaction(work)` hands it to `work`. */
export type Tx = Transaction;

/**
 * Hand-written SQL, on the transaction's connection or alone (then run again if it lost a
 * lock race: src/db/retry.ts). Values are escaped by mysql2 (`?`, arrays expand for `IN (?)`).
 */
function run(db: Db, sql: string, params: Params, transaction?: Tx): Promise<unknown> {
  return transaction ? transaction.query(sql, params) : db.query(sql, params);
}

/** Rows of a SELECT, as plain objects (alias columns to camelCase in the SQL). */
export async function selectRows<T>(
  db: Db,
  sql: string,
  params: Params = [],
  transaction?: Tx,
): Promise<T[]> {
  return (await run(db, sql, params, transaction)) as T[];
}

/**
 * Rows of a hot SELECT outside any transaction, sent as a prepared statement (see
 * `QueryOptions.prepared`): one `?` per scalar value, no lists.
 */
export async function selectPrepared<T>(db: Db, sql: string, params: Params = []): Promise<T[]> {
  return (await db.query(sql, params, { prepared: true })) as T[];
}

export async function selectOne<T>(
  db: Db,
  sql: string,
  params: Params = [],
  transaction?: Tx,
): Promise<T | undefined> {
  return (await selectRows<T>(db, sql, params, transaction))[0];
}

/** Runs INSERT/UPDATE/DELETE and answers how many rows it changed: the basis of conditional updates. */
export async function execute(
  db: Db,
  sql: string,
  params: Params = [],
  transaction?: Tx,
): Promise<number> {
  const result = (await run(db, sql, params, transaction)) as { affectedRows?: number };
  return result.affectedRows ?? 0;
}
