import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Pool } from 'mysql2/promise';
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
  const exportDir = await tempDir('worker-crash-exports-');
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
