import type { Sequelize } from 'sequelize';
import type { Clock } from '../clock';
import { execute } from '../db/sql';
import { AppError } from '../http/app-error';
import { newId } from '../ids';
import type { Logger } from '../logger';
import type { PaymentProvider } from '../payments/payment-provider';
import { illegalTransition, type OrderStatus } from './order-state';
import type { OrderRow, OrdersRepository } from './orders.repository';

/** Refunds of paid orders: made by the seller or an admin, at the provider, or owed for late money. */
export class OrderRefunds {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly clock: Clock,
    private readonly provider: PaymentProvider,
    private readonly logger: Logger,
    private readonly repo: OrdersRepository,
  ) {}

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
    const refundable = ['paid', 'shipped', 'partially_refunded'];
    if (!refundable.includes(order.status)) throw illegalTransition(order.status, 'refunded');
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
    await this.sequelize.transaction(async (transaction) => {
      const booked = await execute(
        this.sequelize,
        `UPDATE orders SET status = IF(refunded_amount + ? >= total_amount, 'refunded', 'partially_refunded'),
                refunded_amount = refunded_amount + ?, updated_at = ?
          WHERE id = ? AND status IN (?) AND refunded_amount + ? <= total_amount`,
        [amount, amount, now, orderId, refundable, amount],
        transaction,
      );
      if (booked !== 1)
        throw AppError.conflict(
          'refund_conflict',
          'The order changed meanwhile; reload it and try again.',
        );
      await execute(
        this.sequelize,
        `INSERT INTO refunds (id, order_id, amount, status, requested_by, created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?, ?)`,
        [refundId, orderId, amount, actor.userId, now, now],
        transaction,
      );
    });
    try {
      const { providerRefundId } = await this.provider.refund({
        refundId,
        orderId,
        paymentIntentId: order.paymentIntentId,
        amount,
      });
      await execute(
        this.sequelize,
        `UPDATE refunds SET status = 'succeeded', provider_refund_id = ?, updated_at = ? WHERE id = ?`,
        [providerRefundId, this.clock.now().toJSDate(), refundId],
      );
    } catch (error) {
      this.logger.error(
        { err: error, orderId, refundId },
        'refund failed at the provider; undoing the booking',
      );
      await this.undoRefund(orderId, refundId, amount, order.status);
      throw AppError.unavailable(
        'The payment provider could not make the refund; nothing was refunded. Try again.',
      );
    }
  }

  /** A refund made at the provider itself (e.g. Stripe's dashboard) is booked here too. */
  async syncProviderRefund(paymentIntentId: string, totalRefunded: number): Promise<boolean> {
    const order = await this.repo.findOrderByPaymentIntent(paymentIntentId);
    if (!order || totalRefunded <= order.refundedAmount) return false;
    const now = this.clock.now().toJSDate();
    const changed = await execute(
      this.sequelize,
      `UPDATE orders SET status = IF(? >= total_amount, 'refunded', 'partially_refunded'), refunded_amount = LEAST(?, total_amount), updated_at = ?
        WHERE id = ? AND status IN ('paid', 'shipped', 'completed', 'partially_refunded') AND refunded_amount < ?`,
      [totalRefunded, totalRefunded, now, order.id, totalRefunded],
    );
    return changed === 1;
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
    await execute(
      this.sequelize,
      `UPDATE orders SET payment_status = 'refunded', updated_at = ? WHERE id = ?`,
      [now, orderId],
    );
  }

  private async undoRefund(
    orderId: string,
    refundId: string,
    amount: number,
    previousStatus: OrderStatus,
  ): Promise<void> {
    const now = this.clock.now().toJSDate();
    await this.sequelize.transaction(async (transaction) => {
      await execute(
        this.sequelize,
        `UPDATE orders SET status = IF(refunded_amount - ? = 0, ?, 'partially_refunded'), refunded_amount = refunded_amount - ?, updated_at = ?
          WHERE id = ? AND refunded_amount >= ?`,
        [
          amount,
          previousStatus === 'partially_refunded' ? 'paid' : previousStatus,
          amount,
          now,
          orderId,
          amount,
        ],
        transaction,
      );
      await execute(
        this.sequelize,
        `UPDATE refunds SET status = 'failed', updated_at = ? WHERE id = ?`,
        [now, refundId],
        transaction,
      );
    });
  }

  private async mustFind(orderId: string): Promise<OrderRow> {
    const order = await this.repo.findOrder(orderId);
    if (!order) throw AppError.notFound('order');
    return order;
  }
}
