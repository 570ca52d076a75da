import { QueryTypes } from 'sequelize';
import { indexTokens } from '../../search/search-tokens';
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
      // The tokens the notes feature writes for a new note (src/notes/note-search-index.repository.ts).
      await sql.transaction(async (transaction) => {
        for (const row of rows) {
          const tokens = indexTokens(`${row.title} ${row.body}`).sort();
          for (let i = 0; i < tokens.length; i += 500) {
            const chunk = tokens.slice(i, i + 500);
            await sql.query(
              `INSERT INTO note_search_tokens (token, note_id) VALUES ${chunk.map(() => '(?, ?)').join(', ')}`,
              { replacements: chunk.flatMap((t) => [t, row.id]), transaction },
            );
            await sql.query(
              `INSERT IGNORE INTO note_search_terms (token) VALUES ${chunk.map(() => '(?)').join(', ')}`,
              { replacements: chunk, transaction },
            );
          }
        }
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
