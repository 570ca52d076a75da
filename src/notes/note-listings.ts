import type { Tx } from '../db/sql';
import { AppError } from '../http/app-error';
import type { NoteListingsRepository } from './note-listings.repository';

/**
 * The listings a note links must exist and be on sale when they are linked. Ids the note
 * already links are not checked again: an edit is not refused because a listing it has long
 * carried was paused or sold since.
 */
export async function checkListingLinks(
  links: NoteListingsRepository,
  transaction: Tx,
  listingIds: readonly string[],
  alreadyLinked: readonly string[],
  param: string,
): Promise<void> {
  const added = listingIds.filter((id) => !alreadyLinked.includes(id));
  if (added.length === 0) return;
  const found = await links.listingStatuses(transaction, added);
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
