import type { Sequelize, Transaction } from 'sequelize';
import { execute, selectRows } from '../db/sql';
import { AppError } from '../http/app-error';

/**
 * The listings a note links must exist and be on sale when they are linked. Ids the note
 * already links are not checked again: an edit is not refused because a listing it has long
 * carried was paused or sold since.
 */
export async function checkListingLinks(
  sequelize: Sequelize,
  transaction: Transaction,
  listingIds: readonly string[],
  alreadyLinked: readonly string[],
  param: string,
): Promise<void> {
  const added = listingIds.filter((id) => !alreadyLinked.includes(id));
  if (added.length === 0) return;
  const found = await selectRows<{ id: string; status: string }>(
    sequelize,
    'SELECT id, status FROM listings WHERE id IN (?)',
    [added],
    transaction,
  );
  const statusOf = new Map(found.map((row) => [row.id, row.status]));
  for (const [index, id] of listingIds.entries()) {
    if (!added.includes(id)) continue;
    const status = statusOf.get(id);
    if (status === undefined || status === 'archived')
      throw new AppError(
        404,
        'not_found',
        'listing_not_found',
        `No such listing: ${id}.`,
        `${param}.${index}`,
      );
    if (status !== 'active')
      throw AppError.conflict(
        'listing_not_available',
        `Listing ${id} is not on sale, so a note cannot link it.`,
        `${param}.${index}`,
      );
  }
}

export async function insertListingLinks(
  sequelize: Sequelize,
  transaction: Transaction,
  noteId: string,
  listingIds: readonly string[],
): Promise<void> {
  if (listingIds.length === 0) return;
  await execute(
    sequelize,
    `INSERT INTO note_listings (listing_id, note_id) VALUES ${listingIds.map(() => '(?, ?)').join(', ')}`,
    listingIds.flatMap((id) => [id, noteId]),
    transaction,
  );
}

export async function replaceListingLinks(
  sequelize: Sequelize,
  transaction: Transaction,
  noteId: string,
  listingIds: readonly string[],
): Promise<void> {
  await execute(sequelize, 'DELETE FROM note_listings WHERE note_id = ?', [noteId], transaction);
  await insertListingLinks(sequelize, transaction, noteId, listingIds);
}
