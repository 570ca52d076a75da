/**
 * The raw-SQL baselines of the checkout bench (bench/checkout.ts): one order's statements
 * issued through mysql2 with no HTTP and no ORM, one statement per round trip or in the API's
 * own batches, at the bench's concurrency.
 */
import mysqlCallbacks from 'mysql2';
import mysql from 'mysql2/promise';
import { holdCouponAtCommit, couponByCodeStatement } from '../src/coupons/coupons.repository';
import { Transaction } from '../src/db/db';
import { parseDatabaseUrl } from '../src/db/database';
import { newId } from '../src/ids';
import { takeListingStockAtCommit } from '../src/listings/listings.repository';
import { checkoutListingsStatement } from '../src/orders/checkout.repository';
import { OrdersRepository } from '../src/orders/orders.repository';
import { percentile } from './support';

/** A raw run: the bench database, how many connections for how long, whose orders to place. */
export interface RawOrderRun {
  databaseUrl: string;
  connections: number;
  seconds: number;
  sellerId: string;
  listingIds: string[];
  buyerIds: string[];
  shippingAddress: object;
}

/** Coupon codes handed out in order across runs, so no run reuses another's. */
export interface Codes {
  list: string[];
  next: number;
}

export const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** The raw runs' connections: the bench database, one per load connection. */
function rawPoolOptions(run: RawOrderRun) {
  const target = parseDatabaseUrl(run.databaseUrl);
  return {
    ...target.server,
    database: target.database,
    connectionLimit: run.connections,
    timezone: 'Z',
  };
}

/**
 * Every one of the run's connections places orders back to back for its seconds: the raw runs'
 * load loop, timed per order.
 */
async function ordersOnEachConnection<C>(
  run: RawOrderRun,
  open: () => Promise<C>,
  close: (connection: C) => void,
  placeOrder: (connection: C) => Promise<void>,
) {
  const latencies: number[] = [];
  const deadline = Date.now() + run.seconds * 1000;
  await Promise.all(
    Array.from({ length: run.connections }, async () => {
      const connection = await open();
      try {
        while (Date.now() < deadline) {
          const started = performance.now();
          await placeOrder(connection);
          latencies.push(performance.now() - started);
        }
      } finally {
        close(connection);
      }
    }),
  );
  return {
    requestsPerSecond: latencies.length / run.seconds,
    p99Ms: percentile(latencies, 99),
    total: latencies.length,
  };
}

/** The same statements checkout issues for one order, raw, in one transaction per order. */
export async function rawOrders(run: RawOrderRun, withCoupon: boolean, codes: Codes) {
  const pool = mysql.createPool(rawPoolOptions(run));
  const result = await ordersOnEachConnection(
    run,
    () => pool.getConnection(),
    (connection) => connection.release(),
    async (connection) => {
      const orderId = newId('ord');
      const listingId = pick(run.listingIds);
      const now = new Date();
      await connection.beginTransaction();
      await connection.execute(
        "UPDATE listings SET quantity = quantity - ? WHERE id = ? AND status = 'active' AND price_amount = ? AND quantity >= ?",
        [1, listingId, 2000, 1],
      );
      let couponId: string | null = null;
      if (withCoupon) {
        const code = codes.list[codes.next++]!;
        const [rows] = await connection.execute('SELECT id FROM coupons WHERE code = ?', [code]);
        couponId = (rows as Array<{ id: string }>)[0]!.id;
        await connection.execute(
          "UPDATE coupons SET status = 'held', order_id = ?, updated_at = ? WHERE id = ? AND status = 'available' AND expires_at > ?",
          [orderId, now, couponId, now],
        );
      }
      await connection.execute(
        `INSERT INTO orders (id, buyer_id, seller_id, status, currency, subtotal_amount, discount_amount, total_amount, platform_fee_amount, refunded_amount,
               coupon_id, coupon_code, shipping_address, payment_provider, payment_status, expires_at, created_at, updated_at)
             VALUES (?, ?, ?, 'pending_payment', 'USD', 2000, ?, ?, 0, 0, ?, NULL, ?, 'manual', 'creating', ?, ?, ?)`,
        [
          orderId,
          pick(run.buyerIds),
          run.sellerId,
          withCoupon ? 200 : 0,
          withCoupon ? 1800 : 2000,
          couponId,
          JSON.stringify(run.shippingAddress),
          new Date(Date.now() + 3_600_000),
          now,
          now,
        ],
      );
      await connection.execute(
        'INSERT INTO order_items (order_id, listing_id, title, quantity, unit_amount) VALUES (?, ?, ?, 1, 2000)',
        [orderId, listingId, 'Bench bowl'],
      );
      await connection.commit();
    },
  );
  await pool.end();
  return result;
}

/**
 * The API's own statements for one order, in the API's own two round trips (the listings and
 * coupon locked and read with the BEGIN; stock, coupon hold and order rows with the COMMIT),
 * raw through mysql2: what is left between this and the API is HTTP, JSON, auth and the
 * expiry job.
 */
export async function rawBatchedOrders(run: RawOrderRun, withCoupon: boolean, codes: Codes) {
  const pool = mysqlCallbacks.createPool({ ...rawPoolOptions(run), multipleStatements: true });
  const result = await ordersOnEachConnection(
    run,
    () =>
      new Promise<mysqlCallbacks.PoolConnection>((resolve, reject) =>
        pool.getConnection((error, c) => (error ? reject(error) : resolve(c))),
      ),
    (connection) => connection.release(),
    async (connection) => {
      const orderId = newId('ord');
      const listingId = pick(run.listingIds);
      const now = new Date();
      const tx = new Transaction(connection, true);
      const code = withCoupon ? codes.list[codes.next++]! : null;
      const [, couponRows] = (await tx.batch([
        checkoutListingsStatement([listingId], true),
        ...(code ? [couponByCodeStatement(code, true)] : []),
      ])) as [unknown, Array<{ id: string; code: string; brandId: string }>?];
      const coupon = couponRows?.[0];
      takeListingStockAtCommit(listingId, 1, tx);
      if (coupon) holdCouponAtCommit(coupon.id, orderId, now, tx);
      OrdersRepository.insertOrder(
        {
          id: orderId,
          buyerId: pick(run.buyerIds),
          sellerId: run.sellerId,
          status: 'pending_payment',
          currency: 'USD',
          subtotalAmount: 2000,
          discountAmount: coupon ? 200 : 0,
          totalAmount: coupon ? 1800 : 2000,
          platformFeeAmount: 0,
          couponId: coupon?.id ?? null,
          couponCode: coupon?.code ?? null,
          couponBrandId: coupon?.brandId ?? null,
          dropId: null,
          reservationId: null,
          referringNoteId: null,
          shippingAddress: JSON.stringify(run.shippingAddress),
          paymentProvider: 'manual',
          paymentStatus: 'requires_payment',
          paymentIntentId: `manual_${orderId}`,
          paymentClientSecret: null,
          expiresAt: new Date(Date.now() + 3_600_000),
          createdAt: now,
        },
        [{ listingId, title: 'Bench bowl', quantity: 1, unitAmount: 2000 }],
        now,
        tx,
      );
      await tx.commit();
    },
  );
  await new Promise<void>((resolve) => pool.end(() => resolve()));
  return result;
}
