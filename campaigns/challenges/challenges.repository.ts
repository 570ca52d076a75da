import type { Db, Transaction } from '../../src/db/db';
import { execute, selectOne, selectRows } from '../../src/db/sql';
import type { ChallengeView } from './challenges.schema';

export interface ChallengeRow {
  id: string;
  brandId: string;
  brandName: string | null;
  ownerId: string | null;
  title: string;
  tag: string;
  startsAt: Date;
  endsAt: Date;
  maxParticipants: number;
  participantCount: number;
  bonusPoints: number;
  createdAt: Date;
}

export interface ParticipantRow {
  memberId: string;
  displayName: string | null;
  joinedAt: Date;
  bonusNoteId: string | null;
  bonusPoints: number;
}

export interface EntryRow {
  noteId: string;
  authorId: string;
  authorName: string | null;
  title: string;
  publishedAt: Date;
}

const COLUMNS = `c.id, c.brand_id AS brandId, b.name AS brandName, b.owner_id AS ownerId, c.title,
  c.tag, c.starts_at AS startsAt, c.ends_at AS endsAt, c.max_participants AS maxParticipants,
  c.participant_count AS participantCount, c.bonus_points AS bonusPoints, c.created_at AS createdAt`;

export function toChallengeView(row: ChallengeRow, now: Date): ChallengeView {
  const at = now.getTime();
  return {
    id: row.id,
    brandId: row.brandId,
    brandName: row.brandName,
    title: row.title,
    tag: row.tag,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    status:
      at < row.startsAt.getTime() ? 'scheduled' : at < row.endsAt.getTime() ? 'open' : 'ended',
    maxParticipants: row.maxParticipants,
    participantCount: row.participantCount,
    bonusPoints: row.bonusPoints,
    createdAt: row.createdAt.toISOString(),
  };
}

/** An entry: a published note of the participant with the tag, after joining, in the window. */
const ENTRY_JOIN = `FROM challenge_participants p
  JOIN challenges c ON c.id = p.challenge_id
  JOIN note_tags t ON t.tag = c.tag
  JOIN notes n ON n.id = t.note_id AND n.author_id = p.member_id AND n.status = 'published'
    AND n.published_at >= p.joined_at AND n.published_at >= c.starts_at AND n.published_at < c.ends_at
  WHERE p.challenge_id = ?`;

export class ChallengesRepository {
  constructor(private readonly db: Db) {}

