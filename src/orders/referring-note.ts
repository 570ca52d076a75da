import type { Statement } from '../db/sql';
import { AppError } from '../http/app-error';

export interface NoteLinkRow {
  status: string;
  listingId: string | null;
}

/** The note an order names and the listings it links: read in checkout's first round trip. */
export function referringNoteStatement(noteId: string): Statement {
  return [
    `SELECT n.status, nl.listing_id AS listingId
       FROM notes n LEFT JOIN note_listings nl ON nl.note_id = n.id
      WHERE n.id = ?`,
    [noteId],
  ];
}

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
