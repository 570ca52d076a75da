import type { Db } from '../db/db';
import { z } from 'zod';
import { cursorParam, limitParam } from '../http/common-schemas';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { ContentImpactRepository } from './content-impact.repository';

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

/**
 * What notes brought a seller (a brand's account or any member): per note linking the seller's
 * listings or named by their orders, the paid orders and their net revenue, one row per currency.
 */
export class ContentImpact {
  private readonly repository: ContentImpactRepository;

  constructor(db: Db) {
    this.repository = new ContentImpactRepository(db);
  }

  async forSeller(sellerId: string, query: { limit: number; cursor?: string }) {
    const afterId = decodeCursor(query.cursor);
    const notes = await this.repository.notesOfSeller(sellerId, afterId, query.limit + 1);
    const page = notes.slice(0, query.limit);
    const sales =
      page.length === 0
        ? []
        : await this.repository.salesThrough(
            sellerId,
            page.map((note) => note.id),
            PAID_STATUSES,
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
