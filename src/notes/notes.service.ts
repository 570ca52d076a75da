import type { Db } from '../db/db';
import type { Clock } from '../clock';
import type { Tx } from '../db/sql';
import { AppError } from '../http/app-error';
import { hasRole, type AuthContext } from '../http/auth-context';
import { decodeCursor, pageOf } from '../http/cursor';
import { newId } from '../ids';
import type { MediaLinks } from '../media';
import type { PointsLedger } from '../points';
import type { ModerationPolicies } from './moderation-policy';
import { NoteEarnings, type NotePublicationHooks } from './note-earnings';
import { NoteLikesRepository } from './note-likes.repository';
import { checkListingLinks } from './note-listings';
import { NoteListingsRepository } from './note-listings.repository';
import { NotesSearchRepository } from './notes-search.repository';
import { isCrossCultural, needsReview } from './note-rules';
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
  /** Told when a note is published or revoked (challenge bonuses). */
  publication?: NotePublicationHooks;
  /** The cultural buffer's policy, read by every note as it is posted or edited. */
  moderation: ModerationPolicies;
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
    listingIds: input.listingIds,
    ...(input.writtenAt ? { writtenAt: input.writtenAt } : {}),
  };
}

/** Notes, their likes and their moderation; every point they earn goes through the ledger. */
export class NotesService {
  private readonly notes: NotesRepository;
  private readonly likes: NoteLikesRepository;
  private readonly links: NoteListingsRepository;
  private readonly searchIndex: NotesSearchRepository;
  private readonly earnings: NoteEarnings;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    ledger: PointsLedger,
    private readonly settings: NotesSettings,
    private readonly media: MediaLinks,
  ) {
    this.notes = new NotesRepository(db);
    this.likes = new NoteLikesRepository(db);
    this.links = new NoteListingsRepository(db);
    this.searchIndex = new NotesSearchRepository(db);
    this.earnings = new NoteEarnings(this.notes, ledger, settings.notePoints, settings.publication);
  }

  /** The policy notes are held by; admins read and change it (src/notes/moderation.routes.ts). */
  get policies(): ModerationPolicies {
    return this.settings.moderation;
  }

  /** Idempotent on (author, clientId): a second call answers the first note, `created: false`. */
  async create(
    author: Author,
    input: CreateNoteInput,
  ): Promise<{ note: NoteView; created: boolean }> {
    // Insert first: a locking read of a row that does not exist yet would gap-lock the index,
    // and members posting their first notes at once then deadlock on each other's gaps.
    return this.db.transaction(async (transaction) => {
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
        await this.db.transaction((transaction) =>
          this.syncOne(transaction, author, input, `notes.${index}.images`),
        ),
      );
    }
    return results;
  }

  private async syncOne(
    transaction: Tx,
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
    await checkListingLinks(
      this.links,
      transaction,
      content.listingIds,
      contentOf(existing).listingIds,
      imagesParam.replace(/images$/, 'listingIds'),
    );
    // An edit passes the cultural buffer again; what the note earned stays until a moderator rejects it.
    const policy = await this.settings.moderation.current(transaction);
    const status: NoteStatus =
      existing.status === 'published' && needsReview(policy, author.country, content.cultureTags)
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
    transaction: Tx,
    author: Author,
    clientId: string,
    content: NoteContent,
    imagesParam: string,
  ): Promise<{ row: NoteRow; created: boolean }> {
    const now = this.now();
    const policy = await this.settings.moderation.current(transaction);
    const status: NoteStatus = needsReview(policy, author.country, content.cultureTags)
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
    await checkListingLinks(
      this.links,
      transaction,
      content.listingIds,
      [],
      imagesParam.replace(/images$/, 'listingIds'),
    );
    await this.media.attach(author.userId, content.images, transaction, imagesParam);
    if (status === 'published')
      await this.earnings.award(transaction, id, author.userId, content, now);
    return { row: (await this.notes.find(id, transaction))!, created: true };
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

  /** The author removes a note; what it earned goes back. Who cannot see it learns nothing. */
  async delete(caller: AuthContext, id: string): Promise<NoteView> {
    return this.db.transaction(async (transaction) => {
      const row = await this.notes.find(id, transaction);
      if (!row || !this.canSee(row, caller)) throw AppError.notFound('note');
      if (row.authorId !== caller.userId)
        throw AppError.forbidden('Only the author can delete a note.', 'not_author');
      await this.notes.setStatus(transaction, id, { status: 'deleted', now: this.now() });
      await this.earnings.revoke(transaction, row, this.now());
      return noteView((await this.notes.find(id, transaction))!);
    });
  }

  /** One like per member per note, never by its author; liking again changes nothing. */
  async like(memberId: string, noteId: string): Promise<LikeView> {
    return this.db.transaction(async (transaction) => {
      const row = await this.likeable(transaction, memberId, noteId);
      const now = this.now();
      if (await this.likes.insert(transaction, noteId, memberId, now)) {
        const granted = (await this.earnings.likeGranted(transaction, row, memberId, now)) ?? 0;
        if (granted > 0) await this.likes.setPoints(transaction, noteId, memberId, granted);
        await this.notes.addEarnings(transaction, noteId, { likes: granted, likeCount: 1 });
      }
      const after = (await this.notes.find(noteId, transaction))!;
      return { noteId, liked: true, likeCount: after.likeCount };
    });
  }

  /** Removes the member's like and takes back exactly what it earned; no like, no change. */
  async unlike(memberId: string, noteId: string): Promise<LikeView> {
    return this.db.transaction(async (transaction) => {
      const row = await this.notes.find(noteId, transaction);
      if (!row || row.status === 'deleted') throw AppError.notFound('note');
      if (row.authorId === memberId)
        throw AppError.forbidden('Authors cannot like their own notes.', 'own_note');
      const like = await this.likes.find(transaction, noteId, memberId);
      if (!like) {
        if (row.status !== 'published') throw AppError.notFound('note');
        return { noteId, liked: false, likeCount: row.likeCount };
      }
      await this.likes.delete(transaction, noteId, memberId);
      // A rejected note's earnings, its likes' included, were all taken back already.
      const taken = row.status === 'rejected' ? 0 : like.points;
      if (taken > 0) {
        await this.earnings.takeBackLike(transaction, row, memberId, taken, this.now());
      }
      await this.notes.addEarnings(transaction, noteId, { likes: -taken, likeCount: -1 });
      return { noteId, liked: false, likeCount: row.likeCount - 1 };
    });
  }

  /** The note, locked, if this member may (un)like it: published, and not their own. */
  private async likeable(transaction: Tx, memberId: string, noteId: string) {
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
