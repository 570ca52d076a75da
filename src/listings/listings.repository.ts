import type { Db } from '../db/db';
import { type Statement, type Tx, execute, selectOne, selectPrepared, selectRows } from '../db/sql';
import type { BrowseQuery } from './listings.schema';
import { likePrefix, type SearchPlan } from '../search/search-plan';
import { tokenBits } from '../search/search-tokens';

export interface ListingRow {
  id: string;
  sellerId: string;
  sellerName: string;
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
  /** Times as the API writes them: ISO 8601 in UTC with milliseconds (`isoTime`). */
  createdAt: string;
  updatedAt: string;
  /** The scheduled or live drop the listing shows; all null without one. */
  dropId: string | null;
  dropStatus: 'scheduled' | 'live' | null;
  dropStartsAt: string | null;
  dropEndsAt: string | null;
}

export type NewListing = Omit<
  ListingRow,
  'sellerName' | 'dropId' | 'dropStatus' | 'dropStartsAt' | 'dropEndsAt' | 'createdAt' | 'updatedAt'
> & { createdAt: Date; updatedAt: Date };

/** What a seller's own list filters on; `sold_out` is an active listing with nothing left to sell. */
export type OwnListingsFilter = 'active' | 'paused' | 'archived' | 'sold_out';

/**
 * A DATETIME(3) column (UTC) as `Date.toISOString` writes it, `2026-12-01T12:32:14.288Z`, or
 * NULL. The server formats it: reading a page's dates into Date objects only to write them
 * back out as text cost the API more CPU than the server spends formatting them.
 */
const isoTime = (column: string) =>
  `CONCAT(LEFT(DATE_FORMAT(${column}, '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z')`;

const VIEW_COLUMNS = [
  'l.id',
  'l.seller_id AS sellerId',
  'l.title',
  'l.description',
  'l.price_amount AS priceAmount',
  'l.currency',
  'l.quantity',
  'l.category',
  'l.item_condition AS `condition`',
  'l.images',
  'l.ships_to AS shipsTo',
  'l.status',
  `${isoTime('l.created_at')} AS createdAt`,
  `${isoTime('l.updated_at')} AS updatedAt`,
  "COALESCE(u.display_name, '') AS sellerName",
  'd.id AS dropId',
  'd.status AS dropStatus',
  `${isoTime('d.starts_at')} AS dropStartsAt`,
  `${isoTime('d.ends_at')} AS dropEndsAt`,
];
const COLUMNS = VIEW_COLUMNS.join(', ');

/**
 * What a listing shows besides its own row: the seller's name and its drop, each looked up by
 * primary key for the listings returned (a listing without a drop looks up nothing); outer
 * joins, so no plan changes, and no subquery per listing to find its drop. Naming the key
 * spares the optimiser weighing the drops' status indexes on every statement.
 */
const VIEW_JOINS = `LEFT JOIN users u FORCE INDEX (PRIMARY) ON u.id = l.seller_id
  LEFT JOIN drops d FORCE INDEX (PRIMARY) ON d.id = l.drop_id AND d.status IN ('live', 'scheduled')`;

export class ListingsRepository {
  constructor(private readonly db: Db) {}

  find(id: string, transaction?: Tx): Promise<ListingRow | undefined> {
    return selectOne<ListingRow>(
      this.db,
      `SELECT ${COLUMNS} FROM listings l ${VIEW_JOINS} WHERE l.id = ?`,
      [id],
      transaction,
    );
  }

