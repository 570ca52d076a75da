import type { Db } from '../db/db';
import { type Tx, execute, selectOne, selectRows } from '../db/sql';
import type { OrderStatus } from './order-state';
import type { PricedLine } from './order-pricing';

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

/** The order's status once no refund is left on it: where it was before the first one. */
const STATUS_WITHOUT_REFUNDS = `CASE WHEN completed_at IS NOT NULL THEN 'completed'
  WHEN shipped_at IS NOT NULL THEN 'shipped' ELSE 'paid' END`;

/** An order as shown: with its buyer's and seller's display names, joined on their keys. */
const NAMED_ORDERS = `SELECT ${ORDER_COLUMNS},
  COALESCE(s.display_name, '') AS sellerName, COALESCE(b.display_name, '') AS buyerName
  FROM orders o LEFT JOIN users s ON s.id = o.seller_id LEFT JOIN users b ON b.id = o.buyer_id`;

export class OrdersRepository {
  constructor(private readonly db: Db) {}

  /** The order and its items are written with the COMMIT: nothing reads them back before it. */
  static insertOrder(order: NewOrder, lines: PricedLine[], now: Date, transaction: Tx): void {
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
      this.db,
      `SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.id = ?`,
      [id],
      transaction,
    );
  }

  findNamedOrder(id: string): Promise<NamedOrderRow | undefined> {
    return selectOne<NamedOrderRow>(this.db, `${NAMED_ORDERS} WHERE o.id = ?`, [id]);
  }

  findOrderByPaymentIntent(paymentIntentId: string): Promise<OrderRow | undefined> {
    return selectOne<OrderRow>(
      this.db,
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
      this.db,
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
      this.db,
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
      this.db,
      `UPDATE orders SET status = ?, ${[...sets, 'updated_at = ?'].join(', ')} WHERE id = ? AND status IN (?)`,
      [to, ...Object.values(fields), now, id, from],
      transaction,
    );
    return changed === 1;
  }

  /**
   * Books a refund of `amount` on an order in one of `refundable`, only if the refunded total
   * stays within the order's total: concurrent refunds can never exceed it. False if refused.
   */
  async bookRefund(
    id: string,
    amount: number,
    refundable: readonly OrderStatus[],
    now: Date,
    transaction: Tx,
  ): Promise<boolean> {
    const booked = await execute(
      this.db,
      `UPDATE orders SET status = IF(refunded_amount + ? >= total_amount, 'refunded', 'partially_refunded'),
              refunded_amount = refunded_amount + ?, updated_at = ?
        WHERE id = ? AND status IN (?) AND refunded_amount + ? <= total_amount`,
      [amount, amount, now, id, refundable, amount],
      transaction,
    );
    return booked === 1;
  }

  /** Takes back the booking of a refund the provider did not make. */
  async unbookRefund(id: string, amount: number, now: Date, transaction: Tx): Promise<void> {
    await execute(
      this.db,
      `UPDATE orders SET status = IF(refunded_amount - ? = 0, ${STATUS_WITHOUT_REFUNDS}, 'partially_refunded'),
              refunded_amount = refunded_amount - ?, updated_at = ?
        WHERE id = ? AND refunded_amount >= ?`,
      [amount, amount, now, id, amount],
      transaction,
    );
  }

  /**
   * Raises the refunded total to what the provider reports (never above the order's total),
   * for an order in one of `from`; false if it was there already.
   */
  async bookProviderRefundTotal(
    id: string,
    totalRefunded: number,
    from: readonly OrderStatus[],
    now: Date,
    transaction: Tx,
  ): Promise<boolean> {
    const changed = await execute(
      this.db,
      `UPDATE orders SET status = IF(? >= total_amount, 'refunded', 'partially_refunded'), refunded_amount = LEAST(?, total_amount), updated_at = ?
        WHERE id = ? AND status IN (?) AND refunded_amount < ?`,
      [totalRefunded, totalRefunded, now, id, from, totalRefunded],
      transaction,
    );
    return changed === 1;
  }

  /** Money that arrived after the order let go of its stock was given back. */
  async markPaymentRefunded(id: string, now: Date): Promise<void> {
    await execute(
      this.db,
      `UPDATE orders SET payment_status = 'refunded', updated_at = ? WHERE id = ?`,
      [now, id],
    );
  }

  async setPaymentDetails(
    id: string,
    details: { paymentIntentId: string | null; clientSecret: string | null; status: string },
    now: Date,
  ) {
    await execute(
      this.db,
      `UPDATE orders SET payment_intent_id = ?, payment_client_secret = ?, payment_status = ?, updated_at = ? WHERE id = ?`,
      [details.paymentIntentId, details.clientSecret, details.status, now, id],
    );
  }

  /** Pending orders whose hold ran out: the sweep's backstop for lost expiry jobs. */
  findOverdueOrderIds(now: Date, limit: number): Promise<Array<{ id: string }>> {
    return selectRows(
      this.db,
      `SELECT id FROM orders WHERE status = 'pending_payment' AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
      [now, limit],
    );
  }

  async findPayoutAccount(
    userId: string,
    transaction?: Tx,
  ): Promise<{ accountId: string; chargesEnabled: number } | undefined> {
    return selectOne(
      this.db,
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
  db: Db,
  orderId: string,
  stored: string,
  replacement: string,
): Promise<number> {
  return execute(
    db,
    'UPDATE orders SET shipping_address = ? WHERE id = ? AND shipping_address = ?',
    [replacement, orderId, stored],
  );
}

/** Erases the addresses kept in a buyer's orders (members outside the vault); the country stays. */
export async function eraseBuyerShippingAddresses(
  db: Db,
  buyerId: string,
  transaction: Tx,
): Promise<void> {
  await execute(
    db,
    `UPDATE orders SET shipping_address = JSON_OBJECT('vaultRef', 'erased', 'country',
            JSON_VALUE(shipping_address, '$.country'))
      WHERE buyer_id = ?`,
    [buyerId],
    transaction,
  );
}
