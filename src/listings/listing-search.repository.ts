import type { Sequelize } from 'sequelize';
import { execute, selectOne, selectRows, type Tx } from '../db/sql';
import type { TokenIndex } from '../search/search-plan';
import { indexTokens } from '../search/search-tokens';

/**
 * What browsing searches and filters on besides the listing row: its search tokens, the
 * vocabulary of every token ever indexed, and the countries it ships to.
 */
export class ListingSearchRepository implements TokenIndex {
  constructor(private readonly sequelize: Sequelize) {}

  /** Rewrites the search tokens and ship-to countries of a listing, in the caller's transaction. */
  async index(
    id: string,
    text: { title: string; description: string },
    shipsTo: string[] | null,
    transaction: Tx,
  ): Promise<void> {
    await execute(
      this.sequelize,
      'DELETE FROM listing_search_tokens WHERE listing_id = ?',
      [id],
      transaction,
    );
    // Sorted, so concurrent listings take the token rows' locks in one order.
    const tokens = [...indexTokens(`${text.title} ${text.description}`)].sort();
    for (let i = 0; i < tokens.length; i += 500) {
      const chunk = tokens.slice(i, i + 500);
      await execute(
        this.sequelize,
        `INSERT INTO listing_search_tokens (token, listing_id) VALUES ${chunk.map(() => '(?, ?)').join(', ')}`,
        chunk.flatMap((t) => [t, id]),
        transaction,
      );
      // The vocabulary only grows; a term whose listings are gone just expands to nothing.
      await execute(
        this.sequelize,
        `INSERT IGNORE INTO listing_search_terms (token) VALUES ${chunk.map(() => '(?)').join(', ')}`,
        chunk,
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

  /** How many listings carry a token, counted up to `cap` (an index range count). */
  async postings(token: string, cap: number): Promise<number> {
    const row = await selectOne<{ n: number }>(
      this.sequelize,
      'SELECT COUNT(*) AS n FROM (SELECT 1 FROM listing_search_tokens WHERE token = ? LIMIT ?) capped',
      [token, cap],
    );
    return Number(row?.n ?? 0);
  }

  /** Whole tokens that start with `prefix`, from the vocabulary table (a short range scan). */
  async expandPrefix(prefix: string, limit: number): Promise<string[]> {
    const rows = await selectRows<{ token: string }>(
      this.sequelize,
      "SELECT token FROM listing_search_terms WHERE token LIKE ? ESCAPE '!' ORDER BY token LIMIT ?",
      [`${prefix.replace(/[!%_]/g, '!$&')}%`, limit],
    );
    return rows.map((row) => row.token);
  }
}
