import type { Queue } from 'bullmq';
import type { Db, Transaction } from '../db/db';
import type { Clock } from '../clock';
import { dueAt } from '../../jobs/due-at';
import {
  evaluateCoupon,
  findCouponByCode,
  normaliseCouponCode,
  redeemCoupon,
  releaseCoupon,
  type CouponRow,
} from '../coupons';
import { AppError } from '../http/app-error';
import { decodeCursor, pageOf } from '../http/cursor';
import { returnListingStock } from '../listings';
import type { Logger } from '../logger';
import type { PaymentProvider } from '../payments';
import { Checkout, type OrdersSettings } from './checkout';
import { findCheckoutListings } from './checkout.repository';
import { OrderRefunds } from './order-refunds';
import { illegalTransition, sourcesOf, type OrderStatus, type Release } from './order-state';
import { toOrderView } from './order-view';
import { OrdersRepository, type OrderRow } from './orders.repository';
import type { CreateOrderInput, OrderView } from './orders.schema';
import type { PurchaseHooks } from './purchase-hooks';
import type { WebhookEventRecorder } from '../webhooks';
import { couponRedeemedEvent, orderEvent } from './order-event';
import { placeWithSealedAddress, type Vault } from '../vault';

export const EXPIRE_ORDER = 'expire-order';
export const SWEEP_OVERDUE_ORDERS = 'sweep-overdue-orders';
export { SETTLE_PENDING_REFUNDS } from './order-refunds';

export type { PurchaseGateInput } from './purchase-hooks';
export type { OrdersSettings } from './checkout';

export interface OrderNotifier {
  orderPaid(orderId: string, transaction: Transaction): Promise<void>;
  orderShipped(orderId: string): Promise<void>;
}

/** What an order's life calls out to: campaign gates (drops) and the mails it causes. */
export interface OrderCollaborators {
  hooks: PurchaseHooks;
  /** Mails on payment (in its transaction) and on shipping (src/mail/notifications.ts). */
  notifier: OrderNotifier;
  /** Webhook events, recorded in the transaction of each change (src/webhooks). */
  events?: WebhookEventRecorder;
  /** Where EU members' shipping addresses are kept (src/vault). */
  vault?: Vault;
}

