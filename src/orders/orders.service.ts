import type { Queue } from 'bullmq';
import type { Sequelize, Transaction } from 'sequelize';
import type { Clock } from '../clock';
import { dueAt } from '../../jobs/due-at';
import { normaliseCouponCode } from '../coupons/coupon-code';
import { evaluateCoupon } from '../coupons/coupon-rules';
import {
  findCouponByCode,
  holdCouponAtCommit,
  couponByCodeStatement,
  redeemCoupon,
  releaseCoupon,
  type CouponRow,
} from '../coupons/coupons.repository';
import { batchedTransaction, execute, type Tx } from '../db/sql';
import { AppError } from '../http/app-error';
import { decodeCursor, pageOf } from '../http/cursor';
import { newId } from '../ids';
import type { Logger } from '../logger';
import type { PaymentProvider } from '../payments/payment-provider';
import { priceOrder, subtotalOf, type PricedLine } from './order-pricing';
import { sourcesOf, type OrderStatus } from './order-state';
import { toOrderView } from './order-view';
import {
  OrdersRepository,
  type CheckoutListing,
  type NewOrder,
  type OrderRow,
} from './orders.repository';
import type { CreateOrderInput, OrderView } from './orders.schema';

export const EXPIRE_ORDER = 'expire-order';
export const SWEEP_OVERDUE_ORDERS = 'sweep-overdue-orders';

export interface OrdersSettings {
  holdMinutes: number;
  platformFeeBps: number;
}

export interface PurchaseGateInput {
  buyerId: string;
  lines: Array<{ listingId: string; quantity: number }>;
  reservationToken?: string;
  orderId: string;
  now: Date;
}

export interface PurchaseGate {
  dropId: string | null;
  reservationId: string | null;
  /** Listings whose units the reservation already holds. */
  heldListingIds: string[];
}

const NO_GATE: PurchaseGate = { dropId: null, reservationId: null, heldListingIds: [] };

/** Ways an order lets go of its stock, coupon and reservation. */
type Release = { to: 'canceled' | 'expired'; paymentStatus: string };

/**
 * Extension point for campaign features that gate or follow a purchase (puzzle drops):
 * called inside the order's transaction so their holds move with the order's.
 */
export interface PurchaseHooks {
  /**
   * Before stock is taken: may consume a reservation, whose unit then stands in for the
   * listing's stock on that line.
   */
  beforeCreate?(input: PurchaseGateInput, transaction: Tx): Promise<PurchaseGate>;
  /** Listings of a released order whose units belong to its reservation. */
  heldListingIds?(order: OrderRow, transaction: Transaction): Promise<string[]>;
  afterRelease?(order: OrderRow, transaction: Transaction): Promise<void>;
  afterPaid?(order: OrderRow, transaction: Transaction): Promise<void>;
}

export class OrdersService {
  private readonly repo: OrdersRepository;
  private hooks: PurchaseHooks = {};

  constructor(
    private readonly sequelize: Sequelize,
    private readonly clock: Clock,
    private readonly provider: PaymentProvider,
    private readonly queue: Queue,
    private readonly settings: OrdersSettings,
    private readonly logger: Logger,
  ) {
    this.repo = new OrdersRepository(sequelize);
  }

  useHooks(hooks: PurchaseHooks): void {
    this.hooks = hooks;
  }

