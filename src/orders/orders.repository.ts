import type { Sequelize } from 'sequelize';
import {
  type BatchedTransaction,
  execute,
  selectOne,
  selectRows,
  type Statement,
  type Tx,
} from '../db/sql';
import type { OrderStatus } from './order-state';
import type { PricedLine } from './order-pricing';

export interface CheckoutListing {
  id: string;
  sellerId: string;
  sellerBrandId: string | null;
  /** A live puzzle drop of this listing, if any: then it sells only against a reservation. */
  liveDropId: string | null;
  title: string;
  priceAmount: number;
  currency: string;
  quantity: number;
  status: string;
}

export interface OrderRow {
  id: string;
  buyerId: string;
  sellerId: string;
  status: OrderStatus;
  currency: string;
  subtotalAmount: number;
  discountAmount: number;
  totalAmount: number;
  platformFeeAmount: number;
  refundedAmount: number;
  couponId: string | null;
  couponCode: string | null;
  couponBrandId: string | null;
  dropId: string | null;
  reservationId: string | null;
  shippingAddress: string;
  paymentProvider: 'manual' | 'stripe';
  paymentStatus: string;
  paymentIntentId: string | null;
  paymentClientSecret: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  expiresAt: Date;
  paidAt: Date | null;
  shippedAt: Date | null;
  completedAt: Date | null;
  canceledAt: Date | null;
  createdAt: Date;
}

export type NewOrder = Omit<
  OrderRow,
  | 'refundedAmount'
  | 'paidAt'
  | 'shippedAt'
  | 'completedAt'
  | 'canceledAt'
  | 'carrier'
  | 'trackingNumber'
>;

const ORDER_COLUMNS = `id, buyer_id AS buyerId, seller_id AS sellerId, status, currency,
  subtotal_amount AS subtotalAmount, discount_amount AS discountAmount, total_amount AS totalAmount,
  platform_fee_amount AS platformFeeAmount, refunded_amount AS refundedAmount, coupon_id AS couponId,
  coupon_code AS couponCode, coupon_brand_id AS couponBrandId, drop_id AS dropId,
  reservation_id AS reservationId, shipping_address AS shippingAddress,
  payment_provider AS paymentProvider, payment_status AS paymentStatus, payment_intent_id AS paymentIntentId,
  payment_client_secret AS paymentClientSecret, carrier, tracking_number AS trackingNumber,
  expires_at AS expiresAt, paid_at AS paidAt, shipped_at AS shippedAt, completed_at AS completedAt,
  canceled_at AS canceledAt, created_at AS createdAt`;

export class OrdersRepository {
  constructor(private readonly sequelize: Sequelize) {}

  /**
   * The listings of a checkout, with what pricing and the purchase rules need. `lock`: locked
   * in id order (a fixed order, so concurrent multi-item orders cannot deadlock); the
   * subqueries' rows (the seller, a live drop) are read, not locked.
   */
  static listingsStatement(ids: string[], lock = false): Statement {
    return [
      `SELECT l.id, l.seller_id AS sellerId,
              (SELECT u.brand_id FROM users u WHERE u.id = l.seller_id) AS sellerBrandId,
              l.title, l.price_amount AS priceAmount, l.currency, l.quantity, l.status,
              (SELECT d.id FROM drops d WHERE d.listing_id = l.id AND d.status = 'live' LIMIT 1) AS liveDropId
         FROM listings l
        WHERE l.id IN (?)
        ORDER BY l.id${lock ? ' FOR UPDATE' : ''}`,
      [ids],
    ];
  }

  findListings(ids: string[], transaction?: Tx): Promise<CheckoutListing[]> {
    const [sql, params] = OrdersRepository.listingsStatement(ids);
    return selectRows<CheckoutListing>(this.sequelize, sql, params, transaction);
  }

  /**
   * Takes units with the COMMIT, for a listing locked and checked in this transaction; the
   * CHECK (quantity >= 0) still refuses, and so undoes the whole order, if that were wrong.
   */
  static takeStockAtCommit(
    listingId: string,
    quantity: number,
    transaction: BatchedTransaction,
  ): void {
    transaction.atCommit([
      'UPDATE listings SET quantity = quantity - ? WHERE id = ?',
      [quantity, listingId],
    ]);
  }

  /** Gives units back to a listing, whatever its status (a paused listing still owns its stock). */
  async returnStock(listingId: string, quantity: number, transaction: Tx): Promise<void> {
    await execute(
      this.sequelize,
      'UPDATE listings SET quantity = quantity + ? WHERE id = ?',
      [quantity, listingId],
      transaction,
    );
  }

