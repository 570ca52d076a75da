import type { Sequelize, Transaction } from 'sequelize';
import { execute, selectOne, selectRows } from '../db/sql';
import { newId } from '../ids';
import { openLedgerDay, takeBackAmount, withinDailyCap, type PointReason } from './point-rules';

export interface PointEntryRow {
  id: string;
  memberId: string;
  amount: number;
  reason: PointReason;
  sourceId: string;
  createdAt: Date;
}

export interface LedgerEvent {
  memberId: string;
  reason: PointReason;
  /** What caused it (a note, a like, a conversion): one entry per (member, reason, source). */
  sourceId: string;
  now: Date;
}

/**
 * The append-only points ledger. Every change is an entry and a change of the member's balance
 * row in the caller's transaction, so balance = sum of entries at every commit. A member's
 * balance row is locked before anything is decided about their points.
 */
export class PointsLedger {
  constructor(private readonly sequelize: Sequelize) {}

  /**
   * Records an event worth `wanted` points, cut to what the member's ledger day still allows
   * (openLedgerDay: their calendar day, its zone fixed when it opens). Answers the points
   * granted, or null when this event was recorded before.
   */
  async earn(transaction: Transaction, event: LedgerEvent, wanted: number): Promise<number | null> {
    const { memberId, now } = event;
    // The balance row serialises everything about one member's points, opening a day included,
    // so the cap holds under concurrency and two days never overlap.
    await execute(
      this.sequelize,
      `INSERT INTO point_balances (member_id, balance, updated_at) VALUES (?, 0, ?)
       ON DUPLICATE KEY UPDATE balance = balance`,
      [memberId, now],
      transaction,
    );
    await this.lockBalance(transaction, memberId);
    const today = await this.ledgerDay(transaction, memberId, now);
    const granted = withinDailyCap(wanted, today.earned);
    if (!(await this.append(transaction, event, granted))) return null;
    if (granted > 0) {
      await execute(
        this.sequelize,
        'UPDATE point_days SET earned = earned + ? WHERE member_id = ? AND starts_at = ?',
        [granted, memberId, today.startsAt],
        transaction,
      );
    }
    return granted;
  }

  /** The member's ledger day holding `now`, opened (in their present zone) if none does. */
  private async ledgerDay(
    transaction: Transaction,
    memberId: string,
    now: Date,
  ): Promise<{ startsAt: Date; earned: number }> {
    // A locking read: it sees the day (and its earnings) as last committed, even when the
    // caller's transaction took its snapshot before it waited for the balance lock.
    const latest = await selectOne<{ startsAt: Date; endsAt: Date; earned: number }>(
      this.sequelize,
      `SELECT starts_at AS startsAt, ends_at AS endsAt, earned FROM point_days
        WHERE member_id = ? AND starts_at <= ? ORDER BY starts_at DESC LIMIT 1 FOR UPDATE`,
      [memberId, now],
      transaction,
    );
    if (latest && latest.endsAt.getTime() > now.getTime()) return latest;
    const member = await selectOne<{ timezone: string }>(
      this.sequelize,
      'SELECT timezone FROM users WHERE id = ?',
      [memberId],
      transaction,
    );
    const day = openLedgerDay(now, member?.timezone ?? 'UTC', latest?.endsAt ?? null);
    await execute(
      this.sequelize,
      'INSERT INTO point_days (member_id, day, starts_at, ends_at, earned) VALUES (?, ?, ?, ?, 0)',
      [memberId, day.day, day.startsAt, day.endsAt],
      transaction,
    );
    return { startsAt: day.startsAt, earned: 0 };
  }

  /**
   * Takes back `earned` points for an event (a note rejected, a like removed), or as much of it
   * as the balance holds: points already spent on a coupon stay spent. Answers what was taken,
   * or null when this take-back was recorded before.
   */
  async takeBack(
    transaction: Transaction,
    event: LedgerEvent,
    earned: number,
  ): Promise<number | null> {
    const balance = await this.lockBalance(transaction, event.memberId);
    const amount = takeBackAmount(earned, balance);
    return (await this.append(transaction, event, -amount)) ? amount : null;
  }

  /** Debits `amount` if the balance covers it; false (and nothing written) if it does not. */
  async spend(transaction: Transaction, event: LedgerEvent, amount: number): Promise<boolean> {
    const balance = await this.lockBalance(transaction, event.memberId);
    if (balance < amount) return false;
    return this.append(transaction, event, -amount);
  }

  /** The member's balance, with their balance row locked until the transaction ends. */
  async lockBalance(transaction: Transaction, memberId: string): Promise<number> {
    const row = await selectOne<{ balance: number }>(
      this.sequelize,
      'SELECT balance FROM point_balances WHERE member_id = ? FOR UPDATE',
      [memberId],
      transaction,
    );
    return Number(row?.balance ?? 0);
  }

  async balanceOf(memberId: string): Promise<number> {
    const row = await selectOne<{ balance: number }>(
      this.sequelize,
      'SELECT balance FROM point_balances WHERE member_id = ?',
      [memberId],
    );
    return Number(row?.balance ?? 0);
  }

  entriesOf(memberId: string, afterId: string | null, limit: number): Promise<PointEntryRow[]> {
    return selectRows<PointEntryRow>(
      this.sequelize,
      `SELECT id, member_id AS memberId, amount, reason, source_id AS sourceId, created_at AS createdAt
         FROM point_entries WHERE member_id = ? ${afterId ? 'AND id < ?' : ''} ORDER BY id DESC LIMIT ?`,
      afterId ? [memberId, afterId, limit] : [memberId, limit],
    );
  }

  /** The entry and the balance change, together; false if (member, reason, source) exists. */
  private async append(transaction: Transaction, event: LedgerEvent, amount: number) {
    const inserted = await execute(
      this.sequelize,
      `INSERT INTO point_entries (id, member_id, amount, reason, source_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id`,
      [
        newId('pte', event.now.getTime()),
        event.memberId,
        amount,
        event.reason,
        event.sourceId,
        event.now,
      ],
      transaction,
    );
    if (inserted !== 1) return false;
    if (amount > 0) {
      await execute(
        this.sequelize,
        `INSERT INTO point_balances (member_id, balance, updated_at) VALUES (?, ?, ?)
         ON DUPLICATE KEY UPDATE balance = balance + VALUES(balance), updated_at = VALUES(updated_at)`,
        [event.memberId, amount, event.now],
        transaction,
      );
    } else if (amount < 0) {
      // Debits are never more than the locked balance, so the row exists (and the CHECK holds).
      const changed = await execute(
        this.sequelize,
        'UPDATE point_balances SET balance = balance + ?, updated_at = ? WHERE member_id = ? AND balance >= ?',
        [amount, event.now, event.memberId, -amount],
        transaction,
      );
      if (changed !== 1) throw new Error(`points ledger: debit of ${-amount} exceeds the balance`);
    }
    return true;
  }
}
