import type { Sequelize, Transaction } from 'sequelize';

export type Params = ReadonlyArray<unknown>;

/** Sequelize's replacement escaping drops milliseconds from dates; DATETIME(3) columns keep them. */
function bind(params: Params): unknown[] {
  return params.map((value) =>
    value instanceof Date ? value.toISOString().slice(0, 23).replace('T', ' ') : value,
  );
}

/** Rows of a SELECT, as plain objects (alias columns to camelCase in the SQL). */
export async function selectRows<T>(
  sequelize: Sequelize,
  sql: string,
  params: Params = [],
  transaction?: Transaction,
): Promise<T[]> {
  const [rows] = await sequelize.query(sql, { replacements: bind(params), transaction });
  return rows as T[];
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
  const [result, metadata] = await sequelize.query(sql, {
    replacements: bind(params),
    transaction,
  });
  // Sequelize answers [insertId, affectedRows] for statements it takes for inserts, a result header otherwise.
  if (typeof metadata === 'number') return metadata;
  return (result as { affectedRows?: number }).affectedRows ?? 0;
}
