import type { Db } from '../db/db';
import { execute, selectOne, selectRows, type Tx } from '../db/sql';
import type { PointReason } from './point-rules';

export interface PointEntryRow {
  id: string;
  memberId: string;
  amount: number;
  reason: PointReason;
  sourceId: string;
  createdAt: Date;
}

export interface NewPointEntry {
  id: string;
  memberId: string;
  amount: number;
  reason: PointReason;
  sourceId: string;
  createdAt: Date;
}

/** point_balances, point_days and point_entries: the ledger's rows. */
export class PointsRepository {
  constructor(private readonly db: Db) {}

  /** The member's balance row, made at 0 if they have none yet. */
  ensureBalance(memberId: string, now: Date, transaction: Tx): Promise<number> {
    return execute(
      this.db,
      `INSERT INTO point_balances (member_id, balance, updated_at) VALUES (?, 0, ?)
       ON DUPLICATE KEY UPDATE balance = balance`,
      [memberId, now],
      transaction,
    );
  }

  /** The member's balance, with their balance row locked until the transaction ends. */
  async lockBalance(transaction: Tx, memberId: string): Promise<number> {
    const row = await selectOne<{ balance: number }>(
      this.db,
      'SELECT balance FROM point_balances WHERE member_id = ? FOR UPDATE',
      [memberId],
      transaction,
    );
    return Number(row?.balance ?? 0);
  }

  async balanceOf(memberId: string): Promise<number> {
    const row = await selectOne<{ balance: number }>(
      this.db,
      'SELECT balance FROM point_balances WHERE member_id = ?',
      [memberId],
    );
    return Number(row?.balance ?? 0);
  }

  credit(memberId: string, amount: number, now: Date, transaction: Tx): Promise<number> {
    return execute(
      this.db,
      `INSERT INTO point_balances (member_id, balance, updated_at) VALUES (?, ?, ?)
       ON DUPLICATE KEY UPDATE balance = balance + VALUES(balance), updated_at = VALUES(updated_at)`,
      [memberId, amount, now],
      transaction,
    );
  }

  /** Adds `amount` (negative) where the balance covers it; answers rows changed (0 or 1). */
  debit(memberId: string, amount: number, now: Date, transaction: Tx): Promise<number> {
    return execute(
      this.db,
      'UPDATE point_balances SET balance = balance + ?, updated_at = ? WHERE member_id = ? AND balance >= ?',
      [amount, now, memberId, -amount],
      transaction,
    );
  }

  /** `cost` off each member's balance that covers it; answers how many were debited. */
  debitEach(memberIds: string[], cost: number, now: Date, transaction: Tx): Promise<number> {
    return execute(
      this.db,
      `UPDATE point_balances SET balance = balance - ?, updated_at = ? WHERE member_id IN (?) AND balance >= ?`,
      [cost, now, memberIds, cost],
      transaction,
    );
  }

  /** The entry, unless (member, reason, source) has one: answers 1 if inserted. */
  appendEntry(entry: NewPointEntry, transaction: Tx): Promise<number> {
    return execute(
      this.db,
      `INSERT INTO point_entries (id, member_id, amount, reason, source_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id`,
      [entry.id, entry.memberId, entry.amount, entry.reason, entry.sourceId, entry.createdAt],
      transaction,
    );
  }

  /** Entries of one reason and source for many members, one statement; a repeat fails it. */
  insertEntries(
    reason: PointReason,
    sourceId: string,
    amount: number,
    entries: ReadonlyArray<{ id: string; memberId: string }>,
    now: Date,
    transaction: Tx,
  ): Promise<number> {
    return execute(
      this.db,
      `INSERT INTO point_entries (id, member_id, amount, reason, source_id, created_at)
       VALUES ${entries.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      entries.flatMap((e) => [e.id, e.memberId, amount, reason, sourceId, now]),
      transaction,
    );
  }

  entriesOf(memberId: string, afterId: string | null, limit: number): Promise<PointEntryRow[]> {
    return selectRows<PointEntryRow>(
      this.db,
      `SELECT id, member_id AS memberId, amount, reason, source_id AS sourceId, created_at AS createdAt
         FROM point_entries WHERE member_id = ? ${afterId ? 'AND id < ?' : ''} ORDER BY id DESC LIMIT ?`,
      afterId ? [memberId, afterId, limit] : [memberId, limit],
    );
  }

  /** The member's latest ledger day started by `now`, locked (read as last committed). */
  latestDay(
    memberId: string,
    now: Date,
    transaction: Tx,
  ): Promise<{ startsAt: Date; endsAt: Date; earned: number } | undefined> {
    return selectOne(
      this.db,
      `SELECT starts_at AS startsAt, ends_at AS endsAt, earned FROM point_days
        WHERE member_id = ? AND starts_at <= ? ORDER BY starts_at DESC LIMIT 1 FOR UPDATE`,
      [memberId, now],
      transaction,
    );
  }

  async memberTimezone(memberId: string, transaction: Tx): Promise<string | undefined> {
    const member = await selectOne<{ timezone: string }>(
      this.db,
      'SELECT timezone FROM users WHERE id = ?',
      [memberId],
      transaction,
    );
    return member?.timezone;
  }

  openDay(
    memberId: string,
    day: { day: string; startsAt: Date; endsAt: Date },
    transaction: Tx,
  ): Promise<number> {
    return execute(
      this.db,
      'INSERT INTO point_days (member_id, day, starts_at, ends_at, earned) VALUES (?, ?, ?, ?, 0)',
      [memberId, day.day, day.startsAt, day.endsAt],
      transaction,
    );
  }

  addEarned(memberId: string, startsAt: Date, points: number, transaction: Tx): Promise<number> {
    return execute(
      this.db,
      'UPDATE point_days SET earned = earned + ? WHERE member_id = ? AND starts_at = ?',
      [points, memberId, startsAt],
      transaction,
    );
  }
}