  /** The order and its items are written with the COMMIT: nothing reads them back before it. */
  static insertOrder(
    order: NewOrder,
    lines: PricedLine[],
    now: Date,
    transaction: BatchedTransaction,
  ): void {
    transaction.atCommit([
      `INSERT INTO orders (id, buyer_id, seller_id, status, currency, subtotal_amount, discount_amount, total_amount,
         platform_fee_amount, refunded_amount, coupon_id, coupon_code, coupon_brand_id, drop_id, reservation_id,
         shipping_address, payment_provider, payment_status, payment_intent_id, payment_client_secret, expires_at,
         created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        order.id,
        order.buyerId,
        order.sellerId,
        order.status,
        order.currency,
        order.subtotalAmount,
        order.discountAmount,
        order.totalAmount,
        order.platformFeeAmount,
        order.couponId,
        order.couponCode,
        order.couponBrandId,
        order.dropId,
        order.reservationId,
        order.shippingAddress,
        order.paymentProvider,
        order.paymentStatus,
        order.paymentIntentId,
        order.paymentClientSecret,
        order.expiresAt,
        now,
        now,
      ],
    ]);
    transaction.atCommit([
      `INSERT INTO order_items (order_id, listing_id, title, quantity, unit_amount) VALUES ${lines.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      lines.flatMap((line) => [
        order.id,
        line.listingId,
        line.title,
        line.quantity,
        line.unitAmount,
      ]),
    ]);
  }

  findOrder(id: string, transaction?: Tx): Promise<OrderRow | undefined> {
    return selectOne<OrderRow>(
      this.sequelize,
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?`,
      [id],
      transaction,
    );
  }

  findOrderByPaymentIntent(paymentIntentId: string): Promise<OrderRow | undefined> {
    return selectOne<OrderRow>(
      this.sequelize,
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE payment_intent_id = ?`,
      [paymentIntentId],
    );
  }

  findItems(
    orderIds: string[],
    transaction?: Tx,
  ): Promise<Array<PricedLine & { orderId: string }>> {
    if (orderIds.length === 0) return Promise.resolve([]);
    return selectRows(
      this.sequelize,
      `SELECT order_id AS orderId, listing_id AS listingId, title, quantity, unit_amount AS unitAmount
         FROM order_items WHERE order_id IN (?) ORDER BY listing_id`,
      [orderIds],
      transaction,
    );
  }

  listOrders(filter: {
    column: 'buyer_id' | 'seller_id';
    userId: string;
    status?: OrderStatus;
    afterId: string | null;
    limit: number;
  }) {
    const where = [`${filter.column} = ?`];
    const params: unknown[] = [filter.userId];
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (filter.afterId) {
      where.push('id < ?');
      params.push(filter.afterId);
    }
    params.push(filter.limit);
    return selectRows<OrderRow>(
      this.sequelize,
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`,
      params,
    );
  }

  /**
   * Moves an order from one of `from` to `to`, setting `fields` too; answers false if the order
   * was not in one of those statuses, so two racing transitions cannot both win.
   */
  async transition(
    id: string,
    from: OrderStatus[],
    to: OrderStatus,
    fields: Record<string, unknown>,
    now: Date,
    transaction?: Tx,
  ): Promise<boolean> {
    const sets = Object.keys(fields).map((column) => `${column} = ?`);
    const changed = await execute(
      this.sequelize,
      `UPDATE orders SET status = ?, ${[...sets, 'updated_at = ?'].join(', ')} WHERE id = ? AND status IN (?)`,
      [to, ...Object.values(fields), now, id, from],
      transaction,
    );
    return changed === 1;
  }

  async setPaymentDetails(
    id: string,
    details: { paymentIntentId: string | null; clientSecret: string | null; status: string },
    now: Date,
  ) {
    await execute(
      this.sequelize,
      `UPDATE orders SET payment_intent_id = ?, payment_client_secret = ?, payment_status = ?, updated_at = ? WHERE id = ?`,
      [details.paymentIntentId, details.clientSecret, details.status, now, id],
    );
  }

  /** Pending orders whose hold ran out: the sweep's backstop for lost expiry jobs. */
  findOverdueOrderIds(now: Date, limit: number): Promise<Array<{ id: string }>> {
    return selectRows(
      this.sequelize,
      `SELECT id FROM orders WHERE status = 'pending_payment' AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
      [now, limit],
    );
  }

  async findPayoutAccount(
    userId: string,
    transaction?: Tx,
  ): Promise<{ accountId: string; chargesEnabled: number } | undefined> {
    return selectOne(
      this.sequelize,
      'SELECT account_id AS accountId, charges_enabled AS chargesEnabled FROM payout_accounts WHERE user_id = ?',
      [userId],
      transaction,
    );
  }
}
