import type { Sequelize } from 'sequelize';
import { selectOne, selectRows } from '../db/sql';
import { NOTE_COLUMNS, type NoteRow } from '../notes/notes.repository';
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

/** The notes of the feed, read for a Friday's random order or a ranked day. */
export class FeedRepository {
  constructor(private readonly sequelize: Sequelize) {}

  async publishedCount(): Promise<number> {
    const row = await selectOne<{ n: number }>(
      this.sequelize,
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
    const inRanges = ranges.map((r) => `n.feed_key BETWEEN ${r.from} AND ${r.to}`).join(' OR ');
    return selectRows<RandomRow>(
      this.sequelize,
      `SELECT ${NOTE_COLUMNS}, CAST(n.feed_key ^ ${key} AS CHAR) AS orderValue
         FROM notes n FORCE INDEX (notes_feed)
        WHERE n.status = 'published' AND (${inRanges}) AND (n.feed_key ^ ${key}) > ${after}
        ORDER BY n.feed_key ^ ${key} LIMIT ?`,
      [limit],
    );
  }

  /**
   * Published notes ranked as of `asOf` (what happened later does not move them, so pages
   * neither repeat nor skip). A note's score is its own freshness plus its likes, each decayed
   * by age, the likes divided by 1 + ln(1 + the likes the author's other notes received): a
   * popular author's new note is not carried by their name, an unknown's is not buried. Each
   * author's notes then come in tiers of two (their best two in tier 0, the next two in tier
   * 1...), so the first pages show everyone's best before anyone's third.
   */
  rankedPage(asOf: Date, after: RankedPosition | null, limit: number): Promise<RankedRow[]> {
    const cursor = after
      ? `WHERE r.tier > ? OR (r.tier = ? AND (r.score < ${SCORE} OR (r.score = ${SCORE} AND r.id < ?)))`
      : '';
    return selectRows<RankedRow>(
      this.sequelize,
      `WITH liked AS (
         SELECT l.note_id, COUNT(*) AS likes,
                SUM(EXP(? * TIMESTAMPDIFF(SECOND, ?, l.created_at))) AS heat
           FROM note_likes l WHERE l.created_at <= ? GROUP BY l.note_id),
       candidates AS (
         SELECT n.id, n.author_id, n.published_at, COALESCE(h.likes, 0) AS likes,
                COALESCE(h.heat, 0) AS heat
           FROM notes n LEFT JOIN liked h ON h.note_id = n.id
          WHERE n.status = 'published' AND n.published_at <= ?),
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
        DECAY,
        asOf,
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
