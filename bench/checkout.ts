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
import { AccountsService } from '../src/accounts/accounts.service';
import { SessionCache } from '../src/accounts/session-cache';
import { systemClock } from '../src/clock';
import { generateCouponCode } from '../src/coupons/coupon-code';
import { Db } from '../src/db/db';
import { ensureDatabase } from '../src/db/database';
import { migrateDatabase } from '../src/db/migrator';
import { newId } from '../src/ids';
import { createRedis } from '../src/redis/connection';
import { type Codes, pick, rawBatchedOrders, rawOrders } from './checkout-raw';
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
    const rawRun = {
      ...data,
      databaseUrl: DATABASE_URL,
      connections: CONNECTIONS,
      seconds: SECONDS,
      shippingAddress: ADDRESS,
    };
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
      record('rawPlain', await rawOrders(rawRun, false, codes.raw));
      record('rawCoupon', await rawOrders(rawRun, true, codes.raw));
      record('batchedPlain', await rawBatchedOrders(rawRun, false, codes.batched));
      record('batchedCoupon', await rawBatchedOrders(rawRun, true, codes.batched));
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
