import { AppError } from '../http/app-error';
import type { NoteLinkRow } from './checkout.repository';

/**
 * An order is credited to a note the buyer could have come through: a published note that
 * links at least one of the order's listings.
 */
export function referringNote(rows: NoteLinkRow[], noteId: string, listingIds: string[]): string {
  if (rows.length === 0 || rows[0]!.status !== 'published')
    throw new AppError(
      404,
      'not_found',
      'note_not_found',
      `No published note ${noteId}.`,
      'referringNoteId',
    );
  if (!rows.some((row) => row.listingId !== null && listingIds.includes(row.listingId)))
    throw AppError.invalid(
      'note_not_linked',
      `Note ${noteId} links none of the listings ordered.`,
      'referringNoteId',
    );
  return noteId;
}
