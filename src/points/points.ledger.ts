import type { Db } from '../db/db';
import type { Tx } from '../db/sql';
import { newId } from '../ids';
import { openLedgerDay, takeBackAmount, withinDailyCap, type PointReason } from './point-rules';
import { PointsRepository, type PointEntryRow } from './points.repository';

export type { PointEntryRow } from './points.repository';

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
  private readonly repo: PointsRepository;

  constructor(db: Db) {
    this.repo = new PointsRepository(db);
  }

  /**
   * Records an event worth `wanted` points, cut to what the member's ledger day still allows
   * (openLedgerDay: their calendar day, its zone fixed when it opens). Answers the points
   * granted, or null when this event was recorded before.
   */
  async earn(transaction: Tx, event: LedgerEvent, wanted: number): Promise<number | null> {
    const { memberId, now } = event;
    // The balance row serialises everything about one member's points, opening a day included,
    // so the cap holds under concurrency and two days never overlap.
    await this.repo.ensureBalance(memberId, now, transaction);
    await this.lockBalance(transaction, memberId);
    const today = await this.ledgerDay(transaction, memberId, now);
    const granted = withinDailyCap(wanted, today.earned);
    if (!(await this.append(transaction, event, granted))) return null;
    if (granted > 0) await this.repo.addEarned(memberId, today.startsAt, granted, transaction);
    return granted;
  }

  /** The member's ledger day holding `now`, opened (in their present zone) if none does. */
  private async ledgerDay(
    transaction: Tx,
    memberId: string,
    now: Date,
  ): Promise<{ startsAt: Date; earned: number }> {
    // A locking read: it sees the day (and its earnings) as last committed, even when the
    // caller's transaction took its snapshot before it waited for the balance lock.
    const latest = await this.repo.latestDay(memberId, now, transaction);
    if (latest && latest.endsAt.getTime() > now.getTime()) return latest;
    const timezone = await this.repo.memberTimezone(memberId, transaction);
    const day = openLedgerDay(now, timezone ?? 'UTC', latest?.endsAt ?? null);
    await this.repo.openDay(memberId, day, transaction);
    return { startsAt: day.startsAt, earned: 0 };
  }

  /**
   * Takes back `earned` points for an event (a note rejected, a like removed), or as much of it
   * as the balance holds: points already spent on a coupon stay spent. Answers what was taken,
   * or null when this take-back was recorded before.
   */
  async takeBack(transaction: Tx, event: LedgerEvent, earned: number): Promise<number | null> {
    const balance = await this.lockBalance(transaction, event.memberId);
    const amount = takeBackAmount(earned, balance);
    return (await this.append(transaction, event, -amount)) ? amount : null;
  }

  /** Debits `amount` if the balance covers it; false (and nothing written) if it does not. */
  async spend(transaction: Tx, event: LedgerEvent, amount: number): Promise<boolean> {
    const balance = await this.lockBalance(transaction, event.memberId);
    if (balance < amount) return false;
    return this.append(transaction, event, -amount);
  }

  /**
   * Debits `cost` from each member, whose balance rows the caller locked and found covering it,
   * with one entry each (reason and source shared): two multi-row statements. Answers each
   * member's entry id; a repeated (member, reason, source) fails the whole statement.
   */
  async spendEach(
    transaction: Tx,
    event: { reason: PointReason; sourceId: string; now: Date },
    memberIds: string[],
    cost: number,
  ): Promise<Array<{ id: string; memberId: string }>> {
    const { now } = event;
    const debited = await this.repo.debitEach(memberIds, cost, now, transaction);
    if (debited !== memberIds.length)
      throw new Error('points ledger: a locked balance changed during a batch debit');
    const entries = memberIds.map((memberId) => ({ id: newId('pte', now.getTime()), memberId }));
    await this.repo.insertEntries(event.reason, event.sourceId, -cost, entries, now, transaction);
    return entries;
  }

  /** The member's balance, with their balance row locked until the transaction ends. */
  lockBalance(transaction: Tx, memberId: string): Promise<number> {
    return this.repo.lockBalance(transaction, memberId);
  }

  balanceOf(memberId: string): Promise<number> {
    return this.repo.balanceOf(memberId);
  }

  entriesOf(memberId: string, afterId: string | null, limit: number): Promise<PointEntryRow[]> {
    return this.repo.entriesOf(memberId, afterId, limit);
  }

  /** The entry and the balance change, together; false if (member, reason, source) exists. */
  private async append(transaction: Tx, event: LedgerEvent, amount: number) {
    const inserted = await this.repo.appendEntry(
      {
        id: newId('pte', event.now.getTime()),
        memberId: event.memberId,
        amount,
        reason: event.reason,
        sourceId: event.sourceId,
        createdAt: event.now,
      },
      transaction,
    );
    if (inserted !== 1) return false;
    if (amount > 0) {
      await this.repo.credit(event.memberId, amount, event.now, transaction);
    } else if (amount < 0) {
      // Debits are never more than the locked balance, so the row exists (and the CHECK holds).
      const changed = await this.repo.debit(event.memberId, amount, event.now, transaction);
      if (changed !== 1) throw new Error(`points ledger: debit of ${-amount} exceeds the balance`);
    }
    return true;
  }
}
