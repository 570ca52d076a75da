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
  sellerName: string;
  title: string;
  priceAmount: number;
  currency: string;
  quantity: number;
  status: string;
  /** JSON array of the countries it ships to; empty: anywhere. */
  shipsTo: string;
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
  referringNoteId: string | null;
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

export interface NamedOrderRow extends OrderRow {
  sellerName: string;
  buyerName: string;
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

const ORDER_COLUMNS = `o.id, o.buyer_id AS buyerId, o.seller_id AS sellerId, o.status, o.currency,
  o.subtotal_amount AS subtotalAmount, o.discount_amount AS discountAmount, o.total_amount AS totalAmount,
  o.platform_fee_amount AS platformFeeAmount, o.refunded_amount AS refundedAmount, o.coupon_id AS couponId,
  o.coupon_code AS couponCode, o.coupon_brand_id AS couponBrandId, o.drop_id AS dropId,
  o.reservation_id AS reservationId, o.referring_note_id AS referringNoteId, o.shipping_address AS shippingAddress,
  o.payment_provider AS paymentProvider, o.payment_status AS paymentStatus, o.payment_intent_id AS paymentIntentId,
  o.payment_client_secret AS paymentClientSecret, o.carrier, o.tracking_number AS trackingNumber,
  o.expires_at AS expiresAt, o.paid_at AS paidAt, o.shipped_at AS shippedAt, o.completed_at AS completedAt,
  o.canceled_at AS canceledAt, o.created_at AS createdAt`;

/** An order as shown: with its buyer's and seller's display names, joined on their keys. */
const NAMED_ORDERS = `SELECT ${ORDER_COLUMNS},
  COALESCE(s.display_name, '') AS sellerName, COALESCE(b.display_name, '') AS buyerName
  FROM orders o LEFT JOIN users s ON s.id = o.seller_id LEFT JOIN users b ON b.id = o.buyer_id`;

export class OrdersRepository {
  constructor(private readonly sequelize: Sequelize) {}

  /**
   * The listings of a checkout, with what pricing and the purchase rules need. `lock`: locked
   * in id order (a fixed order, so concurrent multi-item orders cannot deadlock); the
   * subqueries' rows (the seller) are read, not locked.
   */
  static listingsStatement(ids: string[], lock = false): Statement {
    return [
      `SELECT l.id, l.seller_id AS sellerId,
              (SELECT u.brand_id FROM users u WHERE u.id = l.seller_id) AS sellerBrandId,
              (SELECT u.display_name FROM users u WHERE u.id = l.seller_id) AS sellerName,
              l.title, l.price_amount AS priceAmount, l.currency, l.quantity, l.status,
              l.ships_to AS shipsTo
         FROM listings l
        WHERE l.id IN (?)
        ORDER BY l.id${lock ? ' FOR UPDATE' : ''}`,
      [ids],
    ];
  }

  /** A user's display name, read with the checkout's first batch so the order shows it. */
  static displayNameStatement(userId: string): Statement {
    return ['SELECT display_name AS displayName FROM users WHERE id = ?', [userId]];
  }

  findListings(ids: string[], transaction?: Tx): Promise<CheckoutListing[]> {
    const [sql, params] = OrdersRepository.listingsStatement(ids);
    return selectRows<CheckoutListing>(this.sequelize, sql, params, transaction);
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
         referring_note_id, shipping_address, payment_provider, payment_status, payment_intent_id,
         payment_client_secret, expires_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        order.referringNoteId,
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
      `SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.id = ?`,
      [id],
      transaction,
    );
  }

  findNamedOrder(id: string): Promise<NamedOrderRow | undefined> {
    return selectOne<NamedOrderRow>(this.sequelize, `${NAMED_ORDERS} WHERE o.id = ?`, [id]);
  }

  findOrderByPaymentIntent(paymentIntentId: string): Promise<OrderRow | undefined> {
    return selectOne<OrderRow>(
      this.sequelize,
      `SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.payment_intent_id = ?`,
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
    const where = [`o.${filter.column} = ?`];
    const params: unknown[] = [filter.userId];
    if (filter.status) {
      where.push('o.status = ?');
      params.push(filter.status);
    }
    if (filter.afterId) {
      where.push('o.id < ?');
      params.push(filter.afterId);
    }
    params.push(filter.limit);
    return selectRows<NamedOrderRow>(
      this.sequelize,
      `${NAMED_ORDERS} WHERE ${where.join(' AND ')} ORDER BY o.id DESC LIMIT ?`,
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

/**
 * Replaces an order's stored shipping address, if it is still `stored` (a conditional update:
 * an order changed meanwhile is left alone). Answers how many rows changed.
 */
export function replaceShippingAddress(
  sequelize: Sequelize,
  orderId: string,
  stored: string,
  replacement: string,
): Promise<number> {
  return execute(
    sequelize,
    'UPDATE orders SET shipping_address = ? WHERE id = ? AND shipping_address = ?',
    [replacement, orderId, stored],
  );
}

/** Erases the addresses kept in a buyer's orders (members outside the vault); the country stays. */
export async function eraseBuyerShippingAddresses(
  sequelize: Sequelize,
  buyerId: string,
  transaction: Tx,
): Promise<void> {
  await execute(
    sequelize,
    `UPDATE orders SET shipping_address = JSON_OBJECT('vaultRef', 'erased', 'country',
            JSON_VALUE(shipping_address, '$.country'))
      WHERE buyer_id = ?`,
    [buyerId],
    transaction,
  );
}
