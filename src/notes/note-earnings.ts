import type { Tx } from '../db/sql';
import { likeAward, noteAward, type PointsLedger } from '../points';
import { isCrossCultural } from './note-rules';
import type { NoteContent, NoteRow, NotesRepository } from './notes.repository';

/** Told in the note's transaction when a note is published or revoked (challenge bonuses). */
export interface NotePublicationHooks {
  notePublished(
    transaction: Tx,
    note: { noteId: string; authorId: string; cultureTags: string[]; now: Date },
  ): Promise<void>;
  noteRevoked(
    transaction: Tx,
    note: { noteId: string; authorId: string; now: Date },
  ): Promise<void>;
}

/** What a note earns its author on publication, and takes back when revoked, via the ledger. */
export class NoteEarnings {
  constructor(
    private readonly notes: NotesRepository,
    private readonly ledger: PointsLedger,
    private readonly notePoints: number,
    private readonly hooks?: NotePublicationHooks,
  ) {}

  async award(
    transaction: Tx,
    noteId: string,
    authorId: string,
    content: NoteContent,
    now: Date,
  ): Promise<void> {
    const award = noteAward(
      this.notePoints,
      isCrossCultural(content.languages, content.cultureTags),
    );
    const granted = await this.ledger.earn(
      transaction,
      { memberId: authorId, reason: 'note_published', sourceId: noteId, now },
      award,
    );
    if (granted) await this.notes.addEarnings(transaction, noteId, { note: granted });
    await this.hooks?.notePublished(transaction, {
      noteId,
      authorId,
      cultureTags: content.cultureTags,
      now,
    });
  }

  async revoke(transaction: Tx, row: NoteRow, now: Date): Promise<void> {
    await this.hooks?.noteRevoked(transaction, { noteId: row.id, authorId: row.authorId, now });
    const earned = row.pointsAwarded + row.likePoints;
    if (earned <= 0) return;
    await this.ledger.takeBack(
      transaction,
      { memberId: row.authorId, reason: 'note_revoked', sourceId: row.id, now },
      earned,
    );
    await this.notes.clearEarnings(transaction, row.id);
  }

  /** What a removed like earned goes back. */
  takeBackLike(
    transaction: Tx,
    row: NoteRow,
    memberId: string,
    points: number,
    now: Date,
  ): Promise<number | null> {
    return this.ledger.takeBack(
      transaction,
      { memberId: row.authorId, reason: 'like_removed', sourceId: `${row.id}:${memberId}`, now },
      points,
    );
  }

  /** A like earns once per (liker, note), ever: unliking and liking again earns nothing. */
  likeGranted(transaction: Tx, row: NoteRow, memberId: string, now: Date): Promise<number | null> {
    return this.ledger.earn(
      transaction,
      { memberId: row.authorId, reason: 'like_received', sourceId: `${row.id}:${memberId}`, now },
      likeAward(row.likePoints),
    );
  }
}
