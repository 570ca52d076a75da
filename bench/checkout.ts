/**
 * Checkout throughput: POST /v1/orders at 64 connections, with and without a coupon, against
 * the same SQL statements of one order issued raw through mysql2 (no HTTP, no ORM) at the same
 * concurrency, in the same run. Writes orders/s, the ratio and p99 to bench/RESULTS.md.
 *
 *   npm run bench:checkout            (BENCH_SECONDS=10 by default)
 */
import mysql from 'mysql2/promise';
import { AccountsService } from '../src/accounts/accounts.service';
import { SessionCache } from '../src/accounts/session-cache';
import { systemClock } from '../src/clock';
import { generateCouponCode } from '../src/coupons/coupon-code';
import {
  createSequelize,
  dropDatabase,
  ensureDatabase,
  parseDatabaseUrl,
} from '../src/db/database';
import { migrate } from '../src/db/migrator';
import { newId } from '../src/ids';
import { createRedis } from '../src/redis/connection';
import {
  machineLine,
  percentile,
  runBench,
  runLoad,
  startServer,
  stopServer,
  summarise,
  writeSection,
} from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 64;
const LISTINGS = 1000;
const PORT = 3990;
const name = `cs_bench_checkout_${Date.now()}`;
const DATABASE_URL = `mysql://root@127.0.0.1:3306/${name}`;
const ADDRESS = {
  name: 'Bench Buyer',
  line1: '1 Load St',
  city: 'Osaka',
  postalCode: '530-0001',
  country: 'JP',
};

interface Seed {
  sellerId: string;
  listingIds: string[];
  tokens: string[];
  buyerIds: string[];
  codes: string[];
}

async function seed(couponCount: number): Promise<Seed> {
  await ensureDatabase(DATABASE_URL);
  const sequelize = createSequelize(DATABASE_URL, { poolMax: 4 });
  await migrate(sequelize);
  // Buyers sign in as they would through the API: sessions in MySQL and in the service's Redis.
  const redis = createRedis('redis://127.0.0.1:6379', { name: 'bench-seed' });
  const accounts = new AccountsService(sequelize, systemClock, new SessionCache(redis, name));
  const seller = await accounts.signup({
    email: 'seller@bench.test',
    password: 'bench-password',
    displayName: 'Seller',
    country: 'JP',
    accountType: 'brand',
    brandName: 'Bench Brand',
  });
  const buyers = await Promise.all(
    Array.from({ length: CONNECTIONS }, (_, i) =>
      accounts.signup({
        email: `buyer${i}@bench.test`,
        password: 'bench-password',
        displayName: `Buyer ${i}`,
        country: 'BR',
        accountType: 'member',
      }),
    ),
  );
  const now = new Date();
  const listingIds = Array.from({ length: LISTINGS }, () => newId('lst'));
  await sequelize.query(
    `INSERT INTO listings (id, seller_id, title, description, price_amount, currency, quantity, category, item_condition, images, ships_to, ships_worldwide, status, created_at, updated_at)
     VALUES ${listingIds.map(() => "(?, ?, 'Bench bowl', 'A bowl for load', 2000, 'USD', 100000000, 'ceramics', 'new', '[]', '[]', 1, 'active', ?, ?)").join(', ')}`,
    { replacements: listingIds.flatMap((id) => [id, seller.user.id, now, now]) },
  );
  const codes: string[] = [];
  for (let done = 0; done < couponCount; done += 1000) {
    const chunk = Array.from({ length: Math.min(1000, couponCount - done) }, () =>
      generateCouponCode(),
    );
    codes.push(...chunk);
    await sequelize.query(
      `INSERT INTO coupons (id, code, brand_id, discount_type, percent_off, expires_at, status, created_at, updated_at)
       VALUES ${chunk.map(() => "(?, ?, ?, 'percent', 10, ?, 'available', ?, ?)").join(', ')}`,
      {
        replacements: chunk.flatMap((code) => [
          newId('cpn'),
          code,
          seller.user.brandId,
          new Date(Date.now() + 86_400_000),
          now,
          now,
        ]),
      },
    );
  }
  await sequelize.close();
  redis.disconnect();
  return {
    sellerId: seller.user.id,
    listingIds,
    tokens: buyers.map((b) => b.token),
    buyerIds: buyers.map((b) => b.user.id),
    codes,
  };
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;

async function httpOrders(data: Seed, withCoupon: boolean, codes: string[]) {
  let next = 0;
  const result = await runLoad({
    url: `http://127.0.0.1:${PORT}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/v1/orders',
        setupRequest: (req) => {
          const body: Record<string, unknown> = {
            items: [{ listingId: pick(data.listingIds), quantity: 1 }],
            shippingAddress: ADDRESS,
          };
          if (withCoupon) body.couponCode = codes[next++];
          return {
            ...req,
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${pick(data.tokens)}`,
            },
            body: JSON.stringify(body),
          };
        },
      },
    ],
  });
  return { ...summarise(result), used: next };
}

