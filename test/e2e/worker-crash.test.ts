import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import mysql, { type Pool, type RowDataPacket } from 'mysql2/promise';
import { newId } from '../../src/ids';
import { callJson, E2eServices } from '../support/e2e';
import { until } from '../support/fixtures';
import type { ServiceProcess } from '../support/service-process';
import { TEST_REDIS_URL } from '../support/test-env';

/*
 * "Worker killed with SIGKILL during each kind of job: after restart every job completes once."
 * Drop switches and airdrops are covered by drop-schedule.test.ts and airdrop-crash.test.ts;
 * here: order expiry, points conversion and finance export. Each test runs its own API and
 * worker processes on a database and Redis prefix of its own, with JOB_LOCK_MS=2000 so a
 * killed worker's active jobs are taken up again a few seconds after a new worker starts.
 */

const ROOT = path.resolve(__dirname, '../..');
const all: E2eServices[] = [];
const pools: Pool[] = [];
const tempDirs: string[] = [];
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });

/** Row locks the test holds; released before cleanup if a test failed while holding one. */
const heldLocks = new Set<() => Promise<void>>();

/**
 * Each test's processes, pools and files go when the test ends, so a test never runs beside the
 * previous one's processes: their MySQL connections add up past a default server's 151. Every
 * step runs even if one before it fails: no process, database or key is left behind.
 */
afterEach(async () => {
  await Promise.allSettled([...heldLocks].map((release) => release()));
  await Promise.allSettled(pools.splice(0).map((p) => p.end()));
  const cleaned = await Promise.allSettled(all.splice(0).map((s) => s.cleanup()));
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  for (const result of cleaned) if (result.status === 'rejected') throw result.reason;
  // Processes, a database and a prefix to remove: more than 30 s on a loaded machine.
}, 90_000);

afterAll(() => redis.disconnect());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function newServices(env: Record<string, string>): E2eServices {
  const services = new E2eServices();
  Object.assign(services.env, { JOB_LOCK_MS: '2000' }, env);
  all.push(services);
  return services;
}

function poolOf(services: E2eServices): Pool {
  const pool = mysql.createPool({
    uri: services.env.DATABASE_URL!,
    timezone: 'Z',
    connectionLimit: 4,
  });
  pools.push(pool);
  return pool;
}

async function rows<T>(db: Pool, sql: string, params: unknown[] = []): Promise<T[]> {
  const [result] = await db.query<RowDataPacket[]>(sql, params);
  return result as T[];
}

/**
 * Holds a row lock from the test's own connection, so jobs that reach that row wait there,
 * mid-transaction, until `release`.
 */
async function holdRowLock(db: Pool, sql: string, params: unknown[]) {
  const connection = await db.getConnection();
  await connection.beginTransaction();
  await connection.query(sql, params);
  const release = async () => {
    heldLocks.delete(release);
    await connection.rollback();
    connection.release();
  };
  heldLocks.add(release);
  return { release };
}

/**
 * Statements of this deployment's database now running that start with `statement`: with the
 * row they need locked by `holdRowLock`, they are waiting for it. (PROCESSLIST, not INNODB_TRX:
 * MariaDB's INNODB_TRX is a cache that can miss transactions under frequent polling.)
 */
async function waitingOn(db: Pool, services: E2eServices, statement: string): Promise<number> {
  const [row] = await rows<{ n: number }>(
    db,
    `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST
      WHERE DB = ? AND COMMAND = 'Query' AND INFO LIKE ?`,
    [services.name, `${statement}%`],
  );
  return Number(row!.n);
}

async function kill(worker: ServiceProcess): Promise<void> {
  worker.child.kill('SIGKILL');
  await worker.exited;
}

interface Session {
  id: string;
  token: string;
  email: string;
}

async function signup(
  api: ServiceProcess,
  overrides: Record<string, unknown> = {},
): Promise<Session> {
  const email = `${randomUUID()}@crash.test`;
  const res = await callJson<{ token: string; user: { id: string } }>(
    `${api.url}/v1/auth/signup`,
    'POST',
    null,
    {
      email,
      password: 'crash-test-password',
      displayName: 'Crash',
      country: 'JP',
      timezone: 'Asia/Tokyo',
      accountType: 'member',
      ...overrides,
    },
  );
  expect(res.status).toBe(201);
  return { id: res.body.user.id, token: res.body.token, email };
}

