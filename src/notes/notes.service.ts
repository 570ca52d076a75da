import type { Sequelize, Transaction } from 'sequelize';
import type { Clock } from '../clock';
import { retryingTransaction } from '../db/retry';
import { AppError } from '../http/app-error';
import { hasRole, type AuthContext } from '../http/auth-context';
import { decodeCursor, pageOf } from '../http/cursor';
import { newId } from '../ids';
import type { MediaLinks } from '../media/media-links';
import { likeAward, noteAward } from '../points/point-rules';
import type { PointsLedger } from '../points/points.ledger';
import { NotesSearchRepository } from './notes-search.repository';
import { isCrossCultural, needsReview, type ModerationPolicy } from './note-rules';
import {
  contentOf,
  isSameContent,
  NotesRepository,
  toNoteView,
  type NoteContent,
  type NoteRow,
} from './notes.repository';
import type {
  CreateNoteInput,
  LikeView,
  ListNotesQuery,
  NoteStatus,
  NoteView,
  SyncedNoteInput,
  SyncResult,
} from './notes.schema';

export interface NotesSettings {
  notePoints: number;
  moderation: ModerationPolicy;
}

/** The author as the notes feature needs them. */
type Author = Pick<AuthContext, 'userId' | 'country'>;

/** A note as every route answers it (before its photos are presented). */
export function noteView(row: NoteRow): NoteView {
  const content = contentOf(row);
  return toNoteView(row, isCrossCultural(content.languages, content.cultureTags));
}

function contentFrom(input: CreateNoteInput | SyncedNoteInput): NoteContent {
  return {
    title: input.title,
    body: input.body,
    languages: input.languages,
    cultureTags: input.cultureTags,
    images: input.images,
    ...(input.writtenAt ? { writtenAt: input.writtenAt } : {}),
  };
}