  async insert(row: NewListing, transaction: Tx): Promise<void> {
    await execute(
      this.db,
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

  async update(id: string, fields: Record<string, unknown>, transaction: Tx): Promise<number> {
    const sets = Object.keys(fields).map((column) => `${column} = ?`);
    return execute(
      this.db,
      `UPDATE listings SET ${sets.join(', ')} WHERE id = ? AND status <> 'archived'`,
      [...Object.values(fields), id],
      transaction,
    );
  }

  /** The page `browseStatement` finds. */
  browse(
    query: BrowseQuery,
    search: SearchPlan,
    afterId: string | null,
    limit: number,
  ): Promise<ListingRow[]> {
    return selectPrepared<ListingRow>(
      this.db,
      ...this.browseStatement(query, search, afterId, limit),
    );
  }

  /**
   * A search for one word, taken as the prefix it is, in one round trip: the first two whole
   * tokens the word starts (from the vocabulary), and the page walking the word's own postings
   * finds. That page is the answer when the word is the one token it starts, as a finished
   * word usually is; otherwise the caller plans the search from the tokens.
   */
  async browseWord(
    query: BrowseQuery,
    word: string,
    afterId: string | null,
    limit: number,
  ): Promise<{ terms: string[]; rows: ListingRow[] }> {
    const search: SearchPlan = { exact: [word], anyOf: [], prefixes: [] };
    const [page, params] = this.browseStatement(
      query,
      search,
      afterId,
      limit,
      `${COLUMNS}, NULL AS term`,
    );
    const rows = await selectPrepared<ListingRow & { term: string | null }>(
      this.db,
      `(${page}) UNION ALL
       (SELECT ${VIEW_COLUMNS.map(() => 'NULL').join(', ')}, token FROM listing_search_terms
         WHERE token LIKE ? ESCAPE '!' ORDER BY token LIMIT 2)`,
      [...params, likePrefix(word)],
    );
    const terms = rows.flatMap((row) => (row.term === null ? [] : [row.term]));
    // A UNION promises no order across its parts: the page is put back newest first.
    const listings = rows.filter((row) => row.term === null).sort((a, b) => (a.id < b.id ? 1 : -1));
    return { terms, rows: listings };
  }

  /**
   * Active listings, newest first, keyset-paginated on the time-ordered id. The plan is chosen
   * here rather than left to the optimiser: with a search, the walk follows one token's
   * postings (of the category, when one is asked) in id order (`STRAIGHT_JOIN`), checks the
   * other filters on the copies each posting carries and the other tokens in the index, and
   * reads a listing only once it matches; without one, it walks the index of the most
   * selective equality filter. Either way it stops after a page. Prepared: the storefront
   * asks a few shapes of this statement again and again.
   */
  private browseStatement(
    query: BrowseQuery,
    search: SearchPlan,
    afterId: string | null,
    limit: number,
    columns = COLUMNS,
  ): Statement {
    const [driver, ...others] = search.exact;
    // Where the walk reads the filters and the listing id: the posting, or the listing row.
    const f = driver === undefined ? 'l' : 't0';
    const id = driver === undefined ? 'l.id' : 't0.listing_id';
    const where = [`${f}.status = 'active'`];
    const params: unknown[] = [];
    const add = (clause: string, ...values: unknown[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (query.category) add(`${f}.category = ?`, query.category);
    if (query.condition) add(`${f}.item_condition = ?`, query.condition);
    if (query.currency) add(`${f}.currency = ?`, query.currency);
    if (query.minPrice !== undefined) add(`${f}.price_amount >= ?`, query.minPrice);
    if (query.maxPrice !== undefined) add(`${f}.price_amount <= ?`, query.maxPrice);
    if (query.sellerId) add('l.seller_id = ?', query.sellerId);
    // A LEFT JOIN on the (country, listing) key is one lookup per row walked; an EXISTS here
    // gets rewritten into materialising every listing of the country.
    const shipJoin = query.shipsTo
      ? 'LEFT JOIN listing_ship_countries c ON c.country = ? AND c.listing_id = l.id'
      : '';
    if (query.shipsTo) where.push('(l.ships_worldwide = 1 OR c.listing_id IS NOT NULL)');
    for (const terms of search.anyOf) {
      add(
        `EXISTS (SELECT 1 FROM listing_search_tokens a WHERE a.listing_id = ${id} AND a.token IN (${terms.map(() => '?').join(', ')}))`,
        ...terms,
      );
    }
    for (const prefix of search.prefixes) {
      add(
        `EXISTS (SELECT 1 FROM listing_search_tokens p WHERE p.listing_id = ${id} AND p.token LIKE ? ESCAPE '!')`,
        `${prefix.replace(/[!%_]/g, '!$&')}%`,
      );
    }
    if (driver === undefined) {
      if (afterId) add('l.id < ?', afterId);
      return [
        `SELECT ${columns} FROM listings l FORCE INDEX (${browseIndex(query)}) ${shipJoin} ${VIEW_JOINS}
          WHERE ${where.join(' AND ')} ORDER BY l.id DESC LIMIT ?`,
        [...(query.shipsTo ? [query.shipsTo] : []), ...params, limit],
      ];
    }
    // The posting's Bloom filter of its listing's tokens rules out most rows lacking the
    // other tokens before they are looked up.
    if (others.length > 0) {
      // Sent as text, cast by the server: mysql2's typed 64-bit values cost the client more.
      const bits = tokenBits(others).toString();
      add('(t0.token_bits & CAST(? AS UNSIGNED)) = CAST(? AS UNSIGNED)', bits, bits);
    }
    const joins = others.map(
      (_, i) =>
        `JOIN listing_search_tokens t${i + 1} ON t${i + 1}.token = ? AND t${i + 1}.listing_id = t0.listing_id`,
    );
    const cursor = afterId ? 'AND t0.listing_id < ?' : '';
    // With a category, the walk reads only that category's postings (migration 020).
    const postings = query.category
      ? 'listing_search_tokens t0 FORCE INDEX (listing_search_tokens_category)'
      : 'listing_search_tokens t0';
    return [
      `SELECT STRAIGHT_JOIN ${columns}
         FROM ${postings} ${joins.join(' ')}
         JOIN listings l ON l.id = t0.listing_id ${shipJoin} ${VIEW_JOINS}
        WHERE t0.token = ? ${cursor} AND ${where.join(' AND ')}
        ORDER BY t0.listing_id DESC LIMIT ?`,
      [
        ...others,
        ...(query.shipsTo ? [query.shipsTo] : []),
        driver,
        ...(afterId ? [afterId] : []),
        ...params,
        limit,
      ],
    ];
  }

  /** A seller's own listings, any status, newest first (the seller index, keyset on id). */
  listOwn(
    sellerId: string,
    filter: OwnListingsFilter | undefined,
    afterId: string | null,
    limit: number,
  ): Promise<ListingRow[]> {
    const where = ['l.seller_id = ?'];
    const params: unknown[] = [sellerId];
    if (filter === 'sold_out') where.push("l.status = 'active' AND l.quantity = 0");
    else if (filter) {
      where.push('l.status = ?');
      params.push(filter);
    }
    if (afterId) {
      where.push('l.id < ?');
      params.push(afterId);
    }
    return selectRows<ListingRow>(
      this.db,
      `SELECT ${COLUMNS} FROM listings l FORCE INDEX (listings_seller) ${VIEW_JOINS}
        WHERE ${where.join(' AND ')} ORDER BY l.id DESC LIMIT ?`,
      [...params, limit],
    );
  }
}

/**
 * Takes units with the COMMIT, for a listing locked and checked in this transaction; the
 * CHECK (quantity >= 0) still refuses, and so undoes the whole order, if that were wrong.
 */
export function takeListingStockAtCommit(
  listingId: string,
  quantity: number,
  transaction: Tx,
): void {
  transaction.atCommit([
    'UPDATE listings SET quantity = quantity - ? WHERE id = ?',
    [quantity, listingId],
  ]);
}

/**
 * Gives units back to a listing, whatever its status (a paused listing still owns its stock);
 * answers how many rows changed.
 */
export function returnListingStock(
  db: Db,
  listingId: string,
  quantity: number,
  transaction: Tx,
): Promise<number> {
  return execute(
    db,
    'UPDATE listings SET quantity = quantity + ? WHERE id = ?',
    [quantity, listingId],
    transaction,
  );
}

/**
 * Sets a new drop's units aside from an active listing that has them; the listing shows this
 * drop unless it already shows an earlier one. Answers 1 if taken, 0 if not.
 */
export function setListingStockAsideForDrop(
  db: Db,
  listingId: string,
  dropId: string,
  units: number,
  transaction: Tx,
): Promise<number> {
  return execute(
    db,
    `UPDATE listings SET quantity = quantity - ?, drop_id = COALESCE(drop_id, ?)
      WHERE id = ? AND status = 'active' AND quantity >= ?`,
    [units, dropId, listingId, units],
    transaction,
  );
}

/**
 * A finished drop stops being the one its listing shows: the listing points at its next
 * scheduled or live drop, if it has one. In the transaction that finishes the drop.
 */
export async function showNextDrop(
  db: Db,
  listingId: string,
  finishedDropId: string,
  transaction: Tx,
): Promise<void> {
  await execute(
    db,
    `UPDATE listings SET drop_id = (
        SELECT d.id FROM drops d
         WHERE d.listing_id = ? AND d.id <> ? AND d.status IN ('live', 'scheduled')
         ORDER BY d.starts_at LIMIT 1)
      WHERE id = ? AND drop_id = ?`,
    [listingId, finishedDropId, listingId, finishedDropId],
    transaction,
  );
}

/** The index whose order is "newest first" among rows of the most selective equality filter. */
function browseIndex(query: BrowseQuery): string {
  if (query.sellerId) return 'listings_seller';
  if (query.category) return 'listings_status_category';
  if (query.condition) return 'listings_status_condition';
  if (query.currency) return 'listings_status_currency';
  return 'listings_status_id';
}