/** BullMQ's record of one queue of a deployment: which job ids are where. */
async function queueState(services: E2eServices, queue: string) {
  const key = (kind: string) => `${services.name}:{bull}:${queue}:${kind}`;
  const [completed, failed, delayed, active, waiting, prioritized] = await Promise.all([
    redis.zrange(key('completed'), '0', '-1'),
    redis.zrange(key('failed'), '0', '-1'),
    redis.zrange(key('delayed'), '0', '-1'),
    redis.lrange(key('active'), '0', '-1'),
    redis.lrange(key('wait'), '0', '-1'),
    redis.zrange(key('prioritized'), '0', '-1'),
  ]);
  return {
    completed: new Set(completed),
    failed,
    unfinished: [...delayed, ...active, ...waiting, ...prioritized],
  };
}

const jobReturn = async (services: E2eServices, queue: string, jobId: string) =>
  JSON.parse(
    (await redis.hget(`${services.name}:{bull}:${queue}:${jobId}`, 'returnvalue')) ?? 'null',
  ) as unknown;

test('order expiry: worker SIGKILLed while expiry jobs fall due; after restart every order expires once, stock and coupons back exactly once', async () => {
  const STOCK = 100;
  const ORDERS = 24;
  const WITH_COUPON = 12;
  const PER_ORDER = 2;
  // Hold 6 s: orders are created over ~2 s, so their expiries fall due over ~2 s too.
  const services = newServices({ ORDER_HOLD_MINUTES: '0.1' });
  const api = await services.start('api');
  const first = await services.start('worker');
  const db = poolOf(services);
  const call = <T>(method: string, url: string, token: string | null, body?: unknown) =>
    callJson<T>(`${api.url}${url}`, method, token, body);

  const brand = await signup(api, { accountType: 'brand', brandName: 'Expiry Brand' });
  const listing = await call<{ id: string; quantity: number }>(
    'POST',
    '/v1/listings',
    brand.token,
    {
      title: 'Lacquer tray',
      description: 'Held, then let go',
      priceAmount: 2000,
      currency: 'USD',
      quantity: STOCK,
      category: 'crafts',
      condition: 'new',
    },
  );
  expect(listing.status).toBe(201);
  const batch = await call<{ id: string }>('POST', '/v1/brands/me/coupon-batches', brand.token, {
    count: WITH_COUPON,
    discountType: 'percent',
    percentOff: 10,
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  expect(batch.status).toBe(201);
  const codes = await until(
    'the coupon batch',
    async () => {
      const res = await fetch(`${api.url}/v1/brands/me/coupon-batches/${batch.body.id}/codes.csv`, {
        headers: { authorization: `Bearer ${brand.token}` },
      });
      if (res.status !== 200) return null;
      return (await res.text())
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[0]!);
    },
    15_000,
  );
  expect(codes).toHaveLength(WITH_COUPON);
  const buyers = await Promise.all(Array.from({ length: 4 }, () => signup(api)));

  const orders: Array<{ id: string; buyer: Session; couponCode: string | null }> = [];
  for (let i = 0; i < ORDERS; i += 1) {
    const buyer = buyers[i % buyers.length]!;
    const couponCode = i < WITH_COUPON ? codes[i]! : null;
    const res = await call<{ id: string; status: string; discountAmount: number }>(
      'POST',
      '/v1/orders',
      buyer.token,
      {
        items: [{ listingId: listing.body.id, quantity: PER_ORDER }],
        ...(couponCode ? { couponCode } : {}),
        shippingAddress: {
          name: 'Ana Souza',
          line1: 'Rua Augusta 1',
          city: 'São Paulo',
          postalCode: '01305-000',
          country: 'BR',
        },
      },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'pending_payment',
      discountAmount: couponCode ? 400 : 0,
    });
    orders.push({ id: res.body.id, buyer, couponCode });
    await sleep(80);
  }
  const listingQuantity = async () =>
    (await call<{ quantity: number }>('GET', `/v1/listings/${listing.body.id}`, null)).body
      .quantity;
  expect(await listingQuantity()).toBe(STOCK - ORDERS * PER_ORDER);
  const [{ held }] = (await rows<{ held: number }>(
    db,
    "SELECT COUNT(*) AS held FROM coupons WHERE batch_id = ? AND status = 'held'",
    [batch.body.id],
  )) as [{ held: number }];
  expect(Number(held)).toBe(WITH_COUPON);

  const statusCounts = async () => {
    const counts = { pending_payment: 0, expired: 0, other: 0 };
    for (const r of await rows<{ status: string; n: number }>(
      db,
      'SELECT status, COUNT(*) AS n FROM orders GROUP BY status',
    )) {
      if (r.status === 'pending_payment' || r.status === 'expired') counts[r.status] = Number(r.n);
      else counts.other += Number(r.n);
    }
    return counts;
  };

  // Once the first expiries are done, the listing's row is locked: the next expiry jobs stop
  // inside their transaction (order row changed, stock not yet back). SIGKILL the worker then.
  await until('the first expiry', async () => (await statusCounts()).expired > 0, 20_000, 5);
  const lock = await holdRowLock(db, 'SELECT id FROM listings WHERE id = ? FOR UPDATE', [
    listing.body.id,
  ]);
  await until(
    'expiry jobs inside their transaction',
    async () => (await waitingOn(db, services, 'UPDATE listings SET quantity')) >= 3,
    10_000,
    20,
  );
  const atKill = await statusCounts();
  await kill(first);
  await lock.release();
  expect(atKill.pending_payment).toBeGreaterThan(0);
  const lastDue = Math.max(
    ...(await rows<{ expiresAt: Date }>(db, 'SELECT expires_at AS expiresAt FROM orders')).map(
      (r) => r.expiresAt.getTime(),
    ),
  );
  // Every hold runs out with no worker alive: nothing expires them meanwhile.
  await sleep(Math.max(0, lastDue - Date.now()) + 1000);
  const whileDown = await statusCounts();
  expect(whileDown.other).toBe(0);
  expect(whileDown.pending_payment).toBeGreaterThan(0);

  await services.start('worker');
  // Done when no order is pending and no expiry job is left anywhere (a killed worker's active
  // jobs come back once their lock lapses).
  await until(
    'every order to expire and every expiry job to finish',
    async () =>
      (await statusCounts()).pending_payment === 0 &&
      (await queueState(services, 'orders')).unfinished.every(
        (id) => !id.startsWith('order:expire:'),
      ),
    20_000,
    100,
  );
  expect(await statusCounts()).toEqual({ pending_payment: 0, expired: ORDERS, other: 0 });

  for (const order of orders) {
    const view = await call<{ status: string; couponCode: string | null }>(
      'GET',
      `/v1/orders/${order.id}`,
      order.buyer.token,
    );
    expect(view.status).toBe(200);
    expect(view.body.status).toBe('expired');
  }
  // Stock back exactly once: not short, not twice.
  expect(await listingQuantity()).toBe(STOCK);
  const [stock] = await rows<{ quantity: number }>(
    db,
    'SELECT quantity FROM listings WHERE id = ?',
    [listing.body.id],
  );
  expect(Number(stock!.quantity)).toBe(STOCK);
  const coupons = await rows<{ status: string; orderId: string | null; redeemedAt: Date | null }>(
    db,
    'SELECT status, order_id AS orderId, redeemed_at AS redeemedAt FROM coupons WHERE batch_id = ?',
    [batch.body.id],
  );
  expect(coupons).toEqual(
    Array.from({ length: WITH_COUPON }, () => ({
      status: 'available',
      orderId: null,
      redeemedAt: null,
    })),
  );
  for (const code of codes) {
    const preview = await call<{ valid: boolean }>(
      'GET',
      `/v1/coupons/${code}/preview?listingId=${listing.body.id}&quantity=1`,
      buyers[0]!.token,
    );
    expect(preview.status).toBe(200);
    expect(preview.body.valid).toBe(true);
  }

  // Every expiry job finished once, none failed or left behind.
  const queue = await queueState(services, 'orders');
  expect(queue.failed).toEqual([]);
  expect(queue.unfinished.filter((id) => id.startsWith('order:expire:'))).toEqual([]);
  expect(orders.filter((o) => !queue.completed.has(`order:expire:${o.id}`))).toEqual([]);

  // What came back is usable, exactly: all the stock with a released coupon, not one unit more.
  const order = (quantity: number) =>
    call<{ status: string; error?: { code: string } }>('POST', '/v1/orders', buyers[1]!.token, {
      items: [{ listingId: listing.body.id, quantity }],
      couponCode: codes[0],
      shippingAddress: {
        name: 'Ana Souza',
        line1: 'Rua Augusta 1',
        city: 'São Paulo',
        postalCode: '01305-000',
        country: 'BR',
      },
    });
  const tooMany = await order(STOCK + 1);
  expect(tooMany.status).toBe(409);
  expect(tooMany.body.error?.code).toBe('out_of_stock');
  const everything = await order(STOCK);
  expect(everything.status).toBe(201);
  expect(everything.body.status).toBe('pending_payment');
}, 60_000);

