import type { Db } from '../db/db';
import { selectRows } from '../db/sql';
import { likePrefix, planSearch, type SearchPlan, type TokenIndex } from '../search/search-plan';
import { surveyTokens, type TokenTables } from '../search/token-survey.repository';
import { decodeCursor } from '../http/cursor';
import { NOTE_COLUMNS, type NoteRow } from './notes.repository';
import type { ListNotesQuery } from './notes.schema';

export interface NoteSearch {
  plan: SearchPlan;
  /** Signed in: their own notes (but deleted ones) are found too, whatever their status. */
  viewerId: string | null;
  authorId?: string;
  tag?: string;
  afterId: string | null;
  limit: number;
}

const NOTE_TOKENS: TokenTables = {
  tokens: 'note_search_tokens',
  id: 'note_id',
  terms: 'note_search_terms',
};

/** `q` over notes' title and body, through the note_search_tokens inverted index. */
export class NotesSearchRepository implements TokenIndex {
  constructor(private readonly db: Db) {}

  /** A `limit + 1` fetch of the notes matching `q`; none when it cannot match anything. */
  async find(query: ListNotesQuery, q: string, viewerId: string | null): Promise<NoteRow[]> {
    const afterId = decodeCursor(query.cursor);
    const plan = await planSearch(q, this);
    if (plan === null) return [];
    return this.search({
      plan,
      viewerId,
      authorId: query.authorId,
      tag: query.tag,
      afterId,
      limit: query.limit + 1,
    });
  }

  survey(tokens: string[], prefix: string | null, limit: number, depth: number) {
    return surveyTokens(this.db, NOTE_TOKENS, tokens, prefix, limit, depth);
  }

  /**
   * Matching notes the viewer may see, newest first, keyset on id. With an exact token the
   * walk follows its postings in id order (`STRAIGHT_JOIN`) and checks the rest per row.
   */
  search(query: NoteSearch): Promise<NoteRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, ...values: unknown[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (query.viewerId)
      add(
        "(n.status = 'published' OR (n.author_id = ? AND n.status <> 'deleted'))",
        query.viewerId,
      );
    else where.push("n.status = 'published'");
    if (query.authorId) add('n.author_id = ?', query.authorId);
    if (query.tag !== undefined)
      add('EXISTS (SELECT 1 FROM note_tags g WHERE g.tag = ? AND g.note_id = n.id)', query.tag);
    for (const terms of query.plan.anyOf)
      add(
        'EXISTS (SELECT 1 FROM note_search_tokens a WHERE a.note_id = n.id AND a.token IN (?))',
        terms,
      );
    for (const prefix of query.plan.prefixes)
      add(
        "EXISTS (SELECT 1 FROM note_search_tokens p WHERE p.note_id = n.id AND p.token LIKE ? ESCAPE '!')",
        likePrefix(prefix),
      );
    const [driver, ...others] = query.plan.exact;
    if (driver === undefined) {
      if (query.afterId) add('n.id < ?', query.afterId);
      return selectRows<NoteRow>(
        this.db,
        `SELECT ${NOTE_COLUMNS} FROM notes n WHERE ${where.join(' AND ')} ORDER BY n.id DESC LIMIT ?`,
        [...params, query.limit],
      );
    }
    const joins = others.map(
      (_, i) =>
        `JOIN note_search_tokens t${i + 1} ON t${i + 1}.token = ? AND t${i + 1}.note_id = t0.note_id`,
    );
    const cursor = query.afterId ? 'AND t0.note_id < ?' : '';
    return selectRows<NoteRow>(
      this.db,
      `SELECT STRAIGHT_JOIN ${NOTE_COLUMNS}
         FROM note_search_tokens t0 ${joins.join(' ')}
         JOIN notes n ON n.id = t0.note_id
        WHERE t0.token = ? ${cursor} AND ${where.join(' AND ')}
        ORDER BY t0.note_id DESC LIMIT ?`,
      [...others, driver, ...(query.afterId ? [query.afterId] : []), ...params, query.limit],
    );
  }
}