/** The same statements checkout issues for one order, raw, in one transaction per order. */
async function rawOrders(data: Seed, withCoupon: boolean, codes: string[]) {
  const target = parseDatabaseUrl(DATABASE_URL);
  const pool = mysql.createPool({
    ...target.server,
    database: target.database,
    connectionLimit: CONNECTIONS,
    timezone: 'Z',
  });
  const latencies: number[] = [];
  let next = 0;
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const connection = await pool.getConnection();
      try {
        while (Date.now() < deadline) {
          const started = performance.now();
          const orderId = newId('ord');
          const listingId = pick(data.listingIds);
          const now = new Date();
          await connection.beginTransaction();
          await connection.execute(
            "UPDATE listings SET quantity = quantity - ? WHERE id = ? AND status = 'active' AND price_amount = ? AND quantity >= ?",
            [1, listingId, 2000, 1],
          );
          let couponId: string | null = null;
          if (withCoupon) {
            const code = codes[next++]!;
            const [rows] = await connection.execute('SELECT id FROM coupons WHERE code = ?', [
              code,
            ]);
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
              pick(data.buyerIds),
              data.sellerId,
              withCoupon ? 200 : 0,
              withCoupon ? 1800 : 2000,
              couponId,
              JSON.stringify(ADDRESS),
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
          latencies.push(performance.now() - started);
        }
      } finally {
        connection.release();
      }
    }),
  );
  await pool.end();
  return {
    requestsPerSecond: latencies.length / SECONDS,
    p99Ms: percentile(latencies, 99),
    total: latencies.length,
  };
}

async function main(): Promise<void> {
  const couponBudget = 200_000;
  process.stdout.write(
    `seeding ${LISTINGS} listings, ${CONNECTIONS} buyers, ${couponBudget} coupons into ${name}\n`,
  );
  const data = await seed(couponBudget);
  const [httpCodes, rawCodes] = [
    data.codes.slice(0, couponBudget / 2),
    data.codes.slice(couponBudget / 2),
  ];
  const server = await startServer(
    {
      DATABASE_URL,
      REDIS_PREFIX: name,
      ROLE: 'api',
      ORDER_HOLD_MINUTES: '600',
      DB_POOL_MAX: String(CONNECTIONS),
    },
    PORT,
  );
  try {
    await runLoad({ url: `http://127.0.0.1:${PORT}/healthz`, connections: 8, duration: 2 });
    const plain = await httpOrders(data, false, httpCodes);
    const coupon = await httpOrders(data, true, httpCodes);
    await stopServer(server);
    const rawPlain = await rawOrders(data, false, rawCodes);
    const rawCoupon = await rawOrders(data, true, rawCodes);
    const row = (
      label: string,
      http: { requestsPerSecond: number; p99Ms: number; non2xx: number },
      raw: { requestsPerSecond: number; p99Ms: number },
    ) =>
      `| ${label} | ${http.requestsPerSecond.toFixed(0)} | ${http.p99Ms.toFixed(1)} | ${http.non2xx} | ${raw.requestsPerSecond.toFixed(0)} | ${raw.p99Ms.toFixed(1)} | **${(http.requestsPerSecond / raw.requestsPerSecond).toFixed(2)}** |`;
    const body = [
      `${machineLine()}; ${CONNECTIONS} connections, ${SECONDS} s per run, ${LISTINGS} listings, manual payment provider, API in its own process (ROLE=api, LOG_LEVEL=warn).`,
      'Baseline: the same SQL statements of one order (stock update, [coupon lookup and hold,] order and item inserts) in one transaction, raw through mysql2 at the same concurrency.',
      '',
      '| run | API orders/s | API p99 ms | API non-2xx | raw SQL orders/s | raw p99 ms | ratio API/raw |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      row('without coupon', plain, rawPlain),
      row('with coupon', coupon, rawCoupon),
      '',
      'Goal: ratio ≥ 0.5 and API p99 < 100 ms.',
    ].join('\n');
    writeSection('checkout (POST /v1/orders)', body);
    process.stdout.write(`${body}\n`);
  } finally {
    await stopServer(server);
    await dropDatabase(DATABASE_URL);
  }
}

runBench(main);