interface Conversion {
  id: string;
  status: 'pending' | 'completed' | 'failed';
  reason: string | null;
  pointsCost: number | null;
  couponCode: string | null;
}

test('points conversion: worker SIGKILLed with settlements mid-transaction; after restart each conversion settles once, points debited once per coupon', async () => {
  const COST = 30;
  const BUDGET = 30;
  const services = newServices({});
  const api = await services.start('api');
  const first = await services.start('worker');
  const db = poolOf(services);
  const call = <T>(method: string, url: string, token: string | null, body?: unknown) =>
    callJson<T>(`${api.url}${url}`, method, token, body);

  const brand = await signup(api, { accountType: 'brand', brandName: 'Points Brand' });
  const offer = await call<{ id: string }>('POST', '/v1/campaigns/points-offers', brand.token, {
    title: 'Ten percent for thirty points',
    pointsCost: COST,
    coupon: { discountType: 'percent', percentOff: 10, validDays: 30 },
    budget: BUDGET,
    perUserLimit: 1,
    startsAt: new Date(Date.now() - 1000).toISOString(),
    endsAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  expect(offer.status).toBe(201);

  // 30 members with one cross-cultural note (30 points), 6 with two (60: enough for two, limit
  // one), 6 with none. 36 can afford a coupon, the budget is 30: exactly 30 complete.
  const earn = async (member: Session) => {
    const res = await call<{ status: string }>('POST', '/v1/notes', member.token, {
      clientId: randomUUID(),
      title: 'Tea in Uji',
      body: 'How the first flush is picked.',
      languages: ['ja', 'en'],
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('published');
  };
  const members = (await Promise.all(Array.from({ length: 42 }, () => signup(api)))).map(
    (session, i) => ({
      ...session,
      earned: (i < 30 ? 1 : i < 36 ? 2 : 0) * 30,
      conversions: [] as string[],
      refusals: [] as string[],
    }),
  );
  // One note at a time: concurrent first notes of many members can deadlock (reported apart).
  for (const member of members) for (let n = 0; n < member.earned / 30; n += 1) await earn(member);
  for (const member of members) {
    const points = await call<{ balance: number }>('GET', '/v1/me/points', member.token);
    expect(points.body.balance).toBe(member.earned);
  }
  // One request each, and a second one from each two-note member.
  const requests = [...members, ...members.slice(30, 36)];
  // What the request already shows is refused at once (409); the rest is accepted (202) and
  // settled by the worker, which still decides the races.
  const convert = async (member: (typeof members)[number]) => {
    const res = await call<Conversion & { error?: { code: string } }>(
      'POST',
      '/v1/points/conversions',
      member.token,
      { offerId: offer.body.id },
    );
    if (member.earned === 0) expect(res.status).toBe(409);
    if (res.status === 409) {
      expect(['insufficient_points', 'budget_exhausted', 'limit_reached']).toContain(
        res.body.error?.code,
      );
      member.refusals.push(res.body.error!.code);
      return;
    }
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('pending');
    member.conversions.push(res.body.id);
  };
  const accepted = (batch: typeof requests) =>
    batch.reduce((n, member) => n + member.conversions.length, 0);
  const statuses = async () => {
    const counts = { pending: 0, completed: 0, failed: 0 };
    for (const r of await rows<{ status: keyof typeof counts; n: number }>(
      db,
      'SELECT status, COUNT(*) AS n FROM point_conversions GROUP BY status',
    ))
      counts[r.status] = Number(r.n);
    return counts;
  };

  // A first few settle normally.
  const early = requests.slice(0, 8);
  await Promise.all(early.map(convert));
  await until(
    'the first conversions to settle',
    async () => (await statuses()).pending === 0,
    15_000,
  );

  // With the offer's row locked, the next settlements stop inside their transaction (balance
  // locked, budget not yet consumed); SIGKILL the worker then.
  const lock = await holdRowLock(db, 'SELECT id FROM points_offers WHERE id = ? FOR UPDATE', [
    offer.body.id,
  ]);
  const during = requests.slice(8, 38);
  await Promise.all(during.map(convert));
  await until(
    'settlements inside their transaction',
    async () => (await waitingOn(db, services, 'UPDATE points_offers SET issued')) >= 5,
    10_000,
    20,
  );
  await sleep(200);
  await kill(first);
  await lock.release();

  // More requests while no worker runs.
  const late = requests.slice(38);
  const acceptedBefore = accepted(members);
  await Promise.all(late.map(convert));
  const acceptedLate = accepted(members) - acceptedBefore;
  const whileDown = await statuses();
  expect(whileDown.pending).toBeGreaterThanOrEqual(5 + acceptedLate);
  const [issuedDown] = await rows<{ issued: number }>(
    db,
    'SELECT issued FROM points_offers WHERE id = ?',
    [offer.body.id],
  );
  expect(Number(issuedDown!.issued)).toBe(whileDown.completed);

  await services.start('worker');
  const ids = members.flatMap((m) => m.conversions);
  const refused = members.flatMap((m) => m.refusals);
  expect(ids.length + refused.length).toBe(requests.length);
  // The six members with no points were refused at once, never queued.
  expect(refused.filter((code) => code === 'insufficient_points').length).toBeGreaterThanOrEqual(6);
  await until(
    'every conversion to settle and its job to finish',
    async () =>
      (await statuses()).pending === 0 &&
      (await queueState(services, 'points')).unfinished.every((id) => !ids.includes(id)),
    25_000,
    100,
  );

  // Every conversion ends completed or failed, as its member sees it.
  const views = new Map<string, Conversion>();
  for (const member of members) {
    for (const id of member.conversions) {
      const view = await call<Conversion>('GET', `/v1/points/conversions/${id}`, member.token);
      expect(view.status).toBe(200);
      views.set(id, view.body);
    }
  }
  const completed = [...views.values()].filter((v) => v.status === 'completed');
  const failed = [...views.values()].filter((v) => v.status === 'failed');
  expect(completed.length + failed.length).toBe(ids.length);
  expect(completed).toHaveLength(BUDGET);
  for (const v of completed) {
    expect(v.pointsCost).toBe(COST);
    expect(v.couponCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  }
  for (const v of failed) {
    expect(['insufficient_points', 'budget_exhausted', 'limit_reached']).toContain(v.reason);
    expect(v.couponCode).toBeNull();
  }
  const completedIds = completed.map((v) => v.id).sort();

  // The ledger: one 'conversion' entry per completed conversion, none for a failed one.
  const entries = await rows<{ sourceId: string; memberId: string; amount: number }>(
    db,
    `SELECT source_id AS sourceId, member_id AS memberId, amount FROM point_entries
      WHERE reason = 'conversion' ORDER BY source_id`,
  );
  expect(entries.map((e) => e.sourceId)).toEqual(completedIds);
  expect(entries.every((e) => Number(e.amount) === -COST)).toBe(true);

  // Offer issued == completed == coupons of the offer, each from one completed conversion.
  const offerView = await call<{ issued: number }>(
    'GET',
    `/v1/campaigns/points-offers/${offer.body.id}`,
    null,
  );
  expect(offerView.body.issued).toBe(BUDGET);
  const coupons = await rows<{ sourceId: string; ownerId: string }>(
    db,
    'SELECT source_id AS sourceId, owner_id AS ownerId FROM coupons WHERE offer_id = ? ORDER BY source_id',
    [offer.body.id],
  );
  expect(coupons.map((c) => c.sourceId)).toEqual(completedIds);
  expect(new Set(coupons.map((c) => c.ownerId)).size).toBe(BUDGET);

  // Each member's balance: what they earned less one cost per coupon they got.
  for (const member of members) {
    const got = member.conversions.filter((id) => views.get(id)!.status === 'completed').length;
    expect(got).toBeLessThanOrEqual(1);
    const points = await call<{ balance: number }>('GET', '/v1/me/points', member.token);
    expect(points.body.balance).toBe(member.earned - got * COST);
    expect(coupons.filter((c) => c.ownerId === member.id)).toHaveLength(got);
  }
  const drift = await rows<{ memberId: string }>(
    db,
    `SELECT b.member_id AS memberId FROM point_balances b
       LEFT JOIN (SELECT member_id, SUM(amount) AS total FROM point_entries GROUP BY member_id) e
         ON e.member_id = b.member_id
      WHERE b.balance <> COALESCE(e.total, 0)`,
  );
  expect(drift).toEqual([]);

  // Every settle job finished once, none failed; what it answered is what was recorded.
  const queue = await queueState(services, 'points');
  expect(queue.failed).toEqual([]);
  for (const id of ids) {
    expect(queue.completed.has(id)).toBe(true);
    expect(await jobReturn(services, 'points', id)).toEqual({
      status: views.get(id)!.status,
      reason: views.get(id)!.reason,
    });
  }
}, 60_000);

const run = promisify(execFile);

interface ExportView {
  id: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'expired';
  progress: { rowsDone: number };
  finishedAt: string | null;
  downloadUrl: string | null;
}

const CSV_HEADER =
  'order_id,created_at,status,buyer_id,seller_id,buyer_country,seller_country,currency,subtotal,discount,total,refunded,platform_fee,coupon_code,coupon_brand_id,drop_id,payment_provider,payment_intent_id,paid_at,items,referring_note_id';

/** Paid orders with one item each written straight to MySQL, as bench/export.ts seeds them. */
async function seedOrders(db: Pool, users: string[], times: Date[]): Promise<string[]> {
  const currencies = ['USD', 'JPY', 'EUR', 'KWD', 'BRL'];
  const ids = times.map(() => newId('ord'));
  const chunk = async (start: number) => {
    const end = Math.min(start + 5000, times.length);
    const orders: unknown[][] = [];
    const items: unknown[][] = [];
    for (let i = start; i < end; i += 1) {
      const price = 100 + (i % 9000);
      const created = times[i];
      orders.push([
        ids[i],
        users[i % users.length],
        users[(i + 1) % users.length],
        'paid',
        currencies[i % 5],
        price,
        0,
        price,
        0,
        0,
        '{}',
        'manual',
        'succeeded',
        created,
        created,
        created,
        created,
      ]);
      items.push([ids[i], newId('lst'), `Item "${i}", handmade`, 1, price]);
    }
    await db.query(
      `INSERT INTO orders (id, buyer_id, seller_id, status, currency, subtotal_amount, discount_amount,
         total_amount, platform_fee_amount, refunded_amount, shipping_address, payment_provider,
         payment_status, expires_at, paid_at, created_at, updated_at) VALUES ?`,
      [orders],
    );
    await db.query(
      'INSERT INTO order_items (order_id, listing_id, title, quantity, unit_amount) VALUES ?',
      [items],
    );
  };
  const starts = Array.from({ length: Math.ceil(times.length / 5000) }, (_, k) => k * 5000);
  // Three chunks at a time, on the pool's connections.
  for (let k = 0; k < starts.length; k += 3) await Promise.all(starts.slice(k, k + 3).map(chunk));
  return ids;
}

test('finance export: worker SIGKILLed mid-export; after restart the export completes once with exactly the expected rows', async () => {
  const ROWS = Number(process.env.CRASH_EXPORT_ROWS ?? 200_001);
  const exportDir = await mkdtemp(path.join(os.tmpdir(), 'worker-crash-exports-'));
  tempDirs.push(exportDir);
  const services = newServices({ EXPORT_DIR: exportDir });
  const api = await services.start('api');
  const first = await services.start('worker');
  const db = poolOf(services);

  // A finance user: signed up as a member, granted the role from the command line.
  const finance = await signup(api);
  await run(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', 'grant', '--email', finance.email, '--role', 'finance'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: services.env.DATABASE_URL,
        REDIS_URL: services.env.REDIS_URL,
        REDIS_PREFIX: services.env.REDIS_PREFIX,
      },
    },
  );
  const login = await callJson<{ token: string; user: { roles: string[] } }>(
    `${api.url}/v1/auth/login`,
    'POST',
    null,
    { email: finance.email, password: 'crash-test-password' },
  );
  expect(login.status).toBe(200);
  expect(login.body.user.roles).toContain('finance');
  const token = login.body.token;
  const call = <T>(method: string, url: string, body?: unknown) =>
    callJson<T>(`${api.url}${url}`, method, token, body);

  // March 2026 in UTC: ROWS orders inside, a few just outside on either side.
  const users = Array.from({ length: 200 }, () => newId('usr'));
  const now = new Date();
  await db.query(
    `INSERT INTO users (id, email, password_hash, display_name, country, timezone, roles,
       auto_convert_points, created_at, updated_at) VALUES ?`,
    [
      users.map((id, i) => [
        id,
        `${id}@export.test`,
        'scrypt$disabled',
        'Seeded',
        ['JP', 'BR', 'US', 'DE', 'KR'][i % 5],
        'UTC',
        'member',
        0,
        now,
        now,
      ]),
    ],
  );
  const from = Date.parse('2026-03-01T00:00:00.000Z');
  const span = Date.parse('2026-04-01T00:00:00.000Z') - from;
  const inside = await seedOrders(
    db,
    users,
    Array.from({ length: ROWS }, (_, i) => new Date(from + Math.floor((i / ROWS) * span))),
  );
  await seedOrders(db, users, [
    ...Array.from({ length: 50 }, (_, i) => new Date(from - 1 - i * 60_000)),
    ...Array.from({ length: 50 }, (_, i) => new Date(from + span + i * 60_000)),
  ]);
  await db.query('ANALYZE TABLE orders, order_items, users');

  const created = await call<ExportView>('POST', '/v1/finance/exports', {
    from: '2026-03-01',
    to: '2026-03-31',
    timezone: 'UTC',
  });
  expect(created.status).toBe(202);
  const exportId = created.body.id;
  const view = async () => {
    const res = await call<ExportView>('GET', `/v1/finance/exports/${exportId}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  // SIGKILL the worker while the export is part-way.
  const midway = await until(
    'the export to be part-way',
    async () => {
      const v = await view();
      expect(v.status).not.toBe('done');
      return v.status === 'running' && v.progress.rowsDone >= ROWS / 4 ? v : null;
    },
    30_000,
    20,
  );
  await kill(first);
  expect(midway.progress.rowsDone).toBeLessThan(ROWS);
  const atKill = await view();
  expect(atKill.status).toBe('running');
  expect(atKill.progress.rowsDone).toBeGreaterThan(0);
  expect(atKill.progress.rowsDone).toBeLessThan(ROWS);
  expect(atKill.downloadUrl).toBeNull();
  const download = () =>
    fetch(`${api.url}/v1/finance/exports/${exportId}/download`, {
      headers: { authorization: `Bearer ${token}` },
    });
  const early = await download();
  expect(early.status).toBe(409);

  // A new worker takes the export up again; every status seen on the way is consistent.
  await services.start('worker');
  const seen: ExportView[] = [];
  const done = await until(
    'the export to complete',
    async () => {
      const v = await view();
      seen.push(v);
      return v.status === 'done' ? v : null;
    },
    60_000,
    50,
  );
  for (const v of seen) {
    expect(['running', 'done']).toContain(v.status);
    expect(v.progress.rowsDone).toBeGreaterThanOrEqual(0);
    expect(v.progress.rowsDone).toBeLessThanOrEqual(ROWS);
    if (v.status === 'running') expect(v.downloadUrl).toBeNull();
  }
  expect(done).toMatchObject({
    id: exportId,
    status: 'done',
    progress: { rowsDone: ROWS },
    downloadUrl: `/v1/finance/exports/${exportId}/download`,
  });
  expect(done.finishedAt).not.toBeNull();

  // The CSV: a header and exactly the orders of the range, each once.
  const res = await download();
  expect(res.status).toBe(200);
  const lines = (await res.text()).split('\n');
  expect(lines.pop()).toBe('');
  expect(lines[0]).toBe(CSV_HEADER);
  const orderIds = lines.slice(1).map((line) => line.slice(0, line.indexOf(',')));
  expect(orderIds).toHaveLength(ROWS);
  expect(new Set(orderIds).size).toBe(ROWS);
  expect([...orderIds].sort()).toEqual([...inside].sort());

  // Completed once: the job finished, nothing failed, nothing reruns, one file and no leftovers.
  const queue = await queueState(services, 'exports');
  expect(queue.failed).toEqual([]);
  expect(queue.unfinished).not.toContain(`finance:export:${exportId}`);
  expect(queue.completed.has(`finance:export:${exportId}`)).toBe(true);
  expect(await jobReturn(services, 'exports', `finance:export:${exportId}`)).toEqual({
    rows: ROWS,
  });
  await sleep(3000);
  expect(await view()).toEqual(done);
  expect(await readdir(exportDir)).toEqual([`${exportId}.csv`]);
}, 90_000);