  /**
   * Checkout in two round trips to MySQL. The first begins the transaction, locks the listings
   * (and the coupon) and reads them; the rules are checked on what the locks protect, so the
   * stock update, coupon hold and order rows that follow cannot fail a condition and travel
   * together with the COMMIT. Listings are locked in id order, then the coupon; an order with a
   * drop reservation locks the coupon, then the reservation, then the listings (see below).
   */
  async createOrder(buyerId: string, input: CreateOrderInput): Promise<OrderView> {
    const now = this.clock.now().toJSDate();
    const ids = input.items.map((item) => item.listingId);
    const code = input.couponCode ? normaliseCouponCode(input.couponCode) : null;
    const orderId = newId('ord', now.getTime());
    const expiresAt = new Date(now.getTime() + this.settings.holdMinutes * 60_000);

    // Invariant: stock taken, coupon held and order row exist together or not at all.
    const { order, names, lines, paymentRequest, localPayment } = await batchedTransaction(
      this.sequelize,
      async (transaction) => {
        // With a drop reservation, the reservation is locked before any listing (as when a
        // reservation is released or its drop ends), and the reserved listing not at all: its
        // unit is the reservation's. So those listings are locked later, below.
        const reserving = input.reservationToken !== undefined;
        const [listingRows, buyerRows, couponRows] = (await transaction.batch([
          OrdersRepository.listingsStatement(ids, !reserving),
          OrdersRepository.displayNameStatement(buyerId),
          ...(code ? [couponByCodeStatement(code, true)] : []),
        ])) as [CheckoutListing[], Array<{ displayName: string }>, CouponRow[] | undefined];
        const listings = this.checkoutListings(
          buyerId,
          ids,
          listingRows,
          input.shippingAddress.country,
        );
        const first = listings[0]!;
        const lines: PricedLine[] = input.items.map((item) => {
          const listing = listings.find((l) => l.id === item.listingId)!;
          return {
            listingId: listing.id,
            title: listing.title,
            quantity: item.quantity,
            unitAmount: listing.priceAmount,
          };
        });
        const coupon = input.couponCode
          ? this.applicableCoupon(couponRows?.[0], buyerId, first, subtotalOf(lines), now)
          : null;
        const amounts = priceOrder(
          lines,
          coupon?.discountAmount ?? 0,
          this.settings.platformFeeBps,
        );
        const paymentRequest = {
          orderId,
          amount: amounts.totalAmount,
          currency: first.currency,
          platformFeeAmount: amounts.platformFeeAmount,
          sellerAccountId: await this.sellerAccount(first.sellerId, transaction),
        };
        // A local provider (manual) answers without I/O, so its handle is written with the order.
        const localPayment = this.provider.isLocal
          ? await this.provider.createPayment(paymentRequest)
          : null;
        const gate = this.hooks.beforeCreate
          ? await this.hooks.beforeCreate(
              {
                buyerId,
                lines,
                reservationToken: input.reservationToken,
                orderId,
                now,
              },
              transaction,
            )
          : NO_GATE;
        if (!this.hooks.beforeCreate && input.reservationToken) {
          throw AppError.conflict(
            'reservation_invalid',
            'This reservation is not valid for these items.',
            'reservationToken',
          );
        }
        const toTake = lines.filter((line) => !gate.heldListingIds.includes(line.listingId));
        if (reserving && toTake.length > 0) {
          const [locked] = (await transaction.batch([
            OrdersRepository.listingsStatement(
              toTake.map((line) => line.listingId),
              true,
            ),
          ])) as [CheckoutListing[]];
          for (const row of locked) {
            const listing = listings.find((l) => l.id === row.id)!;
            // Priced on the first read: a listing changed since then is not sold at that price.
            if (row.status !== 'active' || row.priceAmount !== listing.priceAmount)
              throw AppError.conflict(
                'out_of_stock',
                `Listing ${row.id} changed while ordering; try again.`,
                'items',
              );
            listing.quantity = row.quantity;
          }
        }
        for (const line of toTake) {
          if (listings.find((l) => l.id === line.listingId)!.quantity < line.quantity) {
            throw AppError.conflict(
              'out_of_stock',
              `Not enough stock left for listing ${line.listingId}.`,
              'items',
            );
          }
          OrdersRepository.takeStockAtCommit(line.listingId, line.quantity, transaction);
        }
        if (coupon) holdCouponAtCommit(coupon.row.id, orderId, now, transaction);
        const row: NewOrder = {
          id: orderId,
          buyerId,
          sellerId: first.sellerId,
          status: 'pending_payment',
          currency: first.currency,
          ...amounts,
          couponId: coupon?.row.id ?? null,
          couponCode: coupon?.row.code ?? null,
          couponBrandId: coupon?.row.brandId ?? null,
          dropId: gate.dropId,
          reservationId: gate.reservationId,
          shippingAddress: JSON.stringify(input.shippingAddress),
          paymentProvider: this.provider.name,
          paymentStatus: localPayment?.status ?? 'creating',
          paymentIntentId: localPayment?.paymentIntentId ?? null,
          paymentClientSecret: localPayment?.clientSecret ?? null,
          expiresAt,
          createdAt: now,
        };
        OrdersRepository.insertOrder(row, lines, now, transaction);
        const names = { sellerName: first.sellerName, buyerName: buyerRows[0]?.displayName ?? '' };
        return { order: row, names, lines, paymentRequest, localPayment };
      },
    );

    await this.scheduleExpiry(orderId, expiresAt);
    if (!localPayment) {
      try {
        const payment = await this.provider.createPayment(paymentRequest);
        await this.repo.setPaymentDetails(orderId, payment, this.clock.now().toJSDate());
        Object.assign(order, {
          paymentStatus: payment.status,
          paymentIntentId: payment.paymentIntentId,
          paymentClientSecret: payment.clientSecret,
        });
      } catch (error) {
        // Compensate: without a payment the hold must not outlive the request.
        this.logger.error(
          { err: error, orderId, dropId: order.dropId },
          'payment creation failed; releasing the order',
        );
        await this.release(orderId, { to: 'canceled', paymentStatus: 'failed' });
        throw AppError.unavailable(
          'The payment provider could not be reached; nothing was charged. Try again.',
        );
      }
    }
    return toOrderView({ ...newOrderRow(order), ...names }, lines, buyerId);
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
    if (!(await this.markPaid(orderId))) throw this.illegal(await this.mustFind(orderId), 'paid');
    return this.getOrder(orderId, buyerId);
  }

