/**
 * Airdrop: POST /v1/campaigns/points-offers/:id/airdrop over BENCH_MEMBERS (100,000) opted-in
 * members, coupons per second from the request to the job's completion, against inserting the
 * same number of coupon rows (same table definition, same batch size) with raw multi-row INSERTs
 * through mysql2 in the same run.
 *
 *   npm run bench:airdrop
 */
import mysql from 'mysql2/promise';
import { Db } from '../src/db/db';
import { ensureDatabase, parseDatabaseUrl } from '../src/db/database';
import { migrateDatabase } from '../src/db/migrator';
import { generateCouponCode } from '../src/coupons/coupon-code';
import { newId } from '../src/ids';
import {
  apiCall,
  dropBenchData,
  machineLine,
  runBench,
  startServer,
  stopServer,
  writeSection,
} from './support';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
/** The airdrop's batch size (campaigns/offers/airdrops.service.ts); the raw inserts use the same. */
const BATCH = 500;
const POINTS_COST = 50;
const PORT = 3993;
const name = `cs_bench_airdrop_${Date.now()}`;
const DATABASE_URL = `mysql://root@127.0.0.1:3306/${name}`;

const sqlTime = (date: Date) => date.toISOString().slice(0, 23).replace('T', ' ');

async function connect() {
  const target = parseDatabaseUrl(DATABASE_URL);
  return mysql.createConnection({ ...target.server, database: target.database });
}

/** Members with auto-convert on and 100 points each, their balance backed by one ledger entry. */
async function seed(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  await migrateDatabase(DATABASE_URL);
  const db = new Db(DATABASE_URL, { poolMax: 2 });
  await db.close();
  const connection = await connect();
  const now = sqlTime(new Date());
  for (let start = 0; start < MEMBERS; start += 2000) {
    const ids = Array.from({ length: Math.min(2000, MEMBERS - start) }, () => newId('usr'));
    await connection.query(
      `INSERT INTO users (id, email, password_hash, display_name, country, timezone, roles, auto_convert_points, created_at, updated_at) VALUES ?`,
      [
        ids.map((id, i) => [
          id,
          `m${start + i}@bench.test`,
          'x',
          'M',
          'JP',
          'Asia/Tokyo',
          'member',
          1,
          now,
          now,
        ]),
      ],
    );
    await connection.query(
      'INSERT INTO point_entries (id, member_id, amount, reason, source_id, created_at) VALUES ?',
      [ids.map((id) => [newId('pte'), id, 100, 'note_published', newId('nte'), now])],
    );
    await connection.query('INSERT INTO point_balances (member_id, balance, updated_at) VALUES ?', [
      ids.map((id) => [id, 100, now]),
    ]);
  }
  await connection.query('ANALYZE TABLE users, point_balances, point_entries, coupons');
  await connection.end();
}

/** The baseline: the same number of coupon rows, multi-row INSERTs of BATCH into a copy of `coupons`. */
async function rawInserts(brandId: string, offerId: string): Promise<number> {
  const connection = await connect();
  await connection.query('CREATE TABLE coupons_raw LIKE coupons');
  const expires = sqlTime(new Date(Date.now() + 30 * 86_400_000));
  const began = performance.now();
  for (let start = 0; start < MEMBERS; start += BATCH) {
    const now = sqlTime(new Date());
    const rows = Array.from({ length: Math.min(BATCH, MEMBERS - start) }, () => [
      newId('cpn'),
      generateCouponCode(),
      brandId,
      newId('pte'),
      offerId,
      newId('usr'),
      'percent',
      10,
      expires,
      'available',
      now,
      now,
    ]);
    await connection.query(
      `INSERT INTO coupons_raw (id, code, brand_id, source_id, offer_id, owner_id, discount_type, percent_off, expires_at, status, created_at, updated_at) VALUES ?`,
      [rows],
    );
  }
  const seconds = (performance.now() - began) / 1000;
  await connection.query('DROP TABLE coupons_raw');
  await connection.end();
  return seconds;
}

const call = <T>(path: string, token: string | null, body?: unknown) =>
  apiCall<T>(PORT, path, token, body);

