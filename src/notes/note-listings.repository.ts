import type { Db } from '../db/db';
import { execute, selectRows, type Tx } from '../db/sql';

/** note_listings: the listings a note links (at most 5), and their statuses when linked. */
export class NoteListingsRepository {
  constructor(private readonly db: Db) {}

  /** The status of each of these listings that exists. */
  listingStatuses(transaction: Tx, listingIds: readonly string[]) {
    return selectRows<{ id: string; status: string }>(
      this.db,
      'SELECT id, status FROM listings WHERE id IN (?)',
      [listingIds],
      transaction,
    );
  }

  async insert(transaction: Tx, noteId: string, listingIds: readonly string[]): Promise<void> {
    if (listingIds.length === 0) return;
    await execute(
      this.db,
      `INSERT INTO note_listings (listing_id, note_id) VALUES ${listingIds.map(() => '(?, ?)').join(', ')}`,
      listingIds.flatMap((id) => [id, noteId]),
      transaction,
    );
  }

  async replace(transaction: Tx, noteId: string, listingIds: readonly string[]): Promise<void> {
    await execute(this.db, 'DELETE FROM note_listings WHERE note_id = ?', [noteId], transaction);
    await this.insert(transaction, noteId, listingIds);
  }
}