  /**
   * pending_payment -> paid, redeeming the held coupon in the same transaction. Answers false
   * (and changes nothing) if the order was not pending: a replayed event pays once.
   */
  async markPaid(orderId: string): Promise<boolean> {
    const now = this.clock.now().toJSDate();
    const paid = await this.sequelize.transaction(async (transaction) => {
      const changed = await this.repo.transition(
        orderId,
        ['pending_payment'],
        'paid',
        { paid_at: now, payment_status: 'succeeded' },
        now,
        transaction,
      );
      if (!changed) return false;
      const order = (await this.repo.findOrder(orderId, transaction))!;
      if (
        order.couponId &&
        (await redeemCoupon(this.sequelize, order.couponId, orderId, now, transaction)) !== 1
      ) {
        throw new Error(`order ${orderId} was paid but its coupon was not held by it`);
      }
      await this.hooks.afterPaid?.(order, transaction);
      return true;
    });
    if (paid) await this.unscheduleExpiry(orderId);
    return paid;
  }

  async cancel(orderId: string, buyerId: string): Promise<OrderView> {
    await this.ownOrder(orderId, buyerId, 'buyer');
    if (!(await this.release(orderId, { to: 'canceled', paymentStatus: 'canceled' }))) {
      throw this.illegal(await this.mustFind(orderId), 'canceled');
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
    if (!(await this.repo.transition(orderId, sourcesOf('shipped'), 'shipped', fields, now))) {
      throw this.illegal(await this.mustFind(orderId), 'shipped');
    }
    return this.getOrder(orderId, sellerId);
  }

  async complete(orderId: string, buyerId: string): Promise<OrderView> {
    await this.ownOrder(orderId, buyerId, 'buyer');
    const now = this.clock.now().toJSDate();
    if (
      !(await this.repo.transition(orderId, ['shipped'], 'completed', { completed_at: now }, now))
    ) {
      throw this.illegal(await this.mustFind(orderId), 'completed');
    }
    return this.getOrder(orderId, buyerId);
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
  ): Promise<OrderView> {
    const order = await this.mustFind(orderId);
    if (!actor.isAdmin && order.sellerId !== actor.userId) {
      if (order.buyerId === actor.userId)
        throw AppError.forbidden('Only the seller or an admin can refund.');
      throw AppError.notFound('order');
    }
    const refundable = ['paid', 'shipped', 'partially_refunded'];
    if (!refundable.includes(order.status)) throw this.illegal(order, 'refunded');
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
    return this.getOrder(orderId, actor.userId, true);
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

  /**
   * pending_payment -> canceled/expired, giving back stock, coupon and reservation in the same
   * transaction. Answers false if the order was no longer pending (paid, or released already).
   */
  private async release(orderId: string, how: Release): Promise<boolean> {
    const now = this.clock.now().toJSDate();
    const released = await this.sequelize.transaction(async (transaction) => {
      const changed = await this.repo.transition(
        orderId,
        ['pending_payment'],
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
        await this.repo.returnStock(item.listingId, item.quantity, transaction);
      }
      if (order.couponId)
        await releaseCoupon(this.sequelize, order.couponId, orderId, now, transaction);
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

  private checkoutListings(
    buyerId: string,
    ids: string[],
    found: CheckoutListing[],
    country: string,
  ): CheckoutListing[] {
    const byId = new Map(found.map((listing) => [listing.id, listing]));
    const listings = ids.map((id, index) => {
      const listing = byId.get(id);
      if (!listing || listing.status === 'archived') {
        throw new AppError(
          404,
          'not_found',
          'listing_not_found',
          `No such listing: ${id}.`,
          `items.${index}.listingId`,
        );
      }
      if (listing.status !== 'active')
        throw AppError.conflict(
          'listing_not_available',
          `Listing ${id} is not for sale right now.`,
          `items.${index}.listingId`,
        );
      const shipsTo = JSON.parse(listing.shipsTo) as string[];
      if (shipsTo.length > 0 && !shipsTo.includes(country))
        throw AppError.invalid(
          'cannot_ship_to',
          `Listing ${id} does not ship to ${country}; it ships to ${shipsTo.join(', ')}.`,
          'shippingAddress.country',
        );
      return listing;
    });
    if (new Set(listings.map((l) => l.sellerId)).size > 1) {
      throw AppError.invalid(
        'multiple_sellers',
        'An order holds items of one seller; place one order per seller.',
        'items',
      );
    }
    if (new Set(listings.map((l) => l.currency)).size > 1) {
      throw AppError.invalid(
        'currency_mismatch',
        'An order is in one currency; these listings are priced in several.',
        'items',
      );
    }
    if (listings[0]!.sellerId === buyerId)
      throw AppError.forbidden('You cannot buy your own listing.', 'own_listing');
    return listings;
  }

  private applicableCoupon(
    row: CouponRow | undefined,
    buyerId: string,
    listing: CheckoutListing,
    subtotalAmount: number,
    now: Date,
  ) {
    if (!row)
      throw new AppError(
        404,
        'not_found',
        'coupon_not_found',
        'No such coupon code.',
        'couponCode',
      );
    const verdict = evaluateCoupon(row, {
      buyerId,
      sellerBrandId: listing.sellerBrandId,
      currency: listing.currency,
      subtotalAmount,
      now,
    });
    if (!verdict.valid)
      throw AppError.conflict(verdict.reason, couponMessage(verdict.reason), 'couponCode');
    return { row, discountAmount: verdict.discountAmount };
  }

  /** The coupon preview: the same rules as checkout, answered without holding anything. */
  async previewCoupon(buyerId: string, input: string, listingId: string, quantity: number) {
    const code = normaliseCouponCode(input);
    const row: CouponRow | undefined = code
      ? await findCouponByCode(this.sequelize, code)
      : undefined;
    if (!row) return { valid: false, discountAmount: 0, reason: 'coupon_not_found' };
    const [listing] = await this.repo.findListings([listingId]);
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

  private async sellerAccount(sellerId: string, transaction?: Tx): Promise<string | null> {
    if (!this.provider.needsSellerAccount) return null;
    const account = await this.repo.findPayoutAccount(sellerId, transaction);
    if (!account?.chargesEnabled) {
      throw AppError.conflict(
        'seller_cannot_accept_payments',
        'The seller has not finished setting up payouts yet.',
      );
    }
    return account.accountId;
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

  private illegal(order: OrderRow, to: OrderStatus): AppError {
    return AppError.conflict(
      'invalid_state',
      `An order that is ${order.status} cannot become ${to}.`,
    );
  }
}

/** The full row of an order just written: nothing refunded, shipped or closed yet. */
function newOrderRow(order: NewOrder): OrderRow {
  return {
    ...order,
    refundedAmount: 0,
    carrier: null,
    trackingNumber: null,
    paidAt: null,
    shippedAt: null,
    completedAt: null,
    canceledAt: null,
  };
}

function couponMessage(reason: string): string {
  switch (reason) {
    case 'coupon_expired':
      return 'This coupon has expired.';
    case 'coupon_already_used':
      return 'This coupon has already been used.';
    case 'currency_mismatch':
      return "The coupon's currency differs from the order's.";
    case 'coupon_min_spend_not_met':
      return 'The order does not reach the coupon’s minimum spend.';
    default:
      return 'This coupon does not apply to these items.';
  }
}
