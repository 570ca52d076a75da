import type { Db } from '../db/db';
import { selectPrepared } from '../db/sql';
import { likePrefix, type TokenSurvey } from './search-plan';

/** The two tables of one inverted index: postings (token, row id) and the vocabulary. */
export interface TokenTables {
  tokens: 'listing_search_tokens' | 'note_search_tokens';
  /** The postings' row id column: time-ordered ids, so id order is age order. */
  id: 'listing_id' | 'note_id';
  terms: 'listing_search_terms' | 'note_search_terms';
}

/**
 * `TokenIndex.survey` for one index, as one UNION ALL of short index reads: the prefix's whole
 * tokens from the vocabulary, and for each token (and the prefix) the row id `depth` deep in
 * its postings, newest first (the (token, id) key is in that order, so no sort and no
 * temporary table). `k` says what a row answers: -1 a term, i `tokens[i]`, `tokens.length`
 * the prefix.
 */
export async function surveyTokens(
  db: Db,
  tables: TokenTables,
  tokens: string[],
  prefix: string | null,
  limit: number,
  depth: number,
): Promise<TokenSurvey> {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (prefix !== null) {
    parts.push(
      `(SELECT -1 AS k, token AS value FROM ${tables.terms}
         WHERE token LIKE ? ESCAPE '!' ORDER BY token LIMIT ?)`,
    );
    params.push(likePrefix(prefix), limit);
  }
  if (depth > 0) {
    tokens.forEach((token, i) => {
      parts.push(
        `(SELECT ${i} AS k, ${tables.id} AS value FROM ${tables.tokens}
           WHERE token = ? ORDER BY ${tables.id} DESC LIMIT 1 OFFSET ?)`,
      );
      params.push(token, depth - 1);
    });
    // Read only when the prefix has one whole token, where (token, id) order is id order.
    if (prefix !== null) {
      parts.push(
        `(SELECT ${tokens.length} AS k, ${tables.id} AS value FROM ${tables.tokens}
           WHERE token LIKE ? ESCAPE '!' ORDER BY token DESC, ${tables.id} DESC LIMIT 1 OFFSET ?)`,
      );
      params.push(likePrefix(prefix), depth - 1);
    }
  }
  const survey: TokenSurvey = { terms: [], deepIds: tokens.map(() => null), prefixDeepId: null };
  if (parts.length === 0) return survey;
  const rows = await selectPrepared<{ k: number; value: string }>(
    db,
    parts.join(' UNION ALL '),
    params,
  );
  for (const row of rows) {
    const k = Number(row.k);
    if (k < 0) survey.terms.push(row.value);
    else if (k < tokens.length) survey.deepIds[k] = row.value;
    else survey.prefixDeepId = row.value;
  }
  return survey;
}
