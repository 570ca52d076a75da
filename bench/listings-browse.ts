/**
 * Browsing at 100,000 listings: GET /v1/listings with no filter, with filters and with `q`
 * (Latin and CJK), at 32 connections, against a raw node:http server answering `{}` in the
 * same run. Writes requests/s, p99, the ratio and each query shape's EXPLAIN to
 * bench/RESULTS.md, in a section of its own per catalogue size.
 *
 *   npm run bench:listings            (BENCH_SECONDS=10, BENCH_LISTINGS=100000 by default)
 *   BENCH_LISTINGS=1000000 npm run bench:listings      (the million-listing section)
 */
import os from 'node:os';
import { Db } from '../src/db/db';
import { ensureDatabase } from '../src/db/database';
import { migrateDatabase } from '../src/db/migrator';
import { explainScenarios } from './listings-explain';
import { LISTINGS, seed } from './listings-browse-seed';
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
const CONNECTIONS = 32;
const API_PORT = 3993;
const RAW_PORT = 3994;
const name = `cs_bench_listings_${Date.now()}`;
const DATABASE_URL = `mysql://root@127.0.0.1:3306/${name}`;

/** One section per catalogue size; run-all.ts names them too. */
const SECTION = `listings browse (GET /v1/listings, ${LISTINGS >= 1_000_000 ? `${LISTINGS / 1_000_000}M` : `${LISTINGS / 1000}k`} listings)`;

const SCENARIOS: Array<[string, string]> = [
  ['newest first, no filter', '/v1/listings'],
  ['category filter', '/v1/listings?category=tea'],
  ['currency + price range', '/v1/listings?currency=USD&minPrice=10000&maxPrice=20000'],
  ['ships to a country', '/v1/listings?shipsTo=JP'],
  ['q, one Latin word', '/v1/listings?q=matcha'],
  ['q, two Latin words (prefix)', '/v1/listings?q=vintage%20cam'],
  ['q, CJK (抹茶)', `/v1/listings?q=${encodeURIComponent('抹茶')}`],
  ['q + filters', '/v1/listings?q=tea&category=ceramics&condition=used'],
  ['q, a word nobody used', '/v1/listings?q=xylophone'],
  ['page 50 (keyset cursor)', ''],
];

async function main(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  await migrateDatabase(DATABASE_URL);
  const db = new Db(DATABASE_URL, { poolMax: 4 });
  const started = Date.now();
  process.stdout.write(`seeding ${LISTINGS} listings into ${name}\n`);
  await seed(DATABASE_URL);
  process.stdout.write(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  const api = await startServer(
    { DATABASE_URL, REDIS_PREFIX: name, ROLE: 'api', DB_POOL_MAX: String(CONNECTIONS) },
    API_PORT,
  );
  const results: Array<[string, LoadResult]> = [];
  try {
    // A cursor 50 pages in, for the deep-page scenario.
    let cursor = '';
    for (let page = 0; page < 50; page += 1) {
      const res = await fetch(
        `http://127.0.0.1:${API_PORT}/v1/listings${cursor ? `?cursor=${cursor}` : ''}`,
      );
      cursor = ((await res.json()) as { nextCursor: string }).nextCursor;
    }
    SCENARIOS[SCENARIOS.length - 1]![1] = `/v1/listings?cursor=${cursor}`;
    await runLoad({ url: `http://127.0.0.1:${API_PORT}/v1/listings`, connections: 8, duration: 2 });
    for (const [label, path] of SCENARIOS) {
      results.push([
        label,
        summarise(
          await runLoad({
            url: `http://127.0.0.1:${API_PORT}${path}`,
            connections: CONNECTIONS,
            duration: SECONDS,
          }),
        ),
      ]);
    }
  } finally {
    await stopServer(api);
  }
  const raw = await rawHttpBaseline({ connections: CONNECTIONS, duration: SECONDS }, RAW_PORT);
  const load = os.loadavg().map((n) => n.toFixed(2));
  const plans = await explainScenarios(db, SCENARIOS);
  const worst = results.reduce((a, b) => (b[1].p99Ms > a[1].p99Ms ? b : a));
  await db.close();
  await dropBenchData(name, DATABASE_URL);

  const body = [
    `${machineLine()}; ${LISTINGS.toLocaleString('en')} active listings (with their search tokens), ${CONNECTIONS} connections, ${SECONDS} s per run, 20 per page; API in its own process (ROLE=api, LOG_LEVEL=warn).`,
    'Baseline: a raw node:http server answering `{}`, same connections, same run.',
    '',
    '| request | requests/s | p50 ms | p99 ms | non-2xx | ratio to raw |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| raw node:http \`{}\` | ${raw.requestsPerSecond.toFixed(0)} | ${raw.p50Ms.toFixed(1)} | ${raw.p99Ms.toFixed(1)} | ${raw.non2xx} | 1.00 |`,
    ...results.map(
      ([label, r]) =>
        `| ${label} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.non2xx} | ${(r.requestsPerSecond / raw.requestsPerSecond).toFixed(3)} |`,
    ),
    '',
    `Load average at the end of the runs: ${load.join(', ')} (1, 5, 15 min).`,
    '',
    `**worst p99 ${worst[1].p99Ms.toFixed(0)} ms (${worst[0]}), raw ${raw.p99Ms.toFixed(0)} ms**`,
    '',
    `Goal (issue 22.3): p99 ≤ 30 ms for every query shape, at 100k and at 1M listings.`,
    '',
    '### Plans (MariaDB ANALYZE: EXPLAIN with the rows each step read)',
    '',
    'Every statement of each request but the media lookup; `rows` is the estimate, `r_rows` what was read per loop.',
    '',
    plans,
  ].join('\n');
  writeSection(SECTION, body);
  process.stdout.write(`${body}\n`);
}

runBench(main);