async function main(): Promise<void> {
  process.stdout.write(`seeding ${MEMBERS} opted-in members into ${name}\n`);
  await seed();
  const server = await startServer({ DATABASE_URL, REDIS_PREFIX: name, ROLE: 'all' }, PORT);
  try {
    const brand = await call<{ token: string; user: { brandId: string } }>(
      '/v1/auth/signup',
      null,
      {
        email: 'brand@bench.test',
        password: 'bench-password',
        displayName: 'Brand',
        country: 'JP',
        accountType: 'brand',
        brandName: 'Bench Brand',
      },
    );
    const offer = await call<{ id: string }>('/v1/campaigns/points-offers', brand.token, {
      title: 'Airdrop bench',
      pointsCost: POINTS_COST,
      coupon: { discountType: 'percent', percentOff: 10, validDays: 30 },
      budget: MEMBERS,
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    });

    const rawSeconds = await rawInserts(brand.user.brandId, offer.id);

    const began = performance.now();
    const { jobId } = await call<{ jobId: string }>(
      `/v1/campaigns/points-offers/${offer.id}/airdrop`,
      brand.token,
      {},
    );
    let job: { state: string; result?: { issued: number } };
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await call(`/v1/jobs/${jobId}`, brand.token);
    } while (job.state !== 'completed' && job.state !== 'failed');
    const airdropSeconds = (performance.now() - began) / 1000;
    if (job.state !== 'completed') throw new Error(`airdrop ${job.state}`);

    const connection = await connect();
    const [[check]] = (await connection.query(
      `SELECT (SELECT COUNT(*) FROM coupons WHERE offer_id = ?) AS coupons,
              (SELECT COUNT(DISTINCT owner_id) FROM coupons WHERE offer_id = ?) AS owners,
              (SELECT SUM(balance) FROM point_balances) AS balances,
              (SELECT SUM(amount) FROM point_entries) AS ledger`,
      [offer.id, offer.id],
    )) as unknown as [[{ coupons: number; owners: number; balances: string; ledger: string }]];
    await connection.end();
    const issued = job.result?.issued ?? 0;
    const balanced = Number(check.balances) === Number(check.ledger);
    if (
      issued !== MEMBERS ||
      Number(check.coupons) !== MEMBERS ||
      Number(check.owners) !== MEMBERS ||
      !balanced
    )
      throw new Error(`airdrop did not balance: ${JSON.stringify({ issued, ...check })}`);

    const rawRate = MEMBERS / rawSeconds;
    const airdropRate = MEMBERS / airdropSeconds;
    const body = [
      `${machineLine()}; ${MEMBERS.toLocaleString('en')} opted-in members with 100 points each, offer costing ${POINTS_COST}, budget ${MEMBERS.toLocaleString('en')}; service compiled, API and worker in one process (ROLE=all, LOG_LEVEL=warn).`,
      `Baseline: ${MEMBERS.toLocaleString('en')} coupon rows inserted raw through mysql2, multi-row INSERTs of ${BATCH} (the airdrop's batch size) into a table made LIKE coupons, same run.`,
      'The airdrop is timed from POST …/airdrop to GET /v1/jobs/:id answering completed (polled every 100 ms); each batch locks its members, debits them, writes their ledger entries and coupons, consumes budget and moves the cursor in one transaction.',
      '',
      '| run | coupons | seconds | coupons/s |',
      '| --- | ---: | ---: | ---: |',
      `| raw multi-row INSERT | ${MEMBERS} | ${rawSeconds.toFixed(1)} | ${rawRate.toFixed(0)} |`,
      `| airdrop job | ${issued} | ${airdropSeconds.toFixed(1)} | ${airdropRate.toFixed(0)} |`,
      '',
      `Ratio airdrop/raw: **${(airdropRate / rawRate).toFixed(2)}**. Checked after the run: one coupon per member, ledger sum = balances sum.`,
      'Goal: ratio ≥ 0.3.',
    ].join('\n');
    writeSection('airdrop (points -> coupons, 100k members)', body);
    process.stdout.write(`${body}\n`);
  } finally {
    await stopServer(server);
    await dropBenchData(name, DATABASE_URL);
  }
}

runBench(main);
