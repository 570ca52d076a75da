import type { Db } from '../db/db';
import { execute, selectOne, type Tx } from '../db/sql';

/** note_likes: one row per member who likes a note, with what that like earned its author. */
export class NoteLikesRepository {
  constructor(private readonly db: Db) {}

  find(transaction: Tx, noteId: string, memberId: string) {
    return selectOne<{ points: number }>(
      this.db,
      'SELECT points FROM note_likes WHERE note_id = ? AND member_id = ? FOR UPDATE',
      [noteId, memberId],
      transaction,
    );
  }

  /** true if this member had not liked the note yet. */
  async insert(transaction: Tx, noteId: string, memberId: string, now: Date) {
    const inserted = await execute(
      this.db,
      `INSERT INTO note_likes (note_id, member_id, points, created_at) VALUES (?, ?, 0, ?)
       ON DUPLICATE KEY UPDATE note_id = note_id`,
      [noteId, memberId, now],
      transaction,
    );
    return inserted === 1;
  }

  setPoints(transaction: Tx, noteId: string, memberId: string, points: number) {
    return execute(
      this.db,
      'UPDATE note_likes SET points = ? WHERE note_id = ? AND member_id = ?',
      [points, noteId, memberId],
      transaction,
    );
  }

  delete(transaction: Tx, noteId: string, memberId: string) {
    return execute(
      this.db,
      'DELETE FROM note_likes WHERE note_id = ? AND member_id = ?',
      [noteId, memberId],
      transaction,
    );
  }
}
