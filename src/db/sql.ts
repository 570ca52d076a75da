import type { Sequelize, Transaction } from 'sequelize';
import { retryOnLockConflict } from './retry';

export type Params = ReadonlyArray<unknown>;

/** One SQL statement and its `?` values. */
export type Statement = readonly [sql: string, params: Params];

/** The part of a mysql2 (callback API) connection these helpers use. */
interface RawConnection {
  query(
    sql: string,
    values: unknown[],
    callback: (error: Error | null, result: unknown) => void,
  ): unknown;
}

/** DATETIME(3) columns keep milliseconds: dates go in as UTC `YYYY-MM-DD HH:MM:SS.mmm`. */
function bind(params: Params): unknown[] {
  return params.map((value) =>
    value instanceof Date ? value.toISOString().slice(0, 23).replace('T', ' ') : value,
  );
}

function send(connection: RawConnection, sql: string, params: Params): Promise<unknown> {
  return new Promise((resolve, reject) => {
    connection.query(sql, bind(params), (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

/** A Sequelize transaction, or a BatchedTransaction: both hold their connection. */
export type Tx = Transaction | BatchedTransaction;

interface ConnectionManager {
  getConnection(options: { type: 'read' | 'write' }): Promise<RawConnection>;
  releaseConnection(connection: RawConnection): void;
}

/** `work` on a connection borrowed from Sequelize's pool, given back however it ends. */
async function withConnection<T>(
  sequelize: Sequelize,
  work: (connection: RawConnection) => Promise<T>,
): Promise<T> {
  const pool = sequelize.connectionManager as unknown as ConnectionManager;
  const connection = await pool.getConnection({ type: 'write' });
  try {
    return await work(connection);
  } finally {
    pool.releaseConnection(connection);
  }
}

/**
 * Hand-written SQL goes straight to the mysql2 connection Sequelize manages (the transaction's
 * own, or one borrowed from its pool): Sequelize's query pipeline costs more CPU than the
 * statement itself on hot paths such as checkout. Values are escaped by mysql2 (`?`, arrays
 * expand for `IN (?)`).
 */
async function run(
  sequelize: Sequelize,
  sql: string,
  params: Params,
  transaction?: Tx,
): Promise<unknown> {
  const own = (transaction as unknown as { connection?: RawConnection } | undefined)?.connection;
  if (own) return send(own, sql, params);
  // Alone, a statement that lost a lock race was undone entirely: sent again (src/db/retry.ts).
  return retryOnLockConflict(() =>
    withConnection(sequelize, (connection) => send(connection, sql, params)),
  );
}

/** Several statements in one round trip (the pool's connections allow multiple statements). */
function sendAll(connection: RawConnection, statements: readonly Statement[]): Promise<unknown[]> {
  const sql = statements.map(([text]) => text).join(';\n');
  const values = statements.flatMap(([, params]) => bind(params));
  return send(connection, sql, values).then((result) =>
    // mysql2 answers one statement with its result, several with an array of results.
    statements.length === 1 ? [result] : (result as unknown[]),
  );
}

/**
 * A transaction that costs no round trip of its own: START TRANSACTION travels with its first
 * statement, and COMMIT with the writes deferred to it (`atCommit`): where a round trip to
 * MySQL costs more CPU than the statement, as on a busy API process, a checkout then takes two
 * round trips. Statements run on one pooled connection, so the SQL helpers above take it as
 * their `transaction`.
 */
export class BatchedTransaction {
  private begun = false;
  private readonly deferred: Statement[] = [];
  private readonly committed: Array<() => unknown> = [];
  /** What the SQL helpers send through: the first statement also begins the transaction. */
  readonly connection: RawConnection;

  constructor(private readonly raw: RawConnection) {
    this.connection = {
      query: (sql, values, callback) =>
        this.batch([[sql, values]]).then(
          (results) => callback(null, results[0]),
          (error: Error) => callback(error, undefined),
        ),
    };
  }

  /** Statements sent together; answers each one's result. Sending stops at the first error. */
  async batch(statements: readonly Statement[]): Promise<unknown[]> {
    if (this.begun) return sendAll(this.raw, statements);
    this.begun = true;
    const results = await sendAll(this.raw, [['START TRANSACTION', []], ...statements]);
    return results.slice(1);
  }

  /** A write nobody reads the result of: sent with the COMMIT. If it fails, nothing commits. */
  atCommit(statement: Statement): void {
    this.deferred.push(statement);
  }

  /** Run once COMMIT succeeded (as Sequelize's afterCommit): a rolled-back or retried try runs none. */
  afterCommit(callback: () => unknown): void {
    this.committed.push(callback);
  }

  async commit(): Promise<void> {
    if (this.begun || this.deferred.length > 0)
      await this.batch([...this.deferred.splice(0), ['COMMIT', []]]);
    for (const callback of this.committed.splice(0)) callback();
  }

  async rollback(): Promise<void> {
    if (!this.begun) return;
    // A failed statement may have ended the transaction already (a deadlock rolls it back).
    await sendAll(this.raw, [['ROLLBACK', []]]).catch(() => undefined);
  }
}

/**
 * Runs `work` in a BatchedTransaction: committed if it returns, rolled back if it throws, run
 * again from the start if it lost a lock race (a deadlock, or a Galera certification conflict
 * at COMMIT): `work` must not act outside the database before it returns.
 */
export async function batchedTransaction<T>(
  sequelize: Sequelize,
  work: (transaction: BatchedTransaction) => Promise<T>,
): Promise<T> {
  return retryOnLockConflict(() => batchedTransactionOnce(sequelize, work));
}

function batchedTransactionOnce<T>(
  sequelize: Sequelize,
  work: (transaction: BatchedTransaction) => Promise<T>,
): Promise<T> {
  return withConnection(sequelize, async (connection) => {
    const transaction = new BatchedTransaction(connection);
    try {
      const result = await work(transaction);
      await transaction.commit();
      return result;
    } catch (error) {
      await transaction.rollback();
      throw error;
    }
  });
}

/** Rows of a SELECT, as plain objects (alias columns to camelCase in the SQL). */
export async function selectRows<T>(
  sequelize: Sequelize,
  sql: string,
  params: Params = [],
  transaction?: Tx,
): Promise<T[]> {
  return (await run(sequelize, sql, params, transaction)) as T[];
}

export async function selectOne<T>(
  sequelize: Sequelize,
  sql: string,
  params: Params = [],
  transaction?: Tx,
): Promise<T | undefined> {
  return (await selectRows<T>(sequelize, sql, params, transaction))[0];
}

/** Runs INSERT/UPDATE/DELETE and answers how many rows it changed: the basis of conditional updates. */
export async function execute(
  sequelize: Sequelize,
  sql: string,
  params: Params = [],
  transaction?: Tx,
): Promise<number> {
  const result = (await run(sequelize, sql, params, transaction)) as { affectedRows?: number };
  return result.affectedRows ?? 0;
}
