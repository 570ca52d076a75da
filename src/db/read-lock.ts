import type { Sequelize } from 'sequelize';
import { isMultiNode } from './nodes';
import { BatchedTransaction, selectOne, type Tx } from './sql';

/**
 * The `status` of a row, kept from changing until the transaction ends while letting readers
 * share it. On one server that is a shared lock. On a Galera cluster locks stay on their node
 * and only writes are certified, so a shared lock there would let another node change the row
 * meanwhile (a drop closing while its winners are written): the row is written instead (its
 * updated_at moves on by 1 ms, so the write is never a no-op), and of two transactions that
 * change it on different nodes one fails at COMMIT with 1213 and is run again.
 */
export async function readStatusLocked(
  sequelize: Sequelize,
  table: 'drops',
  id: string,
  transaction: Tx,
): Promise<string | undefined> {
  const select = `SELECT status FROM ${table} WHERE id = ?`;
  if (!isMultiNode(sequelize))
    return (
      await selectOne<{ status: string }>(
        sequelize,
        `${select} LOCK IN SHARE MODE`,
        [id],
        transaction,
      )
    )?.status;
  const touch = `UPDATE ${table} SET updated_at = updated_at + INTERVAL 1000 MICROSECOND WHERE id = ?`;
  if (transaction instanceof BatchedTransaction) {
    const [, rows] = (await transaction.batch([
      [touch, [id]],
      [select, [id]],
    ])) as [unknown, Array<{ status: string }>];
    return rows[0]?.status;
  }
  await sequelize.query(touch, { replacements: [id], transaction });
  return (await selectOne<{ status: string }>(sequelize, select, [id], transaction))?.status;
}
