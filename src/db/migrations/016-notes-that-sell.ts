import type { Migration } from '../migrator';

const ID = 'VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin';

/**
 * Notes that sell and the cultural buffer as an operation: the listings a note links (a JSON
 * copy on the note for its view, and an index by listing for the seller's content impact), the
 * note an order came through, the moderation policy changed at run time (one row; the env only
 * seeds it) and the countries a moderator decides for.
 */
export const notesThatSell: Migration = {
  name: '016-notes-that-sell',
  async up({ context: sql }) {
    // Up to 5 ids of at most 40 characters, quoted and separated: 5 * 43 + 2.
    await sql.query(
      "ALTER TABLE notes ADD COLUMN listing_ids VARCHAR(220) CHARACTER SET ascii NOT NULL DEFAULT '[]'",
    );
    await sql.query(`CREATE TABLE note_listings (
      listing_id ${ID} NOT NULL,
      note_id ${ID} NOT NULL,
      PRIMARY KEY (listing_id, note_id),
      KEY note_listings_note (note_id)
    ) ENGINE=InnoDB`);
    await sql.query(
      `ALTER TABLE orders ADD COLUMN referring_note_id ${ID} NULL,
         ADD KEY orders_seller_note (seller_id, referring_note_id)`,
    );
    await sql.query(`CREATE TABLE moderation_policy (
      id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
      countries TEXT NOT NULL,
      tags TEXT NOT NULL,
      version INT UNSIGNED NOT NULL,
      updated_by ${ID} NULL,
      updated_at DATETIME(3) NOT NULL
    ) ENGINE=InnoDB`);
    await sql.query(`CREATE TABLE moderator_regions (
      user_id ${ID} NOT NULL,
      country CHAR(2) CHARACTER SET ascii NOT NULL,
      PRIMARY KEY (user_id, country)
    ) ENGINE=InnoDB`);
  },
  async down({ context: sql }) {
    await sql.query('DROP TABLE IF EXISTS moderator_regions');
    await sql.query('DROP TABLE IF EXISTS moderation_policy');
    await sql.query(
      'ALTER TABLE orders DROP KEY orders_seller_note, DROP COLUMN referring_note_id',
    );
    await sql.query('DROP TABLE IF EXISTS note_listings');
    await sql.query('ALTER TABLE notes DROP COLUMN listing_ids');
  },
};
