import type { Db } from '../db/db';
import { randomBytes } from 'node:crypto';
import { execute, selectOne, selectRows, type Tx } from '../db/sql';
import { NoteListingsRepository } from './note-listings.repository';
import { indexNote } from './note-search-index.repository';
import type { NoteStatus, NoteView } from './notes.schema';

/** Items waiting in the cultural buffer; `since`: when the longest-waiting one entered it. */
export interface BufferBacklog {
  count: number;
  since: Date | null;
}

export interface NoteRow {
  id: string;
  authorId: string;
  authorName: string | null;
  clientId: string;
  title: string;
  body: string;
  languages: string;
  cultureTags: string;
  images: string;
  /** JSON array of the listings the note links (at most 5). */
  listingIds: string;
  writtenAt: Date | null;
  status: NoteStatus;
  version: number;
  likeCount: number;
  pointsAwarded: number;
  likePoints: number;
  rejectReason: string | null;
  publishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What an author writes; the rest of a note is the server's. */
export interface NoteContent {
  title: string;
  body: string;
  languages: string[];
  cultureTags: string[];
  images: string[];
  listingIds: string[];
  writtenAt?: string;
}

export const NOTE_COLUMNS = `n.id, n.author_id AS authorId, n.client_id AS clientId, n.title, n.body, n.languages,
  n.culture_tags AS cultureTags, n.images, n.listing_ids AS listingIds, n.written_at AS writtenAt, n.status, n.version,
  n.like_count AS likeCount, n.points_awarded AS pointsAwarded, n.like_points AS likePoints,
  n.reject_reason AS rejectReason, n.published_at AS publishedAt, n.created_at AS createdAt,
  n.updated_at AS updatedAt, (SELECT u.display_name FROM users u WHERE u.id = n.author_id) AS authorName`;

export function contentOf(row: NoteRow): NoteContent {
  return {
    title: row.title,
    body: row.body,
    languages: JSON.parse(row.languages) as string[],
    cultureTags: JSON.parse(row.cultureTags) as string[],
    images: JSON.parse(row.images) as string[],
    listingIds: JSON.parse(row.listingIds) as string[],
    ...(row.writtenAt ? { writtenAt: row.writtenAt.toISOString() } : {}),
  };
}

/** An edit that changes nothing (a replayed sync) is recognised by its content. */
export function isSameContent(row: NoteRow, input: NoteContent): boolean {
  const current = contentOf(row);
  const written = (value: string | undefined) => (value ? new Date(value).getTime() : null);
  return (
    current.title === input.title &&
    current.body === input.body &&
    JSON.stringify(current.languages) === JSON.stringify(input.languages) &&
    JSON.stringify(current.cultureTags) === JSON.stringify(input.cultureTags) &&
    JSON.stringify(current.images) === JSON.stringify(input.images) &&
    JSON.stringify(current.listingIds) === JSON.stringify(input.listingIds) &&
    written(current.writtenAt) === written(input.writtenAt)
  );
}

export function toNoteView(row: NoteRow, isCrossCultural: boolean): NoteView {
  const content = contentOf(row);
  return {
    id: row.id,
    clientId: row.clientId,
    authorId: row.authorId,
    authorName: row.authorName,
    title: content.title,
    body: content.body,
    languages: content.languages,
    cultureTags: content.cultureTags,
    images: content.images,
    listingIds: content.listingIds,
    writtenAt: content.writtenAt ?? null,
    status: row.status,
    version: row.version,
    likeCount: row.likeCount,
    crossCultural: isCrossCultural,
    rejectReason: row.rejectReason,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** notes and their note_tags; a new or edited note's links and search tokens go with it. */
export class NotesRepository {
  private readonly links: NoteListingsRepository;

  constructor(private readonly db: Db) {
    this.links = new NoteListingsRepository(db);
  }

  /** With a transaction the row is locked (and read as committed, not from the snapshot). */
  find(id: string, transaction?: Tx) {
    return selectOne<NoteRow>(
      this.db,
      `SELECT ${NOTE_COLUMNS} FROM notes n WHERE n.id = ?${transaction ? ' FOR UPDATE' : ''}`,
      [id],
      transaction,
    );
  }

  /** Locked by default; `isLocking` false reads the snapshot and takes no lock at all. */
  findByClientId(authorId: string, clientId: string, transaction: Tx, isLocking = true) {
    return selectOne<NoteRow>(
      this.db,
      `SELECT ${NOTE_COLUMNS} FROM notes n WHERE n.author_id = ? AND n.client_id = ?${isLocking ? ' FOR UPDATE' : ''}`,
      [authorId, clientId],
      transaction,
    );
  }

  /** Inserts the note unless (author, clientId) exists; true if this call created it. */
  async insert(
    transaction: Tx,
    note: { id: string; authorId: string; clientId: string; status: NoteStatus; now: Date },
    content: NoteContent,
  ): Promise<boolean> {
    const created = await execute(
      this.db,
      `INSERT INTO notes (id, author_id, client_id, title, body, languages, culture_tags, images, listing_ids,
         written_at, status, version, published_at, created_at, updated_at, feed_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, CAST(? AS UNSIGNED)) ON DUPLICATE KEY UPDATE id = id`,
      [
        note.id,
        note.authorId,
        note.clientId,
        content.title,
        content.body,
        JSON.stringify(content.languages),
        JSON.stringify(content.cultureTags),
        JSON.stringify(content.images),
        JSON.stringify(content.listingIds),
        content.writtenAt ? new Date(content.writtenAt) : null,
        note.status,
        note.status === 'published' ? note.now : null,
        note.now,
        note.now,
        // The random feed's key: 64 random bits (src/feed/random-order.ts).
        randomBytes(8).readBigUInt64BE().toString(),
      ],
      transaction,
    );
    // A new note has no tags to replace: deleting first would gap-lock the end of the note_id
    // index, where every concurrent new note inserts, and they would deadlock.
    if (created === 1) {
      await this.insertTags(transaction, note.id, content.cultureTags);
      await this.links.insert(transaction, note.id, content.listingIds);
      await indexNote(this.db, transaction, note.id, content, true);
    }
    return created === 1;
  }

  async updateContent(
    transaction: Tx,
    id: string,
    content: NoteContent,
    status: NoteStatus,
    now: Date,
  ): Promise<void> {
    await execute(
      this.db,
      `UPDATE notes SET title = ?, body = ?, languages = ?, culture_tags = ?, images = ?, listing_ids = ?,
         written_at = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ?`,
      [
        content.title,
        content.body,
        JSON.stringify(content.languages),
        JSON.stringify(content.cultureTags),
        JSON.stringify(content.images),
        JSON.stringify(content.listingIds),
        content.writtenAt ? new Date(content.writtenAt) : null,
        status,
        now,
        id,
      ],
      transaction,
    );
    await this.replaceTags(transaction, id, content.cultureTags);
    await this.links.replace(transaction, id, content.listingIds);
    await indexNote(this.db, transaction, id, content);
  }

  /** The notes waiting in the buffer: how many, and since when the longest-waiting one. */
  async pendingBacklog(): Promise<BufferBacklog> {
    const row = await selectOne<{ count: number; since: Date | null }>(
      this.db,
      `SELECT COUNT(*) AS count, MIN(updated_at) AS since FROM notes WHERE status = 'pending_review'`,
      [],
    );
    return { count: Number(row?.count ?? 0), since: row?.since ?? null };
  }

  async setStatus(
    transaction: Tx,
    id: string,
    change: { status: NoteStatus; now: Date; moderatorId?: string; rejectReason?: string },
  ): Promise<void> {
    await execute(
      this.db,
      `UPDATE notes SET status = ?, updated_at = ?,
         published_at = IF(? = 'published', COALESCE(published_at, ?), published_at),
         moderated_by = COALESCE(?, moderated_by), reject_reason = COALESCE(?, reject_reason)
       WHERE id = ?`,
      [
        change.status,
        change.now,
        change.status,
        change.now,
        change.moderatorId ?? null,
        change.rejectReason ?? null,
        id,
      ],
      transaction,
    );
  }

  /** Adds to what the note earned its author (negative amounts take back). */
  async addEarnings(
    transaction: Tx,
    id: string,
    earned: { note?: number; likes?: number; likeCount?: number },
  ): Promise<void> {
    await execute(
      this.db,
      `UPDATE notes SET points_awarded = points_awarded + ?, like_points = like_points + ?,
         like_count = like_count + ? WHERE id = ?`,
      [earned.note ?? 0, earned.likes ?? 0, earned.likeCount ?? 0, id],
      transaction,
    );
  }

  /** A revoked note has earned nothing any more. */
  async clearEarnings(transaction: Tx, id: string): Promise<void> {
    await execute(
      this.db,
      'UPDATE notes SET points_awarded = 0, like_points = 0 WHERE id = ?',
      [id],
      transaction,
    );
  }

  private async replaceTags(transaction: Tx, id: string, tags: string[]) {
    await execute(this.db, 'DELETE FROM note_tags WHERE note_id = ?', [id], transaction);
    await this.insertTags(transaction, id, tags);
  }

  private async insertTags(transaction: Tx, id: string, tags: string[]) {
    if (tags.length === 0) return;
    await execute(
      this.db,
      `INSERT INTO note_tags (tag, note_id) VALUES ${tags.map(() => '(?, ?)').join(', ')}`,
      tags.flatMap((tag) => [tag, id]),
      transaction,
    );
  }

  /** Newest first, by one status; filtered by author or tag through their own indexes. */
  list(filter: {
    status: NoteStatus;
    authorId?: string;
    tag?: string;
    /** Only notes whose author lives in one of these countries (a moderator's regions). */
    authorCountries?: readonly string[];
    afterId: string | null;
    limit: number;
  }): Promise<NoteRow[]> {
    const where = ['n.status = ?'];
    const params: unknown[] = [filter.status];
    let from = 'notes n';
    if (filter.tag !== undefined) {
      from = 'note_tags t JOIN notes n ON n.id = t.note_id';
      where.unshift('t.tag = ?');
      params.unshift(filter.tag);
    }
    if (filter.authorId !== undefined) {
      where.push('n.author_id = ?');
      params.push(filter.authorId);
    }
    if (filter.authorCountries !== undefined) {
      where.push('EXISTS (SELECT 1 FROM users r WHERE r.id = n.author_id AND r.country IN (?))');
      params.push(filter.authorCountries);
    }
    if (filter.afterId) {
      where.push('n.id < ?');
      params.push(filter.afterId);
    }
    params.push(filter.limit);
    return selectRows<NoteRow>(
      this.db,
      `SELECT ${NOTE_COLUMNS} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY n.id DESC LIMIT ?`,
      params,
    );
  }
}
