/**
 * Finance export: GET /v1/finance/orders.csv over 1,000,000 orders, rows per second against the
 * same SELECT streamed raw through mysql2 to nowhere in the same run, and the API process's peak
 * RSS (VmHWM): the process's peak since it started, and the export's own (VmHWM reset just
 * before the request).
 *
 *   npm run bench:export              (BENCH_ORDERS=1000000 by default)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import mysql from 'mysql2';
import { Db } from '../src/db/db';
import { ensureDatabase, parseDatabaseUrl } from '../src/db/database';
import { migrateDatabase } from '../src/db/migrator';
import { newId } from '../src/ids';
import {
  dropBenchData,
  machineLine,
  runBench,
  startServer,
  stopServer,
  writeSection,
} from './support';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const PORT = 3995;
const name = `cs_bench_export_${Date.now()}`;
const DATABASE_URL = `mysql://root@127.0.0.1:3306/${name}`;
const FROM = '2026-01-01';
const TO = '2026-12-31';
const CURRENCIES = ['USD', 'JPY', 'EUR', 'KWD', 'BRL'];

async function seed(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  await migrateDatabase(DATABASE_URL);
  const db = new Db(DATABASE_URL, { poolMax: 4 });
  const now = new Date().toISOString().slice(0, 23).replace('T', ' ');
  const users = Array.from({ length: 1000 }, (_, i) => [
    newId('usr'),
    `u${i}@bench.test`,
    // No member of a VAULT_COUNTRIES country (EU/EEA): the API's start would first move their
    // orders' addresses into the vault, minutes of work over 1,000,000 orders that is not the export.
    ['JP', 'BR', 'US', 'GB', 'KR'][i % 5]!,
  ]);
  await db.query(
    `INSERT INTO users (id, email, password_hash, display_name, country, timezone, roles, auto_convert_points, created_at, updated_at)
     VALUES ${users.map(() => `(?, ?, 'x', 'Bench', ?, 'UTC', 'member', 0, '${now}', '${now}')`).join(', ')}`,
    users.flat(),
  );
  const yearStart = Date.parse('2026-01-01T00:00:00Z');
  const span = 364 * 86_400_000;
  for (let start = 0; start < ORDERS; start += 5000) {
    const count = Math.min(5000, ORDERS - start);
    const orders: unknown[] = [];
    const items: unknown[] = [];
    for (let i = start; i < start + count; i += 1) {
      const id = newId('ord');
      const created = new Date(yearStart + Math.floor((i / ORDERS) * span))
        .toISOString()
        .slice(0, 23)
        .replace('T', ' ');
      const price = 100 + (i % 9000);
      orders.push(
        id,
        users[i % 1000]![0],
        users[(i + 1) % 1000]![0],
        CURRENCIES[i % 5],
        price,
        price,
        created,
        created,
        created,
        created,
      );
      items.push(id, newId('lst'), `Item "${i}", handmade`, price);
    }
    await db.query(
      `INSERT INTO orders (id, buyer_id, seller_id, status, currency, subtotal_amount, discount_amount, total_amount, platform_fee_amount,
         refunded_amount, shipping_address, payment_provider, payment_status, expires_at, paid_at, created_at, updated_at)
       VALUES ${Array(count).fill("(?, ?, ?, 'paid', ?, ?, 0, ?, 0, 0, '{}', 'manual', 'succeeded', ?, ?, ?, ?)").join(', ')}`,
      orders,
    );
    await db.query(
      `INSERT INTO order_items (order_id, listing_id, title, quantity, unit_amount) VALUES ${Array(count).fill('(?, ?, ?, 1, ?)').join(', ')}`,
      items,
    );
  }
  await db.query('ANALYZE TABLE orders, order_items, users');
  await db.close();
}

/** The endpoint's SELECT, streamed raw through mysql2 and dropped. */
async function rawStream(start: Date, end: Date): Promise<{ rows: number; seconds: number }> {
  const { orderRowsStatement } = await import('../src/finance/finance.repository');
  // The service's own statement, index hint and ORDER BY included.
  const [sql, values] = orderRowsStatement(start, end);
  const target = parseDatabaseUrl(DATABASE_URL);
  const connection = mysql.createConnection({
    ...target.server,
    database: target.database,
    timezone: 'Z',
  });
  const began = performance.now();
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    connection
      .query(sql, [...values])
      .stream({ highWaterMark: 256 })
      .on('data', () => (rows += 1))
      .on('end', () => resolve())
      .on('error', reject);
  });
  connection.destroy();
  return { rows, seconds: (performance.now() - began) / 1000 };
}

const peakRss = (pid: number) =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
/** Linux: writing 5 to clear_refs resets VmHWM to the current RSS (proc(5)). */
const resetPeakRss = (pid: number) => writeFileSync(`/proc/${pid}/clear_refs`, '5');

