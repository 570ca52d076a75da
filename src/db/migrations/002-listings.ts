import type { Migration } from '../migrator';

const ID = 'VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin';

export const listings: Migration = {
  name: '002-listings',
  async up({ context: sql }) {
    // `item_condition`: CONDITION is a reserved word in MySQL.
    // Every equality filter of browsing has an index ending in id, so "newest first" is a walk
    // down one index that stops after a page; range filters (price) are checked on that walk.
    await sql.query(`CREATE TABLE listings (
      id ${ID} NOT NULL PRIMARY KEY,
      seller_id ${ID} NOT NULL,
      title VARCHAR(200) NOT NULL,
      description TEXT NOT NULL,
      price_amount BIGINT NOT NULL,
      currency CHAR(3) CHARACTER SET ascii NOT NULL,
      quantity INT NOT NULL,
      category VARCHAR(60) NOT NULL,
      item_condition VARCHAR(10) CHARACTER SET ascii NOT NULL,
      images TEXT NOT NULL,
      ships_to TEXT NOT NULL,
      ships_worldwide TINYINT(1) NOT NULL,
      status VARCHAR(10) CHARACTER SET ascii NOT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      CONSTRAINT listings_quantity_non_negative CHECK (quantity >= 0),
      KEY listings_status_id (status, id),
      KEY listings_status_category (status, category, id),
      KEY listings_status_condition (status, item_condition, id),
      KEY listings_status_currency (status, currency, id),
      KEY listings_seller (seller_id, status, id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await sql.query(`CREATE TABLE listing_ship_countries (
      country CHAR(2) CHARACTER SET ascii NOT NULL,
      listing_id ${ID} NOT NULL,
      PRIMARY KEY (country, listing_id),
      KEY listing_ship_countries_listing (listing_id)
    ) ENGINE=InnoDB`);
    // Inverted index for `q`: lower-cased words, and characters and bigrams of CJK runs. The
    // primary key orders each token's listings by id, so a query walks it newest first.
    await sql.query(`CREATE TABLE listing_search_tokens (
      token VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
      listing_id ${ID} NOT NULL,
      PRIMARY KEY (token, listing_id),
      KEY listing_search_tokens_listing (listing_id)
    ) ENGINE=InnoDB`);
    // Every distinct token once, so a prefix ("matcha bo") expands to whole tokens by a short range scan.
    await sql.query(`CREATE TABLE listing_search_terms (
      token VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY
    ) ENGINE=InnoDB`);
  },
  async down({ context: sql }) {
    await sql.query('DROP TABLE IF EXISTS listing_search_terms');
    await sql.query('DROP TABLE IF EXISTS listing_search_tokens');
    await sql.query('DROP TABLE IF EXISTS listing_ship_countries');
    await sql.query('DROP TABLE IF EXISTS listings');
  },
};