  async insert(row: Omit<ChallengeRow, 'brandName' | 'ownerId' | 'participantCount'>) {
    await execute(
      this.db,
      `INSERT INTO challenges (id, brand_id, title, tag, starts_at, ends_at, max_participants,
         participant_count, bonus_points, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
      [
        row.id,
        row.brandId,
        row.title,
        row.tag,
        row.startsAt,
        row.endsAt,
        row.maxParticipants,
        row.bonusPoints,
        row.createdAt,
      ],
    );
  }

  find(id: string, transaction?: Transaction) {
    return selectOne<ChallengeRow>(
      this.db,
      `SELECT ${COLUMNS} FROM challenges c LEFT JOIN brands b ON b.id = c.brand_id WHERE c.id = ?`,
      [id],
      transaction,
    );
  }

  list(filter: {
    brandId?: string;
    status?: 'scheduled' | 'open' | 'ended';
    now: Date;
    afterId: string | null;
    limit: number;
  }) {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status === 'scheduled') where.push('c.starts_at > ?');
    else if (filter.status === 'open') where.push('c.starts_at <= ? AND c.ends_at > ?');
    else if (filter.status === 'ended') where.push('c.ends_at <= ?');
    else where.push('c.ends_at > ?');
    params.push(filter.now);
    if (filter.status === 'open') params.push(filter.now);
    if (filter.brandId) {
      where.push('c.brand_id = ?');
      params.push(filter.brandId);
    }
    if (filter.afterId) {
      where.push('c.id < ?');
      params.push(filter.afterId);
    }
    params.push(filter.limit);
    return selectRows<ChallengeRow>(
      this.db,
      `SELECT ${COLUMNS} FROM challenges c LEFT JOIN brands b ON b.id = c.brand_id
        WHERE ${where.join(' AND ')} ORDER BY c.id DESC LIMIT ?`,
      params,
    );
  }

  /** true if this member was not taking part yet (the row is written, not yet counted). */
  async insertParticipant(
    transaction: Transaction,
    challengeId: string,
    memberId: string,
    now: Date,
  ): Promise<boolean> {
    const inserted = await execute(
      this.db,
      `INSERT INTO challenge_participants (challenge_id, member_id, joined_at) VALUES (?, ?, ?)
       ON DUPLICATE KEY UPDATE member_id = member_id`,
      [challengeId, memberId, now],
      transaction,
    );
    return inserted === 1;
  }

  /** Counts one participant more if there is room; false when the challenge is full. */
  async takeSeat(transaction: Transaction, challengeId: string): Promise<boolean> {
    const changed = await execute(
      this.db,
      `UPDATE challenges SET participant_count = participant_count + 1
        WHERE id = ? AND participant_count < max_participants`,
      [challengeId],
      transaction,
    );
    return changed === 1;
  }

  participant(challengeId: string, memberId: string, transaction?: Transaction) {
    return selectOne<ParticipantRow>(
      this.db,
      `SELECT p.member_id AS memberId, NULL AS displayName, p.joined_at AS joinedAt,
         p.bonus_note_id AS bonusNoteId, p.bonus_points AS bonusPoints
         FROM challenge_participants p WHERE p.challenge_id = ? AND p.member_id = ?`,
      [challengeId, memberId],
      transaction,
    );
  }

  participants(challengeId: string, limit: number) {
    return selectRows<ParticipantRow>(
      this.db,
      `SELECT p.member_id AS memberId, u.display_name AS displayName, p.joined_at AS joinedAt,
         p.bonus_note_id AS bonusNoteId, p.bonus_points AS bonusPoints
         FROM challenge_participants p LEFT JOIN users u ON u.id = p.member_id
        WHERE p.challenge_id = ? ORDER BY p.joined_at, p.member_id LIMIT ?`,
      [challengeId, limit],
    );
  }

  entries(challengeId: string, limit: number) {
    return selectRows<EntryRow>(
      this.db,
      `SELECT n.id AS noteId, n.author_id AS authorId, n.title, n.published_at AS publishedAt,
         (SELECT u.display_name FROM users u WHERE u.id = n.author_id) AS authorName
         ${ENTRY_JOIN} ORDER BY n.published_at DESC, n.id DESC LIMIT ?`,
      [challengeId, limit],
    );
  }

  async entryCount(challengeId: string): Promise<number> {
    const row = await selectOne<{ count: number }>(
      this.db,
      `SELECT COUNT(*) AS count ${ENTRY_JOIN}`,
      [challengeId],
    );
    return Number(row?.count ?? 0);
  }

  /**
   * The participations a note just published by its author enters: the author took part before
   * it was published, the challenge was open then, the note carries the tag and no entry of theirs
   * has earned the bonus yet. Locked: the bonus is decided on what the locks protect.
   */
  enteredBy(transaction: Transaction, authorId: string, tags: string[], publishedAt: Date) {
    if (tags.length === 0) return Promise.resolve([]);
    return selectRows<{ challengeId: string; bonusPoints: number }>(
      this.db,
      `SELECT p.challenge_id AS challengeId, c.bonus_points AS bonusPoints
         FROM challenge_participants p JOIN challenges c ON c.id = p.challenge_id
        WHERE p.member_id = ? AND c.tag IN (?) AND p.joined_at <= ? AND c.starts_at <= ?
          AND c.ends_at > ? AND p.bonus_note_id IS NULL
        FOR UPDATE`,
      [authorId, tags, publishedAt, publishedAt, publishedAt],
      transaction,
    );
  }

  async setBonus(
    transaction: Transaction,
    challengeId: string,
    memberId: string,
    bonus: { noteId: string | null; points: number },
  ): Promise<void> {
    await execute(
      this.db,
      `UPDATE challenge_participants SET bonus_note_id = ?, bonus_points = ?
        WHERE challenge_id = ? AND member_id = ?`,
      [bonus.noteId, bonus.points, challengeId, memberId],
      transaction,
    );
  }

  /** The participations whose bonus this note earned, locked. */
  earnedBy(transaction: Transaction, noteId: string) {
    return selectRows<{ challengeId: string; memberId: string; bonusPoints: number }>(
      this.db,
      `SELECT challenge_id AS challengeId, member_id AS memberId, bonus_points AS bonusPoints
         FROM challenge_participants WHERE bonus_note_id = ? FOR UPDATE`,
      [noteId],
      transaction,
    );
  }
}
