import type { Sequelize } from 'sequelize';
import { execute, type Tx } from '../db/sql';

/**
 * A finished drop stops being the one its listing shows: the listing points at its next
 * scheduled or live drop, if it has one. In the transaction that finishes the drop.
 */
export async function showNextDrop(
  sequelize: Sequelize,
  listingId: string,
  finishedDropId: string,
  transaction: Tx,
): Promise<void> {
  await execute(
    sequelize,
    `UPDATE listings SET drop_id = (
        SELECT d.id FROM drops d
         WHERE d.listing_id = ? AND d.id <> ? AND d.status IN ('live', 'scheduled')
         ORDER BY d.starts_at LIMIT 1)
      WHERE id = ? AND drop_id = ?`,
    [listingId, finishedDropId, listingId, finishedDropId],
    transaction,
  );
}
