import type { Db } from '../db/db';
import { selectOne, selectRows } from '../db/sql';
import { NOTE_COLUMNS, type NoteRow } from '../notes';
import type { KeyRange } from './random-order';

export type RandomRow = NoteRow & { orderValue: string };
export type RankedRow = NoteRow & { tier: number; score: string };

/** Where a ranked page starts: after this (tier, score, id). */
export interface RankedPosition {
  tier: number;
  score: string;
  id: string;
}

/** How fast a like (or a note's own freshness) fades: its weight halves every 2 days. */
const HALF_LIFE_SECONDS = 2 * 24 * 3600;
const DECAY = Math.LN2 / HALF_LIFE_SECONDS;
/** A score from a cursor, compared as the exact decimal it was (a string would compare as a double). */
const SCORE = 'CAST(? AS DECIMAL(30, 15))';
/** How many of the newest notes the ranked feed ranks. */
export const RANKED_WINDOW = 1000;

/** The notes of the feed, read for a Friday's random order or a ranked day. */
export class FeedRepository {
  constructor(private readonly db: Db) {}

  async publishedCount(): Promise<number> {
    const row = await selectOne<{ n: number }>(
      this.db,
      "SELECT COUNT(*) AS n FROM notes WHERE status = 'published'",
      [],
    );
    return Number(row?.n ?? 0);
  }

  /**
   * Published notes whose key lies in `ranges`, with order value (`feed_key XOR key`) above
   * `after`, lowest first. The values are 64-bit and written into the SQL as digits (BigInts
   * made here, never input): bound as strings, MySQL would compare them as doubles.
   */
  randomPage(key: bigint, ranges: KeyRange[], after: bigint, limit: number): Promise<RandomRow[]> {
    const inRanges = ranges.map((r) => `k.feed_key BETWEEN ${r.from} AND ${r.to}`).join(' OR ');
    // The order is found on the index alone (covering: status, feed_key, id); only the page's
    // notes are then read whole.
    return selectRows<RandomRow>(
      this.db,
      `SELECT ${NOTE_COLUMNS}, CAST(r.v AS CHAR) AS orderValue
         FROM (SELECT k.id, k.feed_key ^ ${key} AS v FROM notes k FORCE INDEX (notes_feed)
                WHERE k.status = 'published' AND (${inRanges}) AND (k.feed_key ^ ${key}) > ${after}
                ORDER BY v LIMIT ?) r
         JOIN notes n ON n.id = r.id
        ORDER BY r.v`,
      [limit],
    );
  }

  /**
   * The newest RANKED_WINDOW notes published by `asOf`, ranked as of then (what happens later
   * does not move them, so pages neither repeat nor skip); the window keeps a page's cost
   * bounded whatever the number of notes (older ones stay in GET /v1/notes). A note's score is
   * its own freshness plus its likes, each decayed by age, the likes divided by 1 + ln(1 + the
   * likes the author's other notes in the window received): a popular author's new note is not
   * carried by their name, an unknown's is not buried. Each
   * author's notes then come in tiers of two (their best two in tier 0, the next two in tier
   * 1...), so the first pages show everyone's best before anyone's third.
   */
  rankedPage(asOf: Date, after: RankedPosition | null, limit: number): Promise<RankedRow[]> {
    const cursor = after
      ? `WHERE r.tier > ? OR (r.tier = ? AND (r.score < ${SCORE} OR (r.score = ${SCORE} AND r.id < ?)))`
      : '';
    return selectRows<RankedRow>(
      this.db,
      `WITH recent AS (
         SELECT w.id, w.author_id, w.published_at FROM notes w FORCE INDEX (notes_status)
          WHERE w.status = 'published' AND w.published_at <= ?
          ORDER BY w.id DESC LIMIT ${RANKED_WINDOW}),
       liked AS (
         SELECT l.note_id, COUNT(*) AS likes,
                SUM(EXP(? * TIMESTAMPDIFF(SECOND, ?, l.created_at))) AS heat
           FROM recent w JOIN note_likes l ON l.note_id = w.id AND l.created_at <= ?
          GROUP BY l.note_id),
       candidates AS (
         SELECT w.id, w.author_id, w.published_at, COALESCE(h.likes, 0) AS likes,
                COALESCE(h.heat, 0) AS heat
           FROM recent w LEFT JOIN liked h ON h.note_id = w.id),
       scored AS (
         SELECT c.id, c.author_id,
                CAST(EXP(? * TIMESTAMPDIFF(SECOND, ?, c.published_at))
                     + c.heat / (1 + LN(1 + SUM(c.likes) OVER (PARTITION BY c.author_id) - c.likes))
                  AS DECIMAL(30, 15)) AS score
           FROM candidates c),
       ranked AS (
         SELECT s.id, s.score,
                FLOOR((ROW_NUMBER() OVER (PARTITION BY s.author_id ORDER BY s.score DESC, s.id DESC) - 1) / 2) AS tier
           FROM scored s)
       SELECT ${NOTE_COLUMNS}, r.tier, CAST(r.score AS CHAR) AS score
         FROM (SELECT * FROM ranked r ${cursor}
                ORDER BY r.tier, r.score DESC, r.id DESC LIMIT ?) r
         JOIN notes n ON n.id = r.id
        ORDER BY r.tier, r.score DESC, r.id DESC`,
      [
        asOf,
        DECAY,
        asOf,
        asOf,
        DECAY,
        asOf,
        ...(after ? [after.tier, after.tier, after.score, after.score, after.id] : []),
        limit,
      ],
    );
  }
}
