import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { PoolConnection } from 'mysql2/promise';
import { newId } from '../../src/ids';
import {
  sleep,
  newServices,
  poolOf,
  kill,
  signup,
  queueState,
  jobReturn,
  ROOT,
  tempDir,
  cleanUpAfterEachDrill,
} from '../support/crash-drill';
import { callJson } from '../support/e2e';
import { serviceCommand } from '../support/service-build';
import { until } from '../support/fixtures';

cleanUpAfterEachDrill();

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

/** Ids `base` + n, n = 0, 1, ... zero-padded to 8 digits: as long as newId's, and valid ones. */
const seededId = (base: string, n: number) => `${base}${String(n).padStart(8, '0')}`;

/** A base for seededId: a fresh id less its last 8 characters. */
const idBase = (prefix: string) => newId(prefix).slice(0, -8);

/** The numbers n = 0 .. count - 1 as a derived table, made by MySQL: digit tables crossed. */
function numbersBelow(count: number): string {
  const digits = `(${Array.from({ length: 10 }, (_, d) => `SELECT ${d} AS d`).join(' UNION ALL ')})`;
  const places = Array.from({ length: Math.max(1, Math.ceil(Math.log10(count))) }, (_, k) => k);
  return `(SELECT n FROM (SELECT ${places.map((k) => `${10 ** k} * d${k}.d`).join(' + ')} AS n
    FROM ${places.map((k) => `${digits} d${k}`).join(', ')}) crossed WHERE n < ${count}) numbers`;
}

/**
 * `count` paid orders with one item each, as bench/export.ts seeds them, written by MySQL itself
 * in two statements: order n is created `first` + n * `stepMs`, buyer and seller are seeded
 * users n and n + 1 (modulo `users.count`). Returns the orders' ids.
 */
async function seedOrders(
  db: PoolConnection,
  users: { base: string; count: number },
  count: number,
  first: Date,
  stepMs: number,
): Promise<string[]> {
  const base = idBase('ord');
  const listingBase = idBase('lst');
  const price = '100 + n % 9000';
  const created = `? + INTERVAL FLOOR(n * ?) * 1000 MICROSECOND`;
  await db.query(
    `INSERT INTO orders (id, buyer_id, seller_id, status, currency, subtotal_amount, discount_amount,
       total_amount, platform_fee_amount, refunded_amount, shipping_address, payment_provider,
       payment_status, expires_at, paid_at, created_at, updated_at)
     SELECT CONCAT(?, LPAD(n, 8, '0')), CONCAT(?, LPAD(n % ?, 8, '0')),
       CONCAT(?, LPAD((n + 1) % ?, 8, '0')), 'paid', ELT(n % 5 + 1, 'USD', 'JPY', 'EUR', 'KWD', 'BRL'),
       ${price}, 0, ${price}, 0, 0, '{}', 'manual', 'succeeded', at, at, at, at
     FROM (SELECT n, ${created} AS at FROM ${numbersBelow(count)}) seeded`,
    [base, users.base, users.count, users.base, users.count, first, stepMs],
  );
  await db.query(
    `INSERT INTO order_items (order_id, listing_id, title, quantity, unit_amount)
     SELECT CONCAT(?, LPAD(n, 8, '0')), CONCAT(?, LPAD(n, 8, '0')),
       CONCAT('Item "', n, '", handmade'), 1, ${price}
     FROM ${numbersBelow(count)}`,
    [base, listingBase],
  );
  return Array.from({ length: count }, (_, n) => seededId(base, n));
}

test('finance export: worker SIGKILLed mid-export; after restart the export completes once with exactly the expected rows', async () => {
  const ROWS = Number(process.env.CRASH_EXPORT_ROWS ?? 200_001);
  const exportDir = await tempDir('worker-crash-exports-');
  const services = newServices({ EXPORT_DIR: exportDir });
  const api = await services.start('api');
  const first = await services.start('worker');
  const db = poolOf(services);

  // A finance user: signed up as a member, granted the role from the command line.
  const finance = await signup(api);
  await run(
    process.execPath,
    [...serviceCommand('src/cli.ts'), 'grant', '--email', finance.email, '--role', 'finance'],
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
  const users = { base: idBase('usr'), count: 200 };
  const now = new Date();
  await db.query(
    `INSERT INTO users (id, email, password_hash, display_name, country, timezone, roles,
       auto_convert_points, created_at, updated_at) VALUES ?`,
    [
      Array.from({ length: users.count }, (_, i) => {
        const id = seededId(users.base, i);
        return [
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
        ];
      }),
    ],
  );
  const from = new Date('2026-03-01T00:00:00.000Z');
  const span = Date.parse('2026-04-01T00:00:00.000Z') - from.getTime();
  const MINUTE = 60_000;
  const seeding = await db.getConnection();
  // The rows are unique by construction. Without the checks MariaDB fills an empty table in bulk
  // (each index built sorted), as it loads a dump: in half the time.
  await seeding.query('SET unique_checks = 0, foreign_key_checks = 0');
  const inside = await seedOrders(seeding, users, ROWS, from, span / ROWS);
  await seedOrders(seeding, users, 50, new Date(from.getTime() - 1 - 49 * MINUTE), MINUTE);
  await seedOrders(seeding, users, 50, new Date(from.getTime() + span), MINUTE);
  await seeding.query('SET unique_checks = 1, foreign_key_checks = 1');
  seeding.release();
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
