import type { Db } from '../db/db';
import { execute, type Tx } from '../db/sql';
import { indexTokens } from '../search/search-tokens';

/** Rewrites the search tokens of one note (its title and body), in the caller's transaction. */
export async function indexNote(
  db: Db,
  transaction: Tx | undefined,
  id: string,
  text: { title: string; body: string },
  isNew = false,
): Promise<void> {
  // A new note has no rows yet: deleting would only gap-lock the end of the note_id index.
  if (!isNew)
    await execute(db, 'DELETE FROM note_search_tokens WHERE note_id = ?', [id], transaction);
  // Sorted, so concurrent writers take the token rows' locks in one order.
  const tokens = indexTokens(`${text.title} ${text.body}`).sort();
  for (let i = 0; i < tokens.length; i += 500) {
    const chunk = tokens.slice(i, i + 500);
    await execute(
      db,
      `INSERT INTO note_search_tokens (token, note_id) VALUES ${chunk.map(() => '(?, ?)').join(', ')}`,
      chunk.flatMap((t) => [t, id]),
      transaction,
    );
    // The vocabulary only grows; a term whose notes are gone just expands to nothing.
    await execute(
      db,
      `INSERT IGNORE INTO note_search_terms (token) VALUES ${chunk.map(() => '(?)').join(', ')}`,
      chunk,
      transaction,
    );
  }
}
