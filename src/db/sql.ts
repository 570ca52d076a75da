import type { Sequelize, Transaction } from 'sequelize';

export type Params = ReadonlyArray<unknown>;

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
  transaction?: Transaction,
): Promise<unknown> {
  const own = (transaction as unknown as { connection?: RawConnection } | undefined)?.connection;
  if (own) return send(own, sql, params);
  const manager = sequelize.connectionManager as unknown as {
    getConnection(options: { type: 'read' | 'write' }): Promise<RawConnection>;
    releaseConnection(connection: RawConnection): void;
  };
  const connection = await manager.getConnection({ type: 'write' });
  try {
    return await send(connection, sql, params);
  } finally {
    manager.releaseConnection(connection);
  }
}

/** Rows of a SELECT, as plain objects (alias columns to camelCase in the SQL). */
export async function selectRows<T>(
  sequelize: Sequelize,
  sql: string,
  params: Params = [],
  transaction?: Transaction,
): Promise<T[]> {
  return (await run(sequelize, sql, params, transaction)) as T[];
}

export async function selectOne<T>(
  sequelize: Sequelize,
  sql: string,
  params: Params = [],
  transaction?: Transaction,
): Promise<T | undefined> {
  return (await selectRows<T>(sequelize, sql, params, transaction))[0];
}

/** Runs INSERT/UPDATE/DELETE and answers how many rows it changed: the basis of conditional updates. */
export async function execute(
  sequelize: Sequelize,
  sql: string,
  params: Params = [],
  transaction?: Transaction,
): Promise<number> {
  const result = (await run(sequelize, sql, params, transaction)) as { affectedRows?: number };
  return result.affectedRows ?? 0;
}
