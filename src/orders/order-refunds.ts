import type { Db } from '../db/db';
import type { Clock } from '../clock';
import { AppError } from '../http/app-error';
import { newId } from '../ids';
import type { Logger } from '../logger';
import { PaymentRefused, type PaymentProvider } from '../payments';
import { illegalTransition, REFUNDABLE_BY_SELLER, sourcesOf } from './order-state';
import type { OrderRow, OrdersRepository } from './orders.repository';
import type { WebhookEventRecorder } from '../webhooks';
import { orderEvent } from './order-event';
import { RefundsRepository, type PendingRefund } from './refunds.repository';

/**
 * How long a refund may stay booked with no answer from the provider before the sweep takes it
 * over: the process that booked it died. Stripe's client gives up long before (3 tries of 10 s).
 */
export const PENDING_REFUND_GRACE_MS = 5 * 60_000;

/** Job: finish refunds whose process died between booking them and the provider's answer. */
export const SETTLE_PENDING_REFUNDS = 'settle-pending-refunds';

/** Refunds of paid orders: made by the seller or an admin, at the provider, or owed for late money. */
export class OrderRefunds {
  private readonly refunds: RefundsRepository;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly provider: PaymentProvider,
    private readonly logger: Logger,
    private readonly repo: OrdersRepository,
    private readonly events: WebhookEventRecorder | null = null,
  ) {
    this.refunds = new RefundsRepository(db);
  }

  /**
   * Refunds `amount` (default: all that is left). The refund is booked first, conditionally, so
   * concurrent refunds can never exceed the total; if the provider then refuses, the booking
   * is undone.
   */
  async refund(
    orderId: string,
    actor: { userId: string; isAdmin: boolean },
    requested?: number,
  ): Promise<void> {
    const order = await this.mustFind(orderId);
    if (!actor.isAdmin && order.sellerId !== actor.userId) {
      if (order.buyerId === actor.userId)
        throw AppError.forbidden('Only the seller or an admin can refund.');
      throw AppError.notFound('order');
    }
    if (!REFUNDABLE_BY_SELLER.includes(order.status))
      throw illegalTransition(order.status, 'refunded');
    const remaining = order.totalAmount - order.refundedAmount;
    const amount = requested ?? remaining;
    if (amount > remaining)
      throw AppError.invalid(
        'amount_too_large',
        `At most ${remaining} can still be refunded.`,
        'amount',
      );
    if (amount <= 0)
      throw AppError.conflict('nothing_to_refund', 'This order has nothing left to refund.');
    const refundId = newId('rfd', this.clock.now().toMillis());
    const now = this.clock.now().toJSDate();

    // Invariant: refunded_amount <= total_amount, and every booked refund has its row.
    await this.db.transaction(async (transaction) => {
      const booked = await this.repo.bookRefund(
        orderId,
        amount,
        REFUNDABLE_BY_SELLER,
        now,
        transaction,
      );
      if (!booked)
        throw AppError.conflict(
          'refund_conflict',
          'The order changed meanwhile; reload it and try again.',
        );
      await this.refunds.insertPending(
        { id: refundId, orderId, amount, requestedBy: actor.userId },
        now,
        transaction,
      );
    });
    const pending = { id: refundId, orderId, amount, paymentIntentId: order.paymentIntentId };
    try {
      await this.settle(pending);
    } catch (error) {
      // Had the provider made it after all, its charge.refunded event books it again.
      this.logger.error(
        { err: error, orderId, refundId },
        'refund failed at the provider; undoing the booking',
      );
      await this.undoRefund(pending);
      throw AppError.unavailable(
        'The payment provider could not make the refund; nothing was refunded. Try again.',
      );
    }
  }

  /**
   * Refunds left `pending` past the grace period: asked of the provider again under the same
   * idempotency key, so one made before the crash is not made twice. A refusal undoes the
   * booking; an unknown outcome leaves it for the next sweep. Each is claimed first (its
   * `updated_at` moved on), so two workers never settle the same refund.
   */
  async settlePending(limit = 100): Promise<{ succeeded: number; failed: number }> {
    const now = this.clock.now().toJSDate();
    const cutoff = new Date(now.getTime() - PENDING_REFUND_GRACE_MS);
    const stale = await this.refunds.findStalePending(cutoff, limit);
    const outcome = { succeeded: 0, failed: 0 };
    for (const refund of stale) {
      if (!(await this.refunds.claimStale(refund.id, now, cutoff))) continue;
      try {
        await this.settle(refund);
        outcome.succeeded += 1;
      } catch (error) {
        if (!(error instanceof PaymentRefused)) {
          this.logger.warn(
            { err: error, refundId: refund.id },
            'pending refund still unanswered; retried on the next sweep',
          );
          continue;
        }
        this.logger.error(
          { err: error, orderId: refund.orderId, refundId: refund.id },
          'the provider refused a pending refund; undoing the booking',
        );
        await this.undoRefund(refund);
        outcome.failed += 1;
      }
    }
    return outcome;
  }

  /** Asks the provider for a booked refund and records its answer (once: only while pending). */
  private async settle(refund: PendingRefund): Promise<void> {
    const { providerRefundId } = await this.provider.refund({
      refundId: refund.id,
      orderId: refund.orderId,
      paymentIntentId: refund.paymentIntentId,
      amount: refund.amount,
    });
    // order.refunded is recorded with the refund's success, once: only the first settle changes it.
    await this.db.transaction(async (transaction) => {
      const settled = await this.refunds.markSucceeded(
        refund.id,
        providerRefundId,
        this.clock.now().toJSDate(),
        transaction,
      );
      const order = settled ? await this.repo.findOrder(refund.orderId, transaction) : null;
      if (order)
        await this.events?.record(
          orderEvent('order.refunded', order, {
            key: `order.refunded:${refund.id}`,
            refund: { id: refund.id, amount: refund.amount },
          }),
          transaction,
        );
    });
  }

  /** A refund made at the provider itself (e.g. Stripe's dashboard) is booked here too. */
  async syncProviderRefund(paymentIntentId: string, totalRefunded: number): Promise<boolean> {
    const order = await this.repo.findOrderByPaymentIntent(paymentIntentId);
    if (!order || totalRefunded <= order.refundedAmount) return false;
    const now = this.clock.now().toJSDate();
    // Integrators hear of it as of any refund: order.refunded, once per new refunded total.
    return this.db.transaction(async (transaction) => {
      const changed = await this.repo.bookProviderRefundTotal(
        order.id,
        totalRefunded,
        sourcesOf('refunded'),
        now,
        transaction,
      );
      if (!changed) return false;
      const booked = (await this.repo.findOrder(order.id, transaction))!;
      await this.events?.record(
        orderEvent('order.refunded', booked, {
          key: `order.refunded:${order.id}:total:${booked.refundedAmount}`,
        }),
        transaction,
      );
      return true;
    });
  }

  /** Money arrived for an order that had already let go of its stock: give it back. */
  async refundLatePayment(orderId: string): Promise<void> {
    const order = await this.mustFind(orderId);
    if (order.status !== 'canceled' && order.status !== 'expired') return;
    await this.provider.refund({
      refundId: `late_${orderId}`,
      orderId,
      paymentIntentId: order.paymentIntentId,
      amount: order.totalAmount,
    });
    const now = this.clock.now().toJSDate();
    await this.repo.markPaymentRefunded(orderId, now);
  }

  /** The booking of a refund the provider did not make, taken back (once: only while pending). */
  private async undoRefund(refund: PendingRefund): Promise<void> {
    const now = this.clock.now().toJSDate();
    await this.db.transaction(async (transaction) => {
      if (!(await this.refunds.markFailed(refund.id, now, transaction))) return;
      await this.repo.unbookRefund(refund.orderId, refund.amount, now, transaction);
    });
  }

  private async mustFind(orderId: string): Promise<OrderRow> {
    const order = await this.repo.findOrder(orderId);
    if (!order) throw AppError.notFound('order');
    return order;
  }
}
