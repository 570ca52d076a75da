/**
 * The community feed at 100,000 published notes: Friday's random pages (GET /v1/feed) at 32
 * connections, against GET /v1/notes (newest first, the same page size) and a raw node:http
 * server answering `{}` in the same run. The service runs on the real clock, which is rarely
 * on a Friday: its random pages are asked for through the random feed's own cursors, each
 * request a different viewer position in one of two Fridays, which is the same query as a
 * first page. The ranked (non-Friday) first page is measured too. Writes to bench/RESULTS.md.
 *
 *   node --import tsx bench/feed.ts     (BENCH_SECONDS=10, BENCH_NOTES=100000 by default)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Db } from '../src/db/db';
import { ensureDatabase } from '../src/db/database';
import { migrateDatabase } from '../src/db/migrator';
import { newId } from '../src/ids';
import {
  dropBenchData,
  machineLine,
  rawHttpBaseline,
  runBench,
  runLoad,
  startServer,
  stopServer,
  summarise,
  type LoadResult,
  writeSection,
} from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const NOTES = Number(process.env.BENCH_NOTES ?? 100_000);
const AUTHORS = 2000;
const LIKES = 100_000;
const CONNECTIONS = 32;
const API_PORT = 3995;
const RAW_PORT = 3996;
const name = `cs_bench_feed_${Date.now()}`;
const DATABASE_URL = `mysql://root@127.0.0.1:3306/${name}`;

const sqlDate = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');

/** NOTES published notes over 60 days by AUTHORS authors, each with its random feed key; LIKES likes. */
async function seed(db: Db): Promise<string[]> {
  const authors = Array.from({ length: AUTHORS }, () => newId('usr'));
  const ids: string[] = [];
  const start = Date.now() - 60 * 24 * 3600 * 1000;
  const step = Math.floor((60 * 24 * 3600 * 1000) / NOTES);
  for (let from = 0; from < NOTES; from += 2000) {
    const count = Math.min(2000, NOTES - from);
    const values: unknown[] = [];
    for (let i = from; i < from + count; i += 1) {
      const at = start + i * step;
      const id = newId('nte', at);
      ids.push(id);
      values.push(
        id,
        authors[Math.floor(Math.random() * AUTHORS)],
        randomUUID(),
        `Note ${i}`,
        'A walk through the night market: lanterns, dumplings, a street band.',
        sqlDate(at),
        sqlDate(at),
        sqlDate(at),
        randomBytes(8).readBigUInt64BE().toString(),
      );
    }
    await db.query(
      `INSERT INTO notes (id, author_id, client_id, title, body, languages, culture_tags, images,
         status, version, published_at, created_at, updated_at, feed_key)
       VALUES ${Array(count).fill(`(?, ?, ?, ?, ?, '["en"]', '[]', '[]', 'published', 1, ?, ?, ?, CAST(? AS UNSIGNED))`).join(', ')}`,
      values,
    );
  }
  const members = Array.from({ length: 5000 }, () => newId('usr'));
  for (let from = 0; from < LIKES; from += 5000) {
    const values: unknown[] = [];
    for (let i = 0; i < 5000; i += 1)
      values.push(
        ids[Math.floor(Math.random() ** 2 * ids.length)],
        members[Math.floor(Math.random() * members.length)],
        sqlDate(start + Math.random() * 60 * 24 * 3600 * 1000),
      );
    await db.query(
      `INSERT IGNORE INTO note_likes (note_id, member_id, points, created_at)
       VALUES ${Array(5000).fill('(?, ?, 0, ?)').join(', ')}`,
      values,
    );
  }
  await db.query('ANALYZE TABLE notes, note_likes');
  return ids;
}

/** A random-feed cursor (the format src/feed/feed.service.ts gives out) at a random position. */
function fridayCursor(): string {
  const friday = Math.random() < 0.5 ? '2026-12-04' : '2026-12-11';
  const after = randomBytes(8).readBigUInt64BE();
  return Buffer.from(`f1|r|${friday}|${after}`, 'utf8').toString('base64url');
}

async function measure(path: string | (() => string)): Promise<LoadResult> {
  const url = `http://127.0.0.1:${API_PORT}`;
  const options =
    typeof path === 'string'
      ? { url: `${url}${path}` }
      : { url, requests: [{ setupRequest: (req: object) => ({ ...req, path: path() }) }] };
  return summarise(await runLoad({ ...options, connections: CONNECTIONS, duration: SECONDS }));
}

async function main(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  await migrateDatabase(DATABASE_URL);
  const db = new Db(DATABASE_URL, { poolMax: 4 });
  const started = Date.now();
  process.stdout.write(`seeding ${NOTES} notes into ${name}\n`);
  await seed(db);
  process.stdout.write(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  const api = await startServer(
    { DATABASE_URL, REDIS_PREFIX: name, ROLE: 'api', DB_POOL_MAX: String(CONNECTIONS) },
    API_PORT,
  );
  const results: Array<[string, LoadResult]> = [];
  try {
    await runLoad({ url: `http://127.0.0.1:${API_PORT}/v1/notes`, connections: 8, duration: 2 });
    results.push(['GET /v1/notes, newest first (baseline)', await measure('/v1/notes')]);
    results.push([
      'GET /v1/feed, Friday random page (any viewer, any position)',
      await measure(() => `/v1/feed?cursor=${fridayCursor()}`),
    ]);
    results.push(['GET /v1/feed, ranked first page (not a Friday)', await measure('/v1/feed')]);
  } finally {
    await stopServer(api);
  }
  const raw = await rawHttpBaseline({ connections: CONNECTIONS, duration: SECONDS }, RAW_PORT);
  await db.close();
  await dropBenchData(name, DATABASE_URL);

  const [baseline, friday] = [results[0]![1], results[1]![1]];
  const body = [
    `${machineLine()}; ${NOTES.toLocaleString('en')} published notes by ${AUTHORS.toLocaleString('en')} authors, ${LIKES.toLocaleString('en')} likes, ${CONNECTIONS} connections, ${SECONDS} s per run, 20 per page; API in its own process (ROLE=api, LOG_LEVEL=warn).`,
    'Baselines: GET /v1/notes (first page) and a raw node:http server answering `{}`, same connections, same run.',
    '',
    '| request | requests/s | p50 ms | p99 ms | non-2xx | ratio to raw | p99 / notes p99 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| raw node:http \`{}\` | ${raw.requestsPerSecond.toFixed(0)} | ${raw.p50Ms.toFixed(1)} | ${raw.p99Ms.toFixed(1)} | ${raw.non2xx} | 1.00 | |`,
    ...results.map(
      ([label, r]) =>
        `| ${label} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.non2xx} | ${(r.requestsPerSecond / raw.requestsPerSecond).toFixed(3)} | ${(r.p99Ms / baseline.p99Ms).toFixed(2)} |`,
    ),
    '',
    `Friday page p99 **${friday.p99Ms.toFixed(1)} ms** against **${baseline.p99Ms.toFixed(1)} ms** for GET /v1/notes.`,
    'Friday pages come through random-feed cursors (the service runs on the real clock); a first page is the same query from position 0.',
    'Goal: at 100k notes a Friday page stays about as fast as a plain notes page (p99 ratio near 1). The absolute figures depend on what else runs on the machine; the ratio is the same run.',
  ].join('\n');
  writeSection('community feed (GET /v1/feed, 100k notes)', body);
  process.stdout.write(`${body}\n`);
}

runBench(main);
