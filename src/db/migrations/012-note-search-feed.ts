import { QueryTypes } from 'sequelize';
import { indexNote } from '../../notes/note-search-index.repository';
import type { Migration } from '../migrator';

const ID = 'VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin';

/**
 * Notes searchable like listings (an inverted index of the same tokens, and its vocabulary for
 * prefixes), and the per-note random key of Friday's random feed (see src/feed/random-order.ts),
 * indexed with the status so a page of the feed is a few short range scans. Existing notes are
 * indexed and given their key here.
 */
export const noteSearchFeed: Migration = {
  name: '012-note-search-feed',
  async up({ context: sql }) {
    await sql.query(`CREATE TABLE note_search_tokens (
      token VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
      note_id ${ID} NOT NULL,
      PRIMARY KEY (token, note_id),
      KEY note_search_tokens_note (note_id)
    ) ENGINE=InnoDB`);
    await sql.query(`CREATE TABLE note_search_terms (
      token VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY
    ) ENGINE=InnoDB`);
    await sql.query('ALTER TABLE notes ADD COLUMN feed_key BIGINT UNSIGNED NOT NULL DEFAULT 0');
    // 64 random bits per note (SHA-2 of the id and RAND(): RAND() alone has only 53).
    await sql.query(
      'UPDATE notes SET feed_key = CAST(CONV(LEFT(SHA2(CONCAT(id, RAND()), 256), 16), 16, 10) AS UNSIGNED)',
    );
    await sql.query('ALTER TABLE notes ADD KEY notes_feed (status, feed_key)');
    let after = '';
    for (;;) {
      const rows = await sql.query<{ id: string; title: string; body: string }>(
        'SELECT id, title, body FROM notes WHERE id > ? ORDER BY id LIMIT 500',
        { replacements: [after], type: QueryTypes.SELECT },
      );
      if (rows.length === 0) break;
      await sql.transaction(async (transaction) => {
        for (const row of rows) await indexNote(sql, transaction, row.id, row, true);
      });
      after = rows[rows.length - 1]!.id;
    }
  },
  async down({ context: sql }) {
    await sql.query('ALTER TABLE notes DROP KEY notes_feed, DROP COLUMN feed_key');
    await sql.query('DROP TABLE IF EXISTS note_search_terms');
    await sql.query('DROP TABLE IF EXISTS note_search_tokens');
  },
};
