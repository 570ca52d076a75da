import type { Sequelize } from 'sequelize';
import { z } from 'zod';
import { selectRows } from '../db/sql';
import { cursorParam, limitParam } from '../http/common-schemas';
import { decodeCursor, encodeCursor } from '../http/cursor';

/** Orders that were paid, whatever happened after: they count, their refunds come off. */
const PAID_STATUSES = ['paid', 'shipped', 'completed', 'refunded', 'partially_refunded'];

export const contentImpactQuery = z.object({ limit: limitParam, cursor: cursorParam });

export const contentImpactSchema = z
  .object({
    noteId: z.string(),
    title: z.string(),
    authorId: z.string(),
    authorName: z.string().nullable(),
    orders: z.number().int().openapi({
      description: 'Paid orders of your listings placed through this note',
    }),
    revenueAmount: z.number().int().openapi({
      description: 'What those orders charged after discounts, minus refunds (minor units)',
    }),
    currency: z.string(),
  })
  .openapi('ContentImpact');
export type ContentImpactView = z.output<typeof contentImpactSchema>;

interface NoteRow {
  id: string;
  title: string;
  authorId: string;
  authorName: string | null;
  /** A currency of the seller's listings it links, for a note that sold nothing yet. */
  linkedCurrency: string | null;
}

/**
 * What notes brought a seller (a brand's account or any member): per note linking the seller's
 * listings or named by their orders, the paid orders and their net revenue, one row per currency.
 */
export class ContentImpact {
  constructor(private readonly sequelize: Sequelize) {}

  async forSeller(sellerId: string, query: { limit: number; cursor?: string }) {
    const afterId = decodeCursor(query.cursor);
    const notes = await selectRows<NoteRow>(
      this.sequelize,
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
      [sellerId, sellerId, sellerId, ...(afterId ? [afterId] : []), query.limit + 1],
    );
    const page = notes.slice(0, query.limit);
    const sales =
      page.length === 0
        ? []
        : await selectRows<{ noteId: string; currency: string; orders: number; revenue: string }>(
            this.sequelize,
            `SELECT referring_note_id AS noteId, currency, COUNT(*) AS orders,
               SUM(total_amount - refunded_amount) AS revenue
             FROM orders
             WHERE seller_id = ? AND referring_note_id IN (?) AND status IN (?)
             GROUP BY referring_note_id, currency ORDER BY currency`,
            [sellerId, page.map((note) => note.id), PAID_STATUSES],
          );
    const data: ContentImpactView[] = page.flatMap((note) => {
      const base = {
        noteId: note.id,
        title: note.title,
        authorId: note.authorId,
        authorName: note.authorName,
      };
      const own = sales.filter((sale) => sale.noteId === note.id);
      if (own.length === 0)
        return note.linkedCurrency
          ? [{ ...base, orders: 0, revenueAmount: 0, currency: note.linkedCurrency }]
          : [];
      return own.map((sale) => ({
        ...base,
        orders: Number(sale.orders),
        revenueAmount: Number(sale.revenue),
        currency: sale.currency,
      }));
    });
    const last = page[page.length - 1];
    return {
      data,
      nextCursor: notes.length > query.limit && last ? encodeCursor(last.id) : null,
    };
  }
}
