/**
 * Checkout throughput: POST /v1/orders at 64 connections, with and without a coupon, and naming
 * the note the buyer came through (`referringNoteId`, checked against the note's links), against
 * the same SQL statements of one order issued raw through mysql2 (no HTTP, no ORM) at the same
 * concurrency, in the same run; and against the API's own statements in its own two round trips,
 * raw. Writes orders/s, the ratios and p99 to bench/RESULTS.md.
 *
 *   npm run bench:checkout            (BENCH_ROUNDS=3 of BENCH_SECONDS=5 by default;
 *                                      BENCH_MYSQL_SOCKET=/run/mysqld/mysqld.sock: over the socket)
 */
import mysqlCallbacks from 'mysql2';
import mysql from 'mysql2/promise';
import { AccountsService } from '../src/accounts/accounts.service';
import { SessionCache } from '../src/accounts/session-cache';
import { systemClock } from '../src/clock';
import { generateCouponCode } from '../src/coupons/coupon-code';
import { Db, Transaction } from '../src/db/db';
import { ensureDatabase, parseDatabaseUrl } from '../src/db/database';
import { migrateDatabase } from '../src/db/migrator';
import { holdCouponAtCommit, couponByCodeStatement } from '../src/coupons/coupons.repository';
import { checkoutListingsStatement } from '../src/orders/checkout.repository';
import { OrdersRepository } from '../src/orders/orders.repository';
import { takeListingStockAtCommit } from '../src/listings/listings.repository';
import { newId } from '../src/ids';
import { createRedis } from '../src/redis/connection';
import {
  BENCH_DATABASE_HOSTS,
  BENCH_REDIS,
  BENCH_REDIS_ENV,
  CLUSTERS_TITLE,
  dropBenchData,
  machineLine,
  percentile,
  runBench,
  runLoad,
  startServer,
  stopServer,
  summarise,
  waitUntilIdle,
  writeSection,
} from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 64;
const LISTINGS = 1000;
const PORT = 3990;
const API_PROCESSES = process.env.API_PROCESSES ?? '1';
const name = `cs_bench_checkout_${Date.now()}`;
const DATABASE_URL = `mysql://root@${BENCH_DATABASE_HOSTS}/${name}${process.env.BENCH_MYSQL_SOCKET ? `?socketPath=${process.env.BENCH_MYSQL_SOCKET}` : ''}`;
const ADDRESS = {
  name: 'Bench Buyer',
  line1: '1 Load St',
  city: 'Osaka',
  postalCode: '530-0001',
  country: 'JP',
};

interface Seed {
  sellerId: string;
  sellerToken: string;
  listingIds: string[];
  tokens: string[];
  buyerIds: string[];
  codes: string[];
}

async function seed(couponCount: number): Promise<Seed> {
  await ensureDatabase(DATABASE_URL);
  await migrateDatabase(DATABASE_URL);
  const db = new Db(DATABASE_URL, { poolMax: 4 });
  // Buyers sign in as they would through the API: sessions in MySQL and in the service's Redis.
  const redis = createRedis(BENCH_REDIS, { name: 'bench-seed' });
  const accounts = new AccountsService(db, systemClock, new SessionCache(redis, name));
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
  await db.query(
    `INSERT INTO listings (id, seller_id, title, description, price_amount, currency, quantity, category, item_condition, images, ships_to, ships_worldwide, status, created_at, updated_at)
     VALUES ${listingIds.map(() => "(?, ?, 'Bench bowl', 'A bowl for load', 2000, 'USD', 100000000, 'ceramics', 'new', '[]', '[]', 1, 'active', ?, ?)").join(', ')}`,
    listingIds.flatMap((id) => [id, seller.user.id, now, now]),
  );
  const codes: string[] = [];
  for (let done = 0; done < couponCount; done += 1000) {
    const chunk = Array.from({ length: Math.min(1000, couponCount - done) }, () =>
      generateCouponCode(),
    );
    codes.push(...chunk);
    await db.query(
      `INSERT INTO coupons (id, code, brand_id, discount_type, percent_off, expires_at, status, created_at, updated_at)
       VALUES ${chunk.map(() => "(?, ?, ?, 'percent', 10, ?, 'available', ?, ?)").join(', ')}`,
      chunk.flatMap((code) => [
        newId('cpn'),
        code,
        seller.user.brandId,
        new Date(Date.now() + 86_400_000),
        now,
        now,
      ]),
    );
  }
  await db.close();
  redis.disconnect();
  return {
    sellerId: seller.user.id,
    sellerToken: seller.token,
    listingIds,
    tokens: buyers.map((b) => b.token),
    buyerIds: buyers.map((b) => b.user.id),
    codes,
  };
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** Coupon codes handed out in order across runs, so no run reuses another's. */
interface Codes {
  list: string[];
  next: number;
}

/** Each listing's note: published notes by the seller, each linking five listings. */
async function postNotes(data: Seed): Promise<Map<string, string>> {
  const noteOf = new Map<string, string>();
  for (let first = 0; first < data.listingIds.length; first += 5) {
    const listingIds = data.listingIds.slice(first, first + 5);
    const res = await fetch(`http://127.0.0.1:${PORT}/v1/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${data.sellerToken}` },
      body: JSON.stringify({
        clientId: crypto.randomUUID(),
        title: 'Bench bowls',
        body: 'Five bowls for load.',
        languages: ['en'],
        cultureTags: [],
        listingIds,
      }),
    });
    const note = (await res.json()) as { id: string; status: string };
    if (res.status !== 201 || note.status !== 'published')
      throw new Error(`note not published: ${res.status} ${JSON.stringify(note)}`);
    for (const id of listingIds) noteOf.set(id, note.id);
  }
  return noteOf;
}