export class OrdersService {
  private readonly repo: OrdersRepository;
  private readonly refunds: OrderRefunds;
  private readonly checkout: Checkout;
  private readonly hooks: PurchaseHooks;
  private readonly notifier: OrderNotifier;
  private readonly events: WebhookEventRecorder | null;
  private readonly vault: Vault | null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly provider: PaymentProvider,
    private readonly queue: Queue,
    settings: OrdersSettings,
    private readonly logger: Logger,
    collaborators: OrderCollaborators,
  ) {
    this.hooks = collaborators.hooks;
    this.notifier = collaborators.notifier;
    this.events = collaborators.events ?? null;
    this.vault = collaborators.vault ?? null;
    this.repo = new OrdersRepository(db);
    this.refunds = new OrderRefunds(db, clock, provider, logger, this.repo, this.events);
    this.checkout = new Checkout(
      db,
      clock,
      provider,
      settings,
      logger,
      this.repo,
      {
        scheduleExpiry: (orderId, expiresAt) => this.scheduleExpiry(orderId, expiresAt),
        release: (orderId, how) => this.release(orderId, how),
      },
      this.hooks,
      this.events,
    );
  }

  /** Vault members' shipping addresses are kept in the vault (src/vault). */
  createOrder(buyerId: string, input: CreateOrderInput, buyerCountry?: string): Promise<OrderView> {
    const vault = this.vault;
    if (!vault?.holds(buyerCountry)) return this.checkout.createOrder(buyerId, input);
    return placeWithSealedAddress(vault, buyerId, input, (sealed) =>
      this.checkout.createOrder(buyerId, sealed),
    );
  }

  async getOrder(orderId: string, viewerId: string, isAdmin = false): Promise<OrderView> {
    const order = await this.repo.findNamedOrder(orderId);
    if (!order || (!isAdmin && order.buyerId !== viewerId && order.sellerId !== viewerId))
      throw AppError.notFound('order');
    const items = await this.repo.findItems([order.id]);
    return toOrderView(order, items, viewerId);
  }

  async listOrders(
    userId: string,
    query: { role: 'buyer' | 'seller'; status?: OrderStatus; limit: number; cursor?: string },
  ) {
    const rows = await this.repo.listOrders({
      column: query.role === 'buyer' ? 'buyer_id' : 'seller_id',
      userId,
      status: query.status,
      afterId: decodeCursor(query.cursor),
      limit: query.limit + 1,
    });
    const items = await this.repo.findItems(rows.slice(0, query.limit).map((row) => row.id));
    return pageOf(rows, query.limit, (row) =>
      toOrderView(
        row,
        items.filter((item) => item.orderId === row.id),
        userId,
      ),
    );
  }

  /** The manual provider's stand-in for a succeeded payment. */
  async payManually(orderId: string, buyerId: string): Promise<OrderView> {
    const order = await this.ownOrder(orderId, buyerId, 'buyer');
    if (this.provider.name !== 'manual' || order.paymentProvider !== 'manual') {
      throw AppError.conflict(
        'payment_via_provider',
        'This order is paid through Stripe; the payment is confirmed by its webhook.',
      );
    }
    if (!(await this.markPaid(orderId)))
      throw illegalTransition((await this.mustFind(orderId)).status, 'paid');
    return this.getOrder(orderId, buyerId);
  }

  /**
   * pending_payment -> paid, redeeming the held coupon in the same transaction. Answers false
   * (and changes nothing) if the order was not pending: a replayed event pays once.
   */
  async markPaid(orderId: string): Promise<boolean> {
    const now = this.clock.now().toJSDate();
    const paid = await this.db.transaction(async (transaction) => {
      const changed = await this.repo.transition(
        orderId,
        sourcesOf('paid'),
        'paid',
        { paid_at: now, payment_status: 'succeeded' },
        now,
        transaction,
      );
      if (!changed) return false;
      const order = (await this.repo.findOrder(orderId, transaction))!;
      if (
        order.couponId &&
        (await redeemCoupon(this.db, order.couponId, orderId, now, transaction)) !== 1
      ) {
        throw new Error(`order ${orderId} was paid but its coupon was not held by it`);
      }
      await this.notifier.orderPaid(orderId, transaction);
      await this.events?.record(orderEvent('order.paid', order), transaction);
      if (order.couponId) await this.events?.record(couponRedeemedEvent(order), transaction);
      return true;
    });
    if (paid) await this.unscheduleExpiry(orderId);
    return paid;
  }

  async cancel(orderId: string, buyerId: string): Promise<OrderView> {
    await this.ownOrder(orderId, buyerId, 'buyer');
    if (!(await this.release(orderId, { to: 'canceled', paymentStatus: 'canceled' }))) {
      throw illegalTransition((await this.mustFind(orderId)).status, 'canceled');
    }
    return this.getOrder(orderId, buyerId);
  }

  /** The expiry job: an order still unpaid at its deadline lets go of what it held. */
  async expire(orderId: string): Promise<boolean> {
    const order = await this.repo.findOrder(orderId);
    if (!order || order.status !== 'pending_payment') return false;
    if (order.expiresAt.getTime() > this.clock.now().toMillis()) {
      await this.scheduleExpiry(orderId, order.expiresAt);
      return false;
    }
    return this.release(orderId, { to: 'expired', paymentStatus: 'canceled' });
  }

  /** The provider reported a failed payment: the order is canceled and its holds go back. */
  async failPayment(orderId: string): Promise<boolean> {
    return this.release(orderId, { to: 'canceled', paymentStatus: 'failed' });
  }

  async sweepOverdue(limit = 500): Promise<number> {
    const overdue = await this.repo.findOverdueOrderIds(this.clock.now().toJSDate(), limit);
    let expired = 0;
    for (const { id } of overdue) if (await this.expire(id)) expired += 1;
    return expired;
  }

  async ship(
    orderId: string,
    sellerId: string,
    details: { carrier?: string; trackingNumber?: string },
  ): Promise<OrderView> {
    await this.ownOrder(orderId, sellerId, 'seller');
    const now = this.clock.now().toJSDate();
    const fields = {
      shipped_at: now,
      carrier: details.carrier ?? null,
      tracking_number: details.trackingNumber ?? null,
    };
    const shipped = await this.db.transaction(async (transaction) => {
      const to = sourcesOf('shipped');
      if (!(await this.repo.transition(orderId, to, 'shipped', fields, now, transaction)))
        return false;
      const order = (await this.repo.findOrder(orderId, transaction))!;
      await this.events?.record(orderEvent('order.shipped', order), transaction);
      return true;
    });
    if (!shipped) throw illegalTransition((await this.mustFind(orderId)).status, 'shipped');
    await this.notifier.orderShipped(orderId);
    return this.getOrder(orderId, sellerId);
  }

  async complete(orderId: string, buyerId: string): Promise<OrderView> {
    await this.ownOrder(orderId, buyerId, 'buyer');
    const now = this.clock.now().toJSDate();
    if (
      !(await this.repo.transition(
        orderId,
        sourcesOf('completed'),
        'completed',
        { completed_at: now },
        now,
      ))
    ) {
      throw illegalTransition((await this.mustFind(orderId)).status, 'completed');
    }
    return this.getOrder(orderId, buyerId);
  }

  /** Refunds `amount` (default: all that is left) and answers the order as it now is. */
  async refund(
    orderId: string,
    actor: { userId: string; isAdmin: boolean },
    requested?: number,
  ): Promise<OrderView> {
    await this.refunds.refund(orderId, actor, requested);
    return this.getOrder(orderId, actor.userId, true);
  }

  /** The sweep for refunds whose process died before the provider answered. */
  settlePendingRefunds(): Promise<{ succeeded: number; failed: number }> {
    return this.refunds.settlePending();
  }

  /** A refund made at the provider itself (e.g. Stripe's dashboard) is booked here too. */
  syncProviderRefund(paymentIntentId: string, totalRefunded: number): Promise<boolean> {
    return this.refunds.syncProviderRefund(paymentIntentId, totalRefunded);
  }

  /** Money arrived for an order that had already let go of its stock: give it back. */
  refundLatePayment(orderId: string): Promise<void> {
    return this.refunds.refundLatePayment(orderId);
  }

  async orderIdForPaymentIntent(
    paymentIntentId: string,
    metadataOrderId?: string,
  ): Promise<string | null> {
    const order = await this.repo.findOrderByPaymentIntent(paymentIntentId);
    if (order) return order.id;
    if (
      metadataOrderId &&
      (await this.repo.findOrder(metadataOrderId))?.paymentIntentId === paymentIntentId
    )
      return metadataOrderId;
    return null;
  }

  /**
   * pending_payment -> canceled/expired, giving back stock, coupon and reservation in the same
   * transaction. Answers false if the order was no longer pending (paid, or released already).
   */
  private async release(orderId: string, how: Release): Promise<boolean> {
    const now = this.clock.now().toJSDate();
    const released = await this.db.transaction(async (transaction) => {
      const changed = await this.repo.transition(
        orderId,
        sourcesOf(how.to),
        how.to,
        { canceled_at: now, payment_status: how.paymentStatus },
        now,
        transaction,
      );
      if (!changed) return null;
      const order = (await this.repo.findOrder(orderId, transaction))!;
      // Units a drop reservation held go back through the drop (afterRelease), not to the listing.
      const heldByReservation = order.reservationId
        ? await this.hooks.heldListingIds?.(order, transaction)
        : [];
      for (const item of await this.repo.findItems([orderId], transaction)) {
        if (heldByReservation?.includes(item.listingId)) continue;
        await returnListingStock(this.db, item.listingId, item.quantity, transaction);
      }
      if (order.couponId) await releaseCoupon(this.db, order.couponId, orderId, now, transaction);
      await this.hooks.afterRelease?.(order, transaction);
      return order;
    });
    if (!released) return false;
    await this.unscheduleExpiry(orderId);
    if (released.paymentIntentId && how.paymentStatus !== 'failed') {
      await this.provider
        .cancelPayment(released.paymentIntentId, orderId)
        .catch((error: unknown) =>
          this.logger.warn({ err: error, orderId }, 'could not cancel the payment at the provider'),
        );
    }
    return true;
  }

  /** The coupon preview: the same rules as checkout, answered without holding anything. */
  async previewCoupon(buyerId: string, input: string, listingId: string, quantity: number) {
    const code = normaliseCouponCode(input);
    const row: CouponRow | undefined = code ? await findCouponByCode(this.db, code) : undefined;
    if (!row) return { valid: false, discountAmount: 0, reason: 'coupon_not_found' };
    const [listing] = await findCheckoutListings(this.db, [listingId]);
    if (!listing || listing.status !== 'active') throw AppError.notFound('listing');
    const verdict = evaluateCoupon(row, {
      buyerId,
      sellerBrandId: listing.sellerBrandId,
      currency: listing.currency,
      subtotalAmount: listing.priceAmount * quantity,
      now: this.clock.now().toJSDate(),
    });
    return verdict.valid
      ? { valid: true, discountAmount: verdict.discountAmount }
      : { valid: false, discountAmount: 0, reason: verdict.reason };
  }

  private async scheduleExpiry(orderId: string, expiresAt: Date): Promise<void> {
    try {
      await this.queue.add(
        EXPIRE_ORDER,
        { orderId },
        { jobId: `order:expire:${orderId}`, ...dueAt(expiresAt, this.clock) },
      );
    } catch (error) {
      // The periodic sweep expires it from MySQL if the job could not be queued.
      this.logger.warn({ err: error, orderId }, 'could not queue the expiry job');
    }
  }

  private async unscheduleExpiry(orderId: string): Promise<void> {
    await this.queue.remove(`order:expire:${orderId}`).catch(() => 0);
  }

  private async mustFind(orderId: string): Promise<OrderRow> {
    const order = await this.repo.findOrder(orderId);
    if (!order) throw AppError.notFound('order');
    return order;
  }

  /** Only the buyer (or seller) acts on their side of an order; others learn nothing. */
  private async ownOrder(
    orderId: string,
    userId: string,
    side: 'buyer' | 'seller',
  ): Promise<OrderRow> {
    const order = await this.mustFind(orderId);
    const owner = side === 'buyer' ? order.buyerId : order.sellerId;
    if (owner === userId) return order;
    if (order.buyerId === userId || order.sellerId === userId)
      throw AppError.forbidden(`Only the ${side} can do this.`);
    throw AppError.notFound('order');
  }
}