async function main(): Promise<void> {
  const seeded = performance.now();
  process.stdout.write(`seeding ${ORDERS} orders into ${name}\n`);
  await seed();
  process.stdout.write(`seeded in ${((performance.now() - seeded) / 1000).toFixed(0)} s\n`);
  const server = await startServer({ DATABASE_URL, REDIS_PREFIX: name, ROLE: 'api' }, PORT);
  try {
    const signup = await fetch(`http://127.0.0.1:${PORT}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'finance@bench.test',
        password: 'bench-password',
        displayName: 'F',
        country: 'GB',
        accountType: 'member',
      }),
    });
    if (!signup.ok) throw new Error(`signup answered ${signup.status}`);
    const db = new Db(DATABASE_URL, { poolMax: 1 });
    await db.query("UPDATE users SET roles = 'member,finance' WHERE email = 'finance@bench.test'");
    await db.close();
    // A session made after the grant carries the finance role (sign-in sessions are cached).
    const login = await fetch(`http://127.0.0.1:${PORT}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'finance@bench.test', password: 'bench-password' }),
    });
    const { token } = (await login.json()) as { token: string };
    // The process's peak so far is its start and two scrypt hashes (sign-up, sign-in), not the export.
    const rssBefore = peakRss(server.pid!);
    resetPeakRss(server.pid!);
    const rssAtStart = peakRss(server.pid!);

    // Where the memory is while rows flow: V8 heap, external (Buffers), and RSS, from /metrics.
    const peaks = { heapTotal: 0, external: 0, rss: 0 };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const text = await fetch(`http://127.0.0.1:${PORT}/metrics`).then(
          (res) => res.text(),
          // The export failed and the server is going down: the error that matters is main's.
          () => '',
        );
        const value = (metric: string) =>
          Number(new RegExp(`^${metric} ([0-9.e+]+)`, 'm').exec(text)?.[1] ?? 0) / 2 ** 20;
        peaks.heapTotal = Math.max(peaks.heapTotal, value('nodejs_heap_size_total_bytes'));
        peaks.external = Math.max(peaks.external, value('nodejs_external_memory_bytes'));
        peaks.rss = Math.max(peaks.rss, value('process_resident_memory_bytes'));
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    const began = performance.now();
    const res = await fetch(
      `http://127.0.0.1:${PORT}/v1/finance/orders.csv?from=${FROM}&to=${TO}&timezone=Asia/Tokyo`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
    let newlines = 0;
    let bytes = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) newlines += 1;
    }
    const apiSeconds = (performance.now() - began) / 1000;
    sampling = false;
    await sampler;
    const exportPeak = peakRss(server.pid!);
    const rssAfter = Math.max(rssBefore, exportPeak);
    // Rows = lines minus the header (titles hold no newline here).
    const apiRows = newlines - 1;
    const range = {
      start: new Date('2025-12-31T15:00:00Z'),
      end: new Date('2026-12-31T15:00:00Z'),
    };
    const raw = await rawStream(range.start, range.end);

    const body = [
      `${machineLine()}; ${ORDERS.toLocaleString('en')} paid orders with one item each in ${FROM}..${TO}, exported in Asia/Tokyo; API in its own process (ROLE=api).`,
      'Baseline: the same SELECT (orders, buyer and seller countries, items as JSON) streamed raw through mysql2 and dropped, same run.',
      '',
      '| run | rows | seconds | rows/s | MB |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| raw mysql2 stream | ${raw.rows} | ${raw.seconds.toFixed(1)} | ${(raw.rows / raw.seconds).toFixed(0)} | |`,
      `| GET /v1/finance/orders.csv | ${apiRows} | ${apiSeconds.toFixed(1)} | ${(apiRows / apiSeconds).toFixed(0)} | ${(bytes / 2 ** 20).toFixed(0)} |`,
      '',
      `Ratio API/raw: **${(apiRows / apiSeconds / (raw.rows / raw.seconds)).toFixed(2)}**. API peak RSS (VmHWM): ${rssBefore.toFixed(0)} MB before the export (start, sign-up, sign-in), **${rssAfter.toFixed(0)} MB** after it; during the export alone (VmHWM reset before it, at ${rssAtStart.toFixed(0)} MB): **${exportPeak.toFixed(0)} MB**.`,
      `Sampled from /metrics every 0.5 s while rows flowed: V8 heap total ≤ ${peaks.heapTotal.toFixed(0)} MB, external (Buffers) ≤ ${peaks.external.toFixed(0)} MB, RSS ≤ ${peaks.rss.toFixed(0)} MB.`,
      'Goal: ratio ≥ 0.6; peak RSS ≤ 150 MB whatever the row count (issue 22).',
    ].join('\n');
    writeSection('finance export (GET /v1/finance/orders.csv)', body);
    process.stdout.write(`${body}\n`);
  } finally {
    await stopServer(server);
    await dropBenchData(name, DATABASE_URL);
  }
}

runBench(main);
