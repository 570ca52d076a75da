import type { Db } from '../db/db';
import { execute, selectOne, selectRows, type Tx } from '../db/sql';
import type { ExplanationStatus, ExplanationView, TermView } from './glossary.schema';

export interface TermRow {
  id: string;
  term: string;
  termKey: string;
  language: string;
  publishedCount: number;
  createdAt: Date;
}

export interface ExplanationRow {
  id: string;
  termId: string;
  term: string;
  authorId: string;
  authorName: string | null;
  language: string;
  text: string;
  status: ExplanationStatus;
  voteCount: number;
  pointsAwarded: number;
  rejectReason: string | null;
  publishedAt: Date | null;
  createdAt: Date;
}

const TERM_COLUMNS = `t.id, t.term, t.term_key AS termKey, t.language,
  t.published_count AS publishedCount, t.created_at AS createdAt`;

const EXPLANATION_COLUMNS = `e.id, e.term_id AS termId, t.term, e.author_id AS authorId,
  (SELECT u.display_name FROM users u WHERE u.id = e.author_id) AS authorName, e.language, e.text,
  e.status, e.vote_count AS voteCount, e.points_awarded AS pointsAwarded,
  e.reject_reason AS rejectReason, e.published_at AS publishedAt, e.created_at AS createdAt`;

