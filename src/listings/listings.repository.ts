import type { Sequelize, Transaction } from 'sequelize';
import { execute, selectOne, selectRows } from '../db/sql';
import type { BrowseQuery } from './listings.schema';
import { indexTokens, queryTokens } from './search-tokens';

export interface ListingRow {
  id: string;
  sellerId: string;
  title: string;
  description: string;
  priceAmount: number;
  currency: string;
  quantity: number;
  category: string;
  condition: 'new' | 'used' | 'handmade';
  images: string;
  shipsTo: string;
  status: 'active' | 'paused' | 'archived';
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `l.id, l.seller_id AS sellerId, l.title, l.description, l.price_amount AS priceAmount, l.currency, l.quantity,
  l.category, l.item_condition AS \`condition\`, l.images, l.ships_to AS shipsTo, l.status, l.created_at AS createdAt,
  l.updated_at AS updatedAt`;

export class ListingsRepository {
  constructor(private readonly sequelize: Sequelize) {}

  find(id: string, transaction?: Transaction): Promise<ListingRow | undefined> {
    return selectOne<ListingRow>(
      this.sequelize,
      `SELECT ${COLUMNS} FROM listings l WHERE l.id = ?`,
      [id],
      transaction,
    );
  }

  async insert(row: ListingRow, transaction: Transaction): Promise<void> {
    await execute(
      this.sequelize,
      `INSERT INTO listings (id, seller_id, title, description, price_amount, currency, quantity, category, item_condition,
         images, ships_to, ships_worldwide, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.id,
        row.sellerId,
        row.title,
        row.description,
        row.priceAmount,
        row.currency,
        row.quantity,
        row.category,
        row.condition,
        row.images,
        row.shipsTo,
        (JSON.parse(row.shipsTo) as string[]).length === 0 ? 1 : 0,
        row.status,
        row.createdAt,
        row.updatedAt,
      ],
      transaction,
    );
  }

  async update(
    id: string,
    fields: Record<string, unknown>,
    transaction: Transaction,
  ): Promise<number> {
    const sets = Object.keys(fields).map((column) => `${column} = ?`);
    return execute(
      this.sequelize,
      `UPDATE listings SET ${sets.join(', ')} WHERE id = ? AND status <> 'archived'`,
      [...Object.values(fields), id],
      transaction,
    );
  }

  /** Rewrites the search tokens and ship-to countries of a listing, in the caller's transaction. */
  async index(
    id: string,
    text: { title: string; description: string },
    shipsTo: string[] | null,
    transaction: Transaction,
  ): Promise<void> {
    await execute(
      this.sequelize,
      'DELETE FROM listing_search_tokens WHERE listing_id = ?',
      [id],
      transaction,
    );
    const tokens = indexTokens(`${text.title} ${text.description}`);
    for (let i = 0; i < tokens.length; i += 500) {
      const chunk = tokens.slice(i, i + 500);
      await execute(
        this.sequelize,
        `INSERT INTO listing_search_tokens (token, listing_id) VALUES ${chunk.map(() => '(?, ?)').join(', ')}`,
        chunk.flatMap((t) => [t, id]),
        transaction,
      );
    }
    if (shipsTo === null) return;
    await execute(
      this.sequelize,
      'DELETE FROM listing_ship_countries WHERE listing_id = ?',
      [id],
      transaction,
    );
    if (shipsTo.length > 0) {
      await execute(
        this.sequelize,
        `INSERT INTO listing_ship_countries (country, listing_id) VALUES ${shipsTo.map(() => '(?, ?)').join(', ')}`,
        shipsTo.flatMap((c) => [c, id]),
        transaction,
      );
    }
  }

  /** Active listings, newest first, keyset-paginated on the time-ordered id. */
  browse(query: BrowseQuery, afterId: string | null, limit: number): Promise<ListingRow[]> {
    const where = ["l.status = 'active'"];
    const params: unknown[] = [];
    const add = (clause: string, ...values: unknown[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (query.category) add('l.category = ?', query.category);
    if (query.condition) add('l.item_condition = ?', query.condition);
    if (query.currency) add('l.currency = ?', query.currency);
    if (query.minPrice !== undefined) add('l.price_amount >= ?', query.minPrice);
    if (query.maxPrice !== undefined) add('l.price_amount <= ?', query.maxPrice);
    if (query.sellerId) add('l.seller_id = ?', query.sellerId);
    if (query.shipsTo)
      add(
        '(l.ships_worldwide = 1 OR l.id IN (SELECT c.listing_id FROM listing_ship_countries c WHERE c.country = ?))',
        query.shipsTo,
      );
    for (const { token, isPrefix } of queryTokens(query.q ?? '')) {
      if (isPrefix)
        add(
          "l.id IN (SELECT t.listing_id FROM listing_search_tokens t WHERE t.token LIKE ? ESCAPE '!')",
          `${token.replace(/[!%_]/g, '!$&')}%`,
        );
      else
        add('l.id IN (SELECT t.listing_id FROM listing_search_tokens t WHERE t.token = ?)', token);
    }
    if (afterId) add('l.id < ?', afterId);
    params.push(limit);
    return selectRows<ListingRow>(
      this.sequelize,
      `SELECT ${COLUMNS} FROM listings l WHERE ${where.join(' AND ')} ORDER BY l.id DESC LIMIT ?`,
      params,
    );
  }
}