/** What an order names besides its item: nothing, a coupon, or the note it came through. */
type Extra = { coupon: Codes } | { noteOf: Map<string, string> } | null;

async function httpOrders(data: Seed, extra: Extra, seconds = SECONDS) {
  const result = await runLoad({
    url: `http://127.0.0.1:${PORT}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/v1/orders',
        setupRequest: (req) => {
          const listingId = pick(data.listingIds);
          const body: Record<string, unknown> = {
            items: [{ listingId, quantity: 1 }],
            shippingAddress: ADDRESS,
          };
          if (extra && 'coupon' in extra) body.couponCode = extra.coupon.list[extra.coupon.next++];
          if (extra && 'noteOf' in extra) body.referringNoteId = extra.noteOf.get(listingId);
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
  return summarise(result);
}

/** The raw runs' connections: the bench database, one per load connection. */
function rawPoolOptions() {
  const target = parseDatabaseUrl(DATABASE_URL);
  return {
    ...target.server,
    database: target.database,
    connectionLimit: CONNECTIONS,
    timezone: 'Z',
  };
}

/**
 * Every one of CONNECTIONS connections places orders back to back for SECONDS: the raw runs'
 * load loop, timed per order.
 */
async function ordersOnEachConnection<C>(
  open: () => Promise<C>,
  close: (connection: C) => void,
  placeOrder: (connection: C) => Promise<void>,
) {
  const latencies: number[] = [];
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
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
    requestsPerSecond: latencies.length / SECONDS,
    p99Ms: percentile(latencies, 99),
    total: latencies.length,
  };
}

/** The same statements checkout issues for one order, raw, in one transaction per order. */
async function rawOrders(data: Seed, withCoupon: boolean, codes: Codes) {
  const pool = mysql.createPool(rawPoolOptions());
  const result = await ordersOnEachConnection(
    () => pool.getConnection(),
    (connection) => connection.release(),
    async (connection) => {
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
async function rawBatchedOrders(data: Seed, withCoupon: boolean, codes: Codes) {
  const pool = mysqlCallbacks.createPool({ ...rawPoolOptions(), multipleStatements: true });
  const result = await ordersOnEachConnection(
    () =>
      new Promise<mysqlCallbacks.PoolConnection>((resolve, reject) =>
        pool.getConnection((error, c) => (error ? reject(error) : resolve(c))),
      ),
    (connection) => connection.release(),
    async (connection) => {
      const orderId = newId('ord');
      const listingId = pick(data.listingIds);
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
          buyerId: pick(data.buyerIds),
          sellerId: data.sellerId,
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
          shippingAddress: JSON.stringify(ADDRESS),
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

async function main(): Promise<void> {
  const couponBudget = 200_000;
  process.stdout.write(
    `seeding ${LISTINGS} listings, ${CONNECTIONS} buyers, ${couponBudget} coupons into ${name}\n`,
  );
  const data = await seed(couponBudget);
  const third = couponBudget / 3;
  const codes = {
    http: { list: data.codes.slice(0, third), next: 0 },
    raw: { list: data.codes.slice(third, 2 * third), next: 0 },
    batched: { list: data.codes.slice(2 * third), next: 0 },
  };
  const server = await startServer(
    {
      DATABASE_URL,
      REDIS_PREFIX: name,
      ROLE: 'api',
      API_PROCESSES,
      ORDER_HOLD_MINUTES: '600',
      DB_POOL_MAX: String(CONNECTIONS),
      ...BENCH_REDIS_ENV,
    },
    PORT,
  );
  try {
    const noteOf = await postNotes(data);
    // Warm-up: the order path compiled and the pools full before anything is measured.
    await httpOrders(data, null, 3);
    // The machine's speed drifts from minute to minute (a shared VM), so API and raw runs
    // alternate, ROUNDS times, and ratios are taken of medians. The API stays up, idle, while
    // the raw runs go.
    type Run = { requestsPerSecond: number; p99Ms: number };
    const runs: Record<string, Run[]> = {};
    const record = (key: string, run: Run) => (runs[key] ??= []).push(run);
    for (let round = 0; round < ROUNDS; round += 1) {
      record('plain', await httpOrders(data, null));
      record('coupon', await httpOrders(data, { coupon: codes.http }));
      record('noted', await httpOrders(data, { noteOf }));
      await waitUntilIdle(server);
      record('rawPlain', await rawOrders(data, false, codes.raw));
      record('rawCoupon', await rawOrders(data, true, codes.raw));
      record('batchedPlain', await rawBatchedOrders(data, false, codes.batched));
      record('batchedCoupon', await rawBatchedOrders(data, true, codes.batched));
    }
    const median = (key: string, field: keyof Run) =>
      percentile(
        runs[key]!.map((run) => run[field]),
        50,
      );
    const rate = (key: string) => median(key, 'requestsPerSecond');
    const cells = (key: string, field: keyof Run) =>
      runs[key]!.map((r) => r[field].toFixed(0)).join(' / ');
    const row = (label: string, api: string, raw: string, batched: string) =>
      `| ${label} | ${cells(api, 'requestsPerSecond')} | ${cells(api, 'p99Ms')} | ${cells(raw, 'requestsPerSecond')} | ${cells(raw, 'p99Ms')} | **${(rate(api) / rate(raw)).toFixed(2)}** | ${cells(batched, 'requestsPerSecond')} | ${(rate(api) / rate(batched)).toFixed(2)} |`;
    const body = [
      `${machineLine()}; ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per run, ${LISTINGS} listings, manual payment provider, API compiled, ROLE=api, LOG_LEVEL=warn, API_PROCESSES=${API_PROCESSES}, MySQL over ${DATABASE_URL.includes('socketPath') ? 'its Unix socket' : 'TCP'}.`,
      "Baseline (the issue's): the SQL statements of one order (conditional stock update, [coupon lookup and conditional hold,] order and item inserts) in one transaction, one statement per round trip, raw through mysql2 at the same concurrency.",
      "Second reference: the API's own statements in the API's own two round trips (BEGIN + locking reads; stock, coupon hold, order rows + COMMIT), raw through mysql2: the ratio to it is what HTTP, JSON, auth and the expiry job cost.",
      'Each cell lists the rounds in order; ratios are of the medians.',
      '',
      "| run | API orders/s | API p99 ms | raw SQL orders/s | raw SQL p99 ms | ratio API/raw | raw, API's batches orders/s | ratio API/batched |",
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      row('without coupon', 'plain', 'rawPlain', 'batchedPlain'),
      row('with coupon', 'coupon', 'rawCoupon', 'batchedCoupon'),
      '',
      `Naming the note the buyer came through (\`referringNoteId\`, one more statement in the BEGIN's batch): ${cells('noted', 'requestsPerSecond')} orders/s, p99 ${cells('noted', 'p99Ms')} ms; **${(rate('noted') / rate('plain')).toFixed(2)}** of the same API without it (median p99 ${median('noted', 'p99Ms').toFixed(0)} against ${median('plain', 'p99Ms').toFixed(0)} ms).`,
      '',
      `API non-2xx answers: ${[...runs.plain!, ...runs.coupon!, ...runs.noted!].reduce((sum, r) => sum + (r as Run & { non2xx: number }).non2xx, 0)}. Median API p99: ${median('plain', 'p99Ms').toFixed(0)} ms without coupon, ${median('coupon', 'p99Ms').toFixed(0)} ms with (raw SQL: ${median('rawPlain', 'p99Ms').toFixed(0)} / ${median('rawCoupon', 'p99Ms').toFixed(0)} ms).`,
      'Goal: ratio API/raw ≥ 0.5 and API p99 < 100 ms.',
    ].join('\n');
    const variant = [
      ...(API_PROCESSES === '1' ? [] : [`API_PROCESSES=${API_PROCESSES}`]),
      ...(DATABASE_URL.includes('socketPath') ? ['MySQL over its Unix socket'] : []),
    ];
    writeSection(
      `checkout (POST /v1/orders)${variant.length > 0 ? `, ${variant.join(', ')}` : ''}${CLUSTERS_TITLE}`,
      body,
    );
    process.stdout.write(`${body}\n`);
  } finally {
    await stopServer(server);
    await dropBenchData(name, DATABASE_URL);
  }
}

runBench(main);
