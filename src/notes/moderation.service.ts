import type { Db } from '../db/db';
import type { Clock } from '../clock';
import { AppError } from '../http/app-error';
import type { AuthContext } from '../http/auth-context';
import { decodeCursor, pageOf } from '../http/cursor';
import type { PointsLedger } from '../points';
import type { ModeratorRegions } from './moderator-regions';
import { NoteEarnings, type NotePublicationHooks } from './note-earnings';
import { contentOf, NotesRepository, type BufferBacklog, type NoteRow } from './notes.repository';
import type { NoteStatus, NoteView } from './notes.schema';
import { noteView } from './notes.service';

export type Decision = 'approve' | 'reject';

/** Told how long each note decided on out of the buffer had waited there (src/ops metrics). */
export type BufferWaitObserver = (decision: Decision, seconds: number) => void;

/** The cultural buffer's queue: moderators see and decide the notes of their regions. */
export class NoteModeration {
  private readonly notes: NotesRepository;
  private readonly earnings: NoteEarnings;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    ledger: PointsLedger,
    notePoints: number,
    private readonly regions: ModeratorRegions,
    publication?: NotePublicationHooks,
    /** How long each decided note waited in the buffer (/metrics). */
    private readonly observeWait: BufferWaitObserver = () => {},
  ) {
    this.notes = new NotesRepository(db);
    this.earnings = new NoteEarnings(this.notes, ledger, notePoints, publication);
  }

  async list(viewer: AuthContext, status: NoteStatus, cursor: string | undefined, limit: number) {
    const rows = await this.notes.list({
      status,
      authorCountries: await this.regions.scopeOf(viewer),
      afterId: decodeCursor(cursor),
      limit: limit + 1,
    });
    return pageOf(rows, limit, noteView);
  }

  /** What waits in the buffer now (/metrics), in every region. */
  backlog(): Promise<BufferBacklog> {
    return this.notes.pendingBacklog();
  }

  /** pending_review -> published: the note starts earning. */
  async approve(moderator: AuthContext, id: string): Promise<NoteView> {
    const regions = await this.regions.scopeOf(moderator);
    const { view, waited } = await this.db.transaction(async (transaction) => {
      const row = await this.notes.find(id, transaction);
      if (!row || row.status === 'deleted') throw AppError.notFound('note');
      await this.regions.checkAuthor(regions, row.authorId, 'note');
      if (row.status !== 'pending_review')
        throw AppError.conflict(
          'note_not_pending',
          `The note is ${row.status}, not pending review.`,
        );
      const now = this.now();
      await this.notes.setStatus(transaction, id, {
        status: 'published',
        now,
        moderatorId: moderator.userId,
      });
      await this.earnings.award(transaction, id, row.authorId, contentOf(row), now);
      return {
        view: noteView((await this.notes.find(id, transaction))!),
        waited: waitOf(row, now),
      };
    });
    this.observeWait('approve', waited);
    return view;
  }

  /** pending_review or published -> rejected, taking back everything the note earned. */
  async reject(moderator: AuthContext, id: string, reason: string): Promise<NoteView> {
    const regions = await this.regions.scopeOf(moderator);
    const { view, waited } = await this.db.transaction(async (transaction) => {
      const row = await this.notes.find(id, transaction);
      if (!row || row.status === 'deleted') throw AppError.notFound('note');
      await this.regions.checkAuthor(regions, row.authorId, 'note');
      if (row.status === 'rejected')
        throw AppError.conflict('note_already_rejected', 'The note is already rejected.');
      const now = this.now();
      await this.notes.setStatus(transaction, id, {
        status: 'rejected',
        now,
        moderatorId: moderator.userId,
        rejectReason: reason,
      });
      await this.earnings.revoke(transaction, row, now);
      const view = noteView((await this.notes.find(id, transaction))!);
      return { view, waited: row.status === 'pending_review' ? waitOf(row, now) : null };
    });
    // A published note taken down was not waiting in the buffer.
    if (waited !== null) this.observeWait('reject', waited);
    return view;
  }

  private now(): Date {
    return this.clock.now().toJSDate();
  }
}

/** A note waits from when it entered the buffer, or was last edited there (its updated_at). */
function waitOf(row: NoteRow, now: Date): number {
  return Math.max(0, (now.getTime() - row.updatedAt.getTime()) / 1000);
}