export function toTermView(row: TermRow): TermView {
  return {
    id: row.id,
    term: row.term,
    language: row.language,
    explanationCount: row.publishedCount,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toExplanationView(row: ExplanationRow, votedByMe: boolean): ExplanationView {
  return {
    id: row.id,
    term: row.term,
    authorId: row.authorId,
    authorName: row.authorName,
    language: row.language,
    text: row.text,
    status: row.status,
    voteCount: row.voteCount,
    votedByMe,
    rejectReason: row.rejectReason,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Plain rows of the glossary tables; with a transaction, the rows read are locked. */
export class GlossaryRepository {
  constructor(private readonly db: Db) {}

  findTerm(key: string, transaction?: Tx) {
    return selectOne<TermRow>(
      this.db,
      `SELECT ${TERM_COLUMNS} FROM glossary_terms t WHERE t.term_key = ?${transaction ? ' FOR UPDATE' : ''}`,
      [key],
      transaction,
    );
  }

  /** true if this call made the term; false if its key exists. */
  async insertTerm(
    transaction: Tx,
    term: { id: string; term: string; key: string; language: string; createdBy: string; now: Date },
  ): Promise<boolean> {
    const inserted = await execute(
      this.db,
      `INSERT INTO glossary_terms (id, term, term_key, language, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id`,
      [term.id, term.term, term.key, term.language, term.createdBy, term.now],
      transaction,
    );
    return inserted === 1;
  }

  /** Newest first; `keyPart` keeps the terms whose key contains it. */
  listTerms(keyPart: string | null, afterId: string | null, limit: number) {
    const where: string[] = [];
    const params: unknown[] = [];
    if (keyPart) {
      where.push("t.term_key LIKE CONCAT('%', ?, '%')");
      params.push(keyPart.replace(/[\\%_]/g, (ch) => `\\${ch}`));
    }
    if (afterId) {
      where.push('t.id < ?');
      params.push(afterId);
    }
    params.push(limit);
    return selectRows<TermRow>(
      this.db,
      `SELECT ${TERM_COLUMNS} FROM glossary_terms t ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY t.id DESC LIMIT ?`,
      params,
    );
  }

  /** The terms notes list: those with a published explanation. */
  listedTerms() {
    return selectRows<{ term: string; language: string }>(
      this.db,
      'SELECT term, language FROM glossary_terms WHERE published_count > 0',
      [],
    );
  }

  async listedVersion(): Promise<number> {
    const row = await selectOne<{ version: number }>(
      this.db,
      'SELECT version FROM glossary_version WHERE id = 1',
      [],
    );
    return Number(row?.version ?? 0);
  }

  /** Published explanations, and the viewer's own in any status; best voted first. */
  explanationsOf(termId: string, viewerId: string | null) {
    return selectRows<ExplanationRow>(
      this.db,
      `SELECT ${EXPLANATION_COLUMNS} FROM glossary_explanations e JOIN glossary_terms t ON t.id = e.term_id
        WHERE e.term_id = ? AND (e.status = 'published' OR e.author_id = ?)
        ORDER BY e.status = 'published' DESC, e.vote_count DESC, e.id ASC LIMIT 200`,
      [termId, viewerId ?? ''],
    );
  }

  async votedBy(memberId: string, explanationIds: string[]): Promise<Set<string>> {
    if (explanationIds.length === 0) return new Set();
    const rows = await selectRows<{ explanationId: string }>(
      this.db,
      `SELECT explanation_id AS explanationId FROM glossary_votes
        WHERE member_id = ? AND explanation_id IN (?)`,
      [memberId, explanationIds],
    );
    return new Set(rows.map((row) => row.explanationId));
  }

  findExplanation(id: string, transaction?: Tx) {
    return selectOne<ExplanationRow>(
      this.db,
      `SELECT ${EXPLANATION_COLUMNS} FROM glossary_explanations e JOIN glossary_terms t ON t.id = e.term_id
        WHERE e.id = ?${transaction ? ' FOR UPDATE' : ''}`,
      [id],
      transaction,
    );
  }

  /** An explanation of the term by this author in this language that is not rejected. */
  findOpenExplanation(transaction: Tx, termId: string, authorId: string, language: string) {
    return selectOne<{ id: string }>(
      this.db,
      `SELECT id FROM glossary_explanations
        WHERE term_id = ? AND author_id = ? AND language = ? AND status <> 'rejected'`,
      [termId, authorId, language],
      transaction,
    );
  }

  async insertExplanation(
    transaction: Tx,
    row: {
      id: string;
      termId: string;
      authorId: string;
      language: string;
      text: string;
      status: ExplanationStatus;
      now: Date;
    },
  ): Promise<void> {
    await execute(
      this.db,
      `INSERT INTO glossary_explanations (id, term_id, author_id, language, text, status, published_at,
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.id,
        row.termId,
        row.authorId,
        row.language,
        row.text,
        row.status,
        row.status === 'published' ? row.now : null,
        row.now,
        row.now,
      ],
      transaction,
    );
  }

  async setStatus(
    transaction: Tx,
    id: string,
    change: { status: ExplanationStatus; now: Date; moderatorId: string; rejectReason?: string },
  ): Promise<void> {
    await execute(
      this.db,
      `UPDATE glossary_explanations SET status = ?, updated_at = ?, moderated_by = ?,
         published_at = IF(? = 'published', COALESCE(published_at, ?), published_at),
         reject_reason = COALESCE(?, reject_reason)
       WHERE id = ?`,
      [
        change.status,
        change.now,
        change.moderatorId,
        change.status,
        change.now,
        change.rejectReason ?? null,
        id,
      ],
      transaction,
    );
  }

  async setPointsAwarded(transaction: Tx, id: string, points: number): Promise<void> {
    await execute(
      this.db,
      'UPDATE glossary_explanations SET points_awarded = ? WHERE id = ?',
      [points, id],
      transaction,
    );
  }

  /**
   * One published explanation more or fewer for the term; when the term joins or leaves the set
   * notes list, the version every process's copy of that set is checked against moves too.
   */
  async changePublishedCount(transaction: Tx, termId: string, by: 1 | -1) {
    await execute(
      this.db,
      'UPDATE glossary_terms SET published_count = published_count + ? WHERE id = ?',
      [by, termId],
      transaction,
    );
    await execute(
      this.db,
      'UPDATE glossary_version SET version = version + 1 WHERE id = 1',
      [],
      transaction,
    );
  }

  /** The explanations waiting in the buffer: how many, and since when the longest-waiting one. */
  async pendingBacklog(): Promise<{ count: number; since: Date | null }> {
    const row = await selectOne<{ count: number; since: Date | null }>(
      this.db,
      `SELECT COUNT(*) AS count, MIN(updated_at) AS since FROM glossary_explanations
        WHERE status = 'pending_review'`,
      [],
    );
    return { count: Number(row?.count ?? 0), since: row?.since ?? null };
  }

  /** Newest first, by one status; `authorCountries` keeps those whose author lives there. */
  listForModeration(filter: {
    status: ExplanationStatus;
    /** Only explanations whose author lives in one of these countries (a moderator's regions). */
    authorCountries?: readonly string[];
    afterId: string | null;
    limit: number;
  }) {
    const where = ['e.status = ?'];
    const params: unknown[] = [filter.status];
    if (filter.authorCountries !== undefined) {
      where.push('EXISTS (SELECT 1 FROM users r WHERE r.id = e.author_id AND r.country IN (?))');
      params.push(filter.authorCountries);
    }
    if (filter.afterId) {
      where.push('e.id < ?');
      params.push(filter.afterId);
    }
    params.push(filter.limit);
    return selectRows<ExplanationRow>(
      this.db,
      `SELECT ${EXPLANATION_COLUMNS} FROM glossary_explanations e JOIN glossary_terms t ON t.id = e.term_id
        WHERE ${where.join(' AND ')} ORDER BY e.id DESC LIMIT ?`,
      params,
    );
  }

  /** true if this member had not voted for it yet. */
  async insertVote(transaction: Tx, explanationId: string, memberId: string, now: Date) {
    const inserted = await execute(
      this.db,
      `INSERT INTO glossary_votes (explanation_id, member_id, created_at) VALUES (?, ?, ?)
       ON DUPLICATE KEY UPDATE member_id = member_id`,
      [explanationId, memberId, now],
      transaction,
    );
    return inserted === 1;
  }

  async deleteVote(transaction: Tx, explanationId: string, memberId: string) {
    return (
      (await execute(
        this.db,
        'DELETE FROM glossary_votes WHERE explanation_id = ? AND member_id = ?',
        [explanationId, memberId],
        transaction,
      )) === 1
    );
  }

  async addVotes(transaction: Tx, explanationId: string, by: number): Promise<void> {
    await execute(
      this.db,
      'UPDATE glossary_explanations SET vote_count = vote_count + ? WHERE id = ?',
      [by, explanationId],
      transaction,
    );
  }
}