/** Notes, their likes and their moderation; every point they earn goes through the ledger. */
export class NotesService {
  private readonly notes: NotesRepository;
  private readonly searchIndex: NotesSearchRepository;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly clock: Clock,
    private readonly ledger: PointsLedger,
    private readonly settings: NotesSettings,
    private readonly media: MediaLinks,
  ) {
    this.notes = new NotesRepository(sequelize);
    this.searchIndex = new NotesSearchRepository(sequelize);
  }

  /** Idempotent on (author, clientId): a second call answers the first note, `created: false`. */
  async create(
    author: Author,
    input: CreateNoteInput,
  ): Promise<{ note: NoteView; created: boolean }> {
    // Insert first: a locking read of a row that does not exist yet would gap-lock the index,
    // and members posting their first notes at once then deadlock on each other's gaps.
    return retryingTransaction(this.sequelize, async (transaction) => {
      const { row, created } = await this.insert(
        transaction,
        author,
        input.clientId,
        contentFrom(input),
        'images',
      );
      return { note: noteView(row), created };
    });
  }

  /**
   * Notes written offline, each settled on its own: a new clientId creates, a known one with the
   * version it was edited on applies the edit, and a replay of either changes nothing. A stale
   * edit is a conflict for that note only.
   */
  async sync(author: Author, notes: SyncedNoteInput[]): Promise<SyncResult[]> {
    const results: SyncResult[] = [];
    for (const [index, input] of notes.entries()) {
      results.push(
        await retryingTransaction(this.sequelize, (transaction) =>
          this.syncOne(transaction, author, input, `notes.${index}.images`),
        ),
      );
    }
    return results;
  }

  private async syncOne(
    transaction: Transaction,
    author: Author,
    input: SyncedNoteInput,
    imagesParam: string,
  ): Promise<SyncResult> {
    const content = contentFrom(input);
    // A plain read first, then a lock only on a row that exists (no gap lock: see create()).
    const known = await this.notes.findByClientId(
      author.userId,
      input.clientId,
      transaction,
      false,
    );
    const existing = known
      ? await this.notes.findByClientId(author.userId, input.clientId, transaction)
      : undefined;
    if (!existing) {
      if (input.baseVersion !== undefined) {
        return {
          clientId: input.clientId,
          id: null,
          status: null,
          version: null,
          conflict: {
            code: 'unknown_note',
            message: 'No note with this clientId exists to edit; send it without baseVersion.',
            currentVersion: null,
          },
        };
      }
      const { row } = await this.insert(transaction, author, input.clientId, content, imagesParam);
      return this.result(row);
    }
    // A replay (of the create, or of an edit already applied) changes nothing.
    if (input.baseVersion === undefined || isSameContent(existing, content))
      return this.result(existing);
    if (existing.status === 'rejected' || existing.status === 'deleted') {
      return this.result(existing, {
        code: 'note_closed',
        message: `The note is ${existing.status} and can no longer be edited.`,
        currentVersion: existing.version,
      });
    }
    if (input.baseVersion !== existing.version) {
      return this.result(existing, {
        code: 'stale_version',
        message: `The note changed since version ${input.baseVersion}; it is at version ${existing.version}.`,
        currentVersion: existing.version,
      });
    }
    // An edit passes the cultural buffer again; what the note earned stays until a moderator rejects it.
    const status: NoteStatus =
      existing.status === 'published' &&
      needsReview(this.settings.moderation, author.country, content.cultureTags)
        ? 'pending_review'
        : existing.status;
    await this.media.attach(author.userId, content.images, transaction, imagesParam);
    await this.notes.updateContent(transaction, existing.id, content, status, this.now());
    return this.result((await this.notes.find(existing.id, transaction))!);
  }

  private result(row: NoteRow, conflict?: SyncResult['conflict']): SyncResult {
    return {
      clientId: row.clientId,
      id: row.id,
      status: row.status,
      version: row.version,
      ...(conflict ? { conflict } : {}),
    };
  }

  /** A new note: published and earning at once, or held in the cultural buffer. */
  private async insert(
    transaction: Transaction,
    author: Author,
    clientId: string,
    content: NoteContent,
    imagesParam: string,
  ): Promise<{ row: NoteRow; created: boolean }> {
    const now = this.now();
    const status: NoteStatus = needsReview(
      this.settings.moderation,
      author.country,
      content.cultureTags,
    )
      ? 'pending_review'
      : 'published';
    const id = newId('nte', now.getTime());
    const created = await this.notes.insert(
      transaction,
      { id, authorId: author.userId, clientId, status, now },
      content,
    );
    // This clientId was used before (a replay, or a twin request that won): answer that note.
    if (!created) {
      const row = await this.notes.findByClientId(author.userId, clientId, transaction);
      return { row: row!, created: false };
    }
    await this.media.attach(author.userId, content.images, transaction, imagesParam);
    if (status === 'published') await this.awardNote(transaction, id, author.userId, content);
    return { row: (await this.notes.find(id, transaction))!, created: true };
  }

  private async awardNote(
    transaction: Transaction,
    noteId: string,
    authorId: string,
    content: NoteContent,
  ): Promise<void> {
    const award = noteAward(
      this.settings.notePoints,
      isCrossCultural(content.languages, content.cultureTags),
    );
    const granted = await this.ledger.earn(
      transaction,
      { memberId: authorId, reason: 'note_published', sourceId: noteId, now: this.now() },
      award,
    );
    if (granted) await this.notes.addEarnings(transaction, noteId, { note: granted });
  }

  /** Published notes are public; others only to their author and to moderators. */
  async get(id: string, viewer: AuthContext | undefined): Promise<NoteView> {
    const row = await this.notes.find(id);
    if (!row || !this.canSee(row, viewer)) throw AppError.notFound('note');
    return noteView(row);
  }

  private canSee(row: NoteRow, viewer: AuthContext | undefined): boolean {
    if (row.status === 'published') return true;
    if (row.status === 'deleted') return false;
    return viewer?.userId === row.authorId || hasRole(viewer, 'moderator', 'admin');
  }

  /** Published notes; with `q`, those matching it that the viewer may see (their own too). */
  async list(query: ListNotesQuery, viewer?: AuthContext) {
    if (query.q !== undefined && query.q !== '')
      return pageOf(
        await this.searchIndex.find(query, query.q, viewer?.userId ?? null),
        query.limit,
        noteView,
      );
    const rows = await this.notes.list({
      status: 'published',
      authorId: query.authorId,
      tag: query.tag,
      afterId: decodeCursor(query.cursor),
      limit: query.limit + 1,
    });
    return pageOf(rows, query.limit, noteView);
  }

  async listForModeration(status: NoteStatus, cursor: string | undefined, limit: number) {
    const rows = await this.notes.list({ status, afterId: decodeCursor(cursor), limit: limit + 1 });
    return pageOf(rows, limit, noteView);
  }

  /** pending_review -> published: the note starts earning. */
  async approve(moderatorId: string, id: string): Promise<NoteView> {
    return retryingTransaction(this.sequelize, async (transaction) => {
      const row = await this.notes.find(id, transaction);
      if (!row || row.status === 'deleted') throw AppError.notFound('note');
      if (row.status !== 'pending_review')
        throw AppError.conflict(
          'note_not_pending',
          `The note is ${row.status}, not pending review.`,
        );
      await this.notes.setStatus(transaction, id, {
        status: 'published',
        now: this.now(),
        moderatorId,
      });
      await this.awardNote(transaction, id, row.authorId, contentOf(row));
      return noteView((await this.notes.find(id, transaction))!);
    });
  }

  /** pending_review or published -> rejected, taking back everything the note earned. */
  async reject(moderatorId: string, id: string, reason: string): Promise<NoteView> {
    return retryingTransaction(this.sequelize, async (transaction) => {
      const row = await this.notes.find(id, transaction);
      if (!row || row.status === 'deleted') throw AppError.notFound('note');
      if (row.status === 'rejected')
        throw AppError.conflict('note_already_rejected', 'The note is already rejected.');
      await this.notes.setStatus(transaction, id, {
        status: 'rejected',
        now: this.now(),
        moderatorId,
        rejectReason: reason,
      });
      await this.revokeEarnings(transaction, row);
      return noteView((await this.notes.find(id, transaction))!);
    });
  }

  /** The author removes a note; what it earned goes back. Who cannot see it learns nothing. */
  async delete(caller: AuthContext, id: string): Promise<NoteView> {
    return retryingTransaction(this.sequelize, async (transaction) => {
      const row = await this.notes.find(id, transaction);
      if (!row || !this.canSee(row, caller)) throw AppError.notFound('note');
      if (row.authorId !== caller.userId)
        throw AppError.forbidden('Only the author can delete a note.', 'not_author');
      await this.notes.setStatus(transaction, id, { status: 'deleted', now: this.now() });
      await this.revokeEarnings(transaction, row);
      return noteView((await this.notes.find(id, transaction))!);
    });
  }

  private async revokeEarnings(transaction: Transaction, row: NoteRow): Promise<void> {
    const earned = row.pointsAwarded + row.likePoints;
    if (earned <= 0) return;
    await this.ledger.takeBack(
      transaction,
      { memberId: row.authorId, reason: 'note_revoked', sourceId: row.id, now: this.now() },
      earned,
    );
    await this.notes.clearEarnings(transaction, row.id);
  }

  /** One like per member per note, never by its author; liking again changes nothing. */
  async like(memberId: string, noteId: string): Promise<LikeView> {
    return retryingTransaction(this.sequelize, async (transaction) => {
      const row = await this.likeable(transaction, memberId, noteId);
      const now = this.now();
      if (await this.notes.insertLike(transaction, noteId, memberId, now)) {
        // A like earns once per (liker, note), ever: unliking and liking again earns nothing.
        const granted =
          (await this.ledger.earn(
            transaction,
            {
              memberId: row.authorId,
              reason: 'like_received',
              sourceId: `${noteId}:${memberId}`,
              now,
            },
            likeAward(row.likePoints),
          )) ?? 0;
        if (granted > 0) await this.notes.setLikePoints(transaction, noteId, memberId, granted);
        await this.notes.addEarnings(transaction, noteId, { likes: granted, likeCount: 1 });
      }
      const after = (await this.notes.find(noteId, transaction))!;
      return { noteId, liked: true, likeCount: after.likeCount };
    });
  }

  /** Removes the member's like and takes back exactly what it earned; no like, no change. */
  async unlike(memberId: string, noteId: string): Promise<LikeView> {
    return retryingTransaction(this.sequelize, async (transaction) => {
      const row = await this.notes.find(noteId, transaction);
      if (!row || row.status === 'deleted') throw AppError.notFound('note');
      if (row.authorId === memberId)
        throw AppError.forbidden('Authors cannot like their own notes.', 'own_note');
      const like = await this.notes.findLike(transaction, noteId, memberId);
      if (!like) {
        if (row.status !== 'published') throw AppError.notFound('note');
        return { noteId, liked: false, likeCount: row.likeCount };
      }
      await this.notes.deleteLike(transaction, noteId, memberId);
      // A rejected note's earnings, its likes' included, were all taken back already.
      const taken = row.status === 'rejected' ? 0 : like.points;
      if (taken > 0) {
        await this.ledger.takeBack(
          transaction,
          {
            memberId: row.authorId,
            reason: 'like_removed',
            sourceId: `${noteId}:${memberId}`,
            now: this.now(),
          },
          taken,
        );
      }
      await this.notes.addEarnings(transaction, noteId, { likes: -taken, likeCount: -1 });
      return { noteId, liked: false, likeCount: row.likeCount - 1 };
    });
  }

  /** The note, locked, if this member may (un)like it: published, and not their own. */
  private async likeable(transaction: Transaction, memberId: string, noteId: string) {
    const row = await this.notes.find(noteId, transaction);
    if (!row || (row.status !== 'published' && row.authorId !== memberId))
      throw AppError.notFound('note');
    if (row.authorId === memberId)
      throw AppError.forbidden('Authors cannot like their own notes.', 'own_note');
    return row;
  }

  private now(): Date {
    return this.clock.now().toJSDate();
  }
}
