import type { Db } from '../db/db';
import { selectRows } from '../db/sql';

export interface ImpactNoteRow {
  id: string;
  title: string;
  authorId: string;
  authorName: string | null;
  /** A currency of the seller's listings it links, for a note that sold nothing yet. */
  linkedCurrency: string | null;
}

export interface NoteSalesRow {
  noteId: string;
  currency: string;
  orders: number;
  revenue: string;
}

/** Reads of what notes brought a seller: the notes linking their listings, and the orders. */
export class ContentImpactRepository {
  constructor(private readonly db: Db) {}

  /** Notes (not deleted) linking the seller's listings or named by their orders, newest first. */
  notesOfSeller(sellerId: string, afterId: string | null, limit: number) {
    return selectRows<ImpactNoteRow>(
      this.db,
      `SELECT n.id, n.title, n.author_id AS authorId,
         (SELECT u.display_name FROM users u WHERE u.id = n.author_id) AS authorName,
         (SELECT MIN(l.currency) FROM note_listings nl JOIN listings l ON l.id = nl.listing_id
           WHERE nl.note_id = n.id AND l.seller_id = ?) AS linkedCurrency
       FROM notes n
       WHERE n.id IN (
           SELECT nl.note_id FROM note_listings nl JOIN listings l ON l.id = nl.listing_id
            WHERE l.seller_id = ?
           UNION
           SELECT o.referring_note_id FROM orders o
            WHERE o.seller_id = ? AND o.referring_note_id IS NOT NULL)
         AND n.status <> 'deleted'${afterId ? ' AND n.id < ?' : ''}
       ORDER BY n.id DESC LIMIT ?`,
      [sellerId, sellerId, sellerId, ...(afterId ? [afterId] : []), limit],
    );
  }

  /** The seller's orders in `statuses` placed through these notes, per note and currency. */
  salesThrough(sellerId: string, noteIds: readonly string[], statuses: readonly string[]) {
    return selectRows<NoteSalesRow>(
      this.db,
      `SELECT referring_note_id AS noteId, currency, COUNT(*) AS orders,
         SUM(total_amount - refunded_amount) AS revenue
       FROM orders
       WHERE seller_id = ? AND referring_note_id IN (?) AND status IN (?)
       GROUP BY referring_note_id, currency ORDER BY currency`,
      [sellerId, noteIds, statuses],
    );
  }
}
