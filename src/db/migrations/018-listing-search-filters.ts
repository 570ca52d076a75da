import type { Migration } from '../migrator';

/**
 * Each search posting carries its listing's browse filters (status, category, condition,
 * currency, price), kept equal to the listing's in the transaction that writes either. A
 * search with filters then checks them on the postings it walks, in token order, and reads a
 * listing row only for a match, instead of one row per posting.
 */
export const listingSearchFilters: Migration = {
  name: '018-listing-search-filters',
  async up({ context: sql }) {
    // Same types and collations as the listings columns, so a filter compares alike on both.
    await sql.query(`ALTER TABLE listing_search_tokens
      ADD COLUMN status VARCHAR(10) CHARACTER SET ascii NOT NULL DEFAULT '',
      ADD COLUMN category VARCHAR(60) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT '',
      ADD COLUMN item_condition VARCHAR(10) CHARACTER SET ascii NOT NULL DEFAULT '',
      ADD COLUMN currency CHAR(3) CHARACTER SET ascii NOT NULL DEFAULT '',
      ADD COLUMN price_amount BIGINT NOT NULL DEFAULT 0`);
    await sql.query(`UPDATE listing_search_tokens t JOIN listings l ON l.id = t.listing_id
      SET t.status = l.status, t.category = l.category, t.item_condition = l.item_condition,
          t.currency = l.currency, t.price_amount = l.price_amount`);
    // No defaults from now on: a posting written without its listing's filters is refused.
    await sql.query(`ALTER TABLE listing_search_tokens
      ALTER COLUMN status DROP DEFAULT, ALTER COLUMN category DROP DEFAULT,
      ALTER COLUMN item_condition DROP DEFAULT, ALTER COLUMN currency DROP DEFAULT,
      ALTER COLUMN price_amount DROP DEFAULT`);
  },
  async down({ context: sql }) {
    await sql.query(`ALTER TABLE listing_search_tokens
      DROP COLUMN status, DROP COLUMN category, DROP COLUMN item_condition,
      DROP COLUMN currency, DROP COLUMN price_amount`);
  },
};
