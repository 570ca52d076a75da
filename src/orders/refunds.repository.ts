import type { Db } from '../db/db';
import { execute, selectRows, type Tx } from '../db/sql';

/** A refund booked on its order and not yet answered by the provider. */
export interface PendingRefund {
  id: string;
  orderId: string;
  amount: number;
  paymentIntentId: string | null;
}

/** The refunds table: one row per refund booked on an order. */
export class RefundsRepository {
  constructor(private readonly db: Db) {}

  async insertPending(
    refund: { id: string; orderId: string; amount: number; requestedBy: string },
    now: Date,
    transaction: Tx,
  ): Promise<void> {
    await execute(
      this.db,
      `INSERT INTO refunds (id, order_id, amount, status, requested_by, created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?, ?)`,
      [refund.id, refund.orderId, refund.amount, refund.requestedBy, now, now],
      transaction,
    );
  }

  /** Refunds still pending that were last touched before `cutoff`, oldest first. */
  findStalePending(cutoff: Date, limit: number): Promise<PendingRefund[]> {
    return selectRows<PendingRefund>(
      this.db,
      `SELECT r.id, r.order_id AS orderId, r.amount, o.payment_intent_id AS paymentIntentId
         FROM refunds r JOIN orders o ON o.id = r.order_id
        WHERE r.status = 'pending' AND r.updated_at < ? ORDER BY r.updated_at LIMIT ?`,
      [cutoff, limit],
    );
  }

  /** Claims a stale pending refund (moves its `updated_at` on); false if another got it first. */
  async claimStale(id: string, now: Date, cutoff: Date): Promise<boolean> {
    const claimed = await execute(
      this.db,
      `UPDATE refunds SET updated_at = ? WHERE id = ? AND status = 'pending' AND updated_at < ?`,
      [now, id, cutoff],
    );
    return claimed === 1;
  }

  /** Records the provider's refund, once: false if the refund was no longer pending. */
  async markSucceeded(
    id: string,
    providerRefundId: string | null,
    now: Date,
    transaction: Tx,
  ): Promise<boolean> {
    const settled = await execute(
      this.db,
      `UPDATE refunds SET status = 'succeeded', provider_refund_id = ?, updated_at = ?
        WHERE id = ? AND status = 'pending'`,
      [providerRefundId, now, id],
      transaction,
    );
    return settled === 1;
  }

  /** A refund the provider did not make, once: false if the refund was no longer pending. */
  async markFailed(id: string, now: Date, transaction: Tx): Promise<boolean> {
    const failed = await execute(
      this.db,
      `UPDATE refunds SET status = 'failed', updated_at = ? WHERE id = ? AND status = 'pending'`,
      [now, id],
      transaction,
    );
    return failed === 1;
  }
}
