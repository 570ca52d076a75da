import type { Db } from '../db/db';
import { execute, type Tx } from '../db/sql';
import type { TokenIndex } from '../search/search-plan';
import { surveyTokens, type TokenTables } from '../search/token-survey.repository';
import { indexTokens, tokenBits } from '../search/search-tokens';

const LISTING_TOKENS: TokenTables = {
  tokens: 'listing_search_tokens',
  id: 'listing_id',
  terms: 'listing_search_terms',
};

/** The listing columns each posting carries a copy of (migration 018). */
const FILTER_COLUMNS = [
  'status',
  'category',
  'item_condition',
  'currency',
  'price_amount',
] as const;
const FILTERS = FILTER_COLUMNS.join(', ');
const FILTERS_OF_L = FILTER_COLUMNS.map((c) => `l.${c}`).join(', ');

/**
 * What browsing searches and filters on besides the listing row: its search tokens, the
 * vocabulary of every token ever indexed, and the countries it ships to.
 */
export class ListingSearchRepository implements TokenIndex {
  constructor(private readonly db: Db) {}

  /**
   * Copies the listing's browse filters onto its postings, in the transaction that changed
   * them (its status, category, condition or price), so a search walk reads them right.
   */
  async copyFilters(id: string, transaction: Tx): Promise<void> {
    await execute(
      this.db,
      `UPDATE listing_search_tokens t JOIN listings l ON l.id = t.listing_id
          SET ${FILTER_COLUMNS.map((c) => `t.${c} = l.${c}`).join(', ')}
        WHERE t.listing_id = ?`,
      [id],
      transaction,
    );
  }

  /**
   * Rewrites the search tokens (each with the listing's filters and token bits) and ship-to
   * countries of a listing, in the caller's transaction, after the listing row is written.
   */
  async index(
    id: string,
    text: { title: string; description: string },
    shipsTo: string[] | null,
    transaction: Tx,
  ): Promise<void> {
    await execute(
      this.db,
      'DELETE FROM listing_search_tokens WHERE listing_id = ?',
      [id],
      transaction,
    );
    // Sorted, so concurrent listings take the token rows' locks in one order.
    const tokens = [...indexTokens(`${text.title} ${text.description}`)].sort();
    const bits = tokenBits(tokens);
    for (let i = 0; i < tokens.length; i += 500) {
      const chunk = tokens.slice(i, i + 500);
      await execute(
        this.db,
        `INSERT INTO listing_search_tokens (token, listing_id, token_bits, ${FILTERS})
         SELECT v.token, l.id, ?, ${FILTERS_OF_L}
           FROM (${chunk.map(() => 'SELECT ? AS token').join(' UNION ALL ')}) v
           JOIN listings l ON l.id = ?`,
        [bits, ...chunk, id],
        transaction,
      );
      // The vocabulary only grows; a term whose listings are gone just expands to nothing.
      await execute(
        this.db,
        `INSERT IGNORE INTO listing_search_terms (token) VALUES ${chunk.map(() => '(?)').join(', ')}`,
        chunk,
        transaction,
      );
    }
    if (shipsTo === null) return;
    await execute(
      this.db,
      'DELETE FROM listing_ship_countries WHERE listing_id = ?',
      [id],
      transaction,
    );
    if (shipsTo.length > 0) {
      await execute(
        this.db,
        `INSERT INTO listing_ship_countries (country, listing_id) VALUES ${shipsTo.map(() => '(?, ?)').join(', ')}`,
        shipsTo.flatMap((c) => [c, id]),
        transaction,
      );
    }
  }

  survey(tokens: string[], prefix: string | null, limit: number, depth: number) {
    return surveyTokens(this.db, LISTING_TOKENS, tokens, prefix, limit, depth);
  }
}
