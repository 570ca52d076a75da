/**
 * A drop with 50,000 reminders: its opening burst (correct-answer attempts/s and p99 at 128
 * connections) while the worker mails the reminders, against drops that open with no
 * reminders in the same run (one before, one after), and how long the 50,000 mails take to be
 * written to the outbox (SMTP_URL unset, the embedded default) from the moment the drop is live.
 *
 *   npm run bench:reminders          (BENCH_REMINDERS=50000, BENCH_SECONDS=5 by default)
 */
import { SessionCache } from '../src/accounts/session-cache';
import { Db } from '../src/db/db';
import { ensureDatabase } from '../src/db/database';
import { migrateDatabase } from '../src/db/migrator';
import { selectOne } from '../src/db/sql';
import { createRedis } from '../src/redis/connection';
import { bulkMembers, PUZZLE } from '../test/support/drops';
import {
  BENCH_DATABASE_HOSTS,
  BENCH_REDIS,
  BENCH_REDIS_ENV,
  dropBenchData,
  machineLine,
  runBench,
  runLoad,
  startServer,
  startWorker,
  stopServer,
  summarise,
  type LoadResult,
  waitUntilIdle,
  writeSection,
} from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const REMINDERS = Number(process.env.BENCH_REMINDERS ?? 50_000);
const CONNECTIONS = 128;
const STOCK = 500;
const API_PORT = 3993;
const name = `cs_bench_reminders_${Date.now()}`;
const DATABASE_URL = `mysql://root@${BENCH_DATABASE_HOSTS}/${name}`;

async function call<T>(method: string, path: string, token: string | null, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${API_PORT}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as T };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  await migrateDatabase(DATABASE_URL);
  const db = new Db(DATABASE_URL, { poolMax: 4 });
  const env = { DATABASE_URL, REDIS_PREFIX: name, DB_POOL_MAX: '64', ...BENCH_REDIS_ENV };
  const api = await startServer({ ...env, ROLE: 'api' }, API_PORT);
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  try {
    worker = await startWorker(env);
    process.stdout.write(`seeding ${REMINDERS} members\n`);
    const redis = createRedis(BENCH_REDIS, { name: 'bench-seed' });
    const members = await bulkMembers(db, REMINDERS, new SessionCache(redis, name));
    redis.disconnect();
    const brand = await call<{ token: string }>('POST', '/v1/auth/signup', null, {
      email: 'brand@bench.test',
      password: 'bench-password',
      displayName: 'Bench',
      country: 'JP',
      accountType: 'brand',
      brandName: 'Bench',
    });
    const token = brand.body.token;
    const scheduleDrop = async (title: string, inMs: number) => {
      const listing = await call<{ id: string }>('POST', '/v1/listings', token, {
        title,
        description: 'Limited',
        priceAmount: 5000,
        currency: 'JPY',
        quantity: STOCK,
        category: 'ceramics',
        condition: 'new',
      });
      const drop = await call<{ id: string }>('POST', '/v1/campaigns/drops', token, {
        title,
        listingId: listing.body.id,
        stock: STOCK,
        startsAt: new Date(Date.now() + inMs).toISOString(),
        timezone: 'Asia/Tokyo',
        durationHours: 1,
        puzzle: PUZZLE,
      });
      return drop.body.id;
    };
    const untilLive = async (id: string) => {
      for (;;) {
        const res = await call<{ status: string }>('GET', `/v1/campaigns/drops/${id}`, null);
        if (res.body.status === 'live') return Date.now();
        await sleep(20);
      }
    };
    let next = 0;
    const burst = async (dropId: string): Promise<LoadResult> =>
      summarise(
        await runLoad({
          url: `http://127.0.0.1:${API_PORT}`,
          connections: CONNECTIONS,
          duration: SECONDS,
          requests: [
            {
              method: 'POST',
              path: `/v1/campaigns/drops/${dropId}/attempts`,
              setupRequest: (req) => ({
                ...req,
                headers: {
                  'content-type': 'application/json',
                  authorization: `Bearer ${members[next++ % REMINDERS]!.token}`,
                },
                body: '{"answer":"Mount Fuji"}',
              }),
            },
          ],
        }),
      );
    const mailed = async (dropId: string) =>
      Number(
        (await selectOne<{ n: number }>(
          db,
          "SELECT COUNT(*) AS n FROM mail_outbox WHERE kind = 'drop-reminder' AND event_key LIKE ?",
          [`drop-reminder:${dropId}:%`],
        ))!.n,
      );

    // A warm API first: the drops are measured on a process that has been serving.
    const warm = await scheduleDrop('Warm-up bowl', 1500);
    await untilLive(warm);
    await burst(warm);

    const quiet = async (title: string) => {
      const id = await scheduleDrop(title, 1500);
      await waitUntilIdle(api);
      await waitUntilIdle(worker!);
      await untilLive(id);
      return burst(id);
    };
    const before = await quiet('Quiet bowl (before)');

    // 50,000 members ask to be reminded: a few through the API, the rest written as it writes them.
    const reminded = await scheduleDrop('Reminded bowl', 20_000);
    for (const member of members.slice(0, 20)) {
      const res = await call('POST', `/v1/campaigns/drops/${reminded}/reminders`, member.token);
      if (res.status !== 204) throw new Error(`reminder refused: ${res.status}`);
    }
    for (let i = 20; i < REMINDERS; i += 2000) {
      const chunk = members.slice(i, i + 2000);
      await db.query(
        `INSERT IGNORE INTO drop_reminders (drop_id, user_id, created_at) VALUES ${chunk.map(() => '(?, ?, NOW(3))').join(', ')}`,
        chunk.flatMap((m) => [reminded, m.id]),
      );
    }
    await waitUntilIdle(api);
    await waitUntilIdle(worker);
    const liveAt = await untilLive(reminded);
    const during = await burst(reminded);
    const mailedByBurstEnd = await mailed(reminded);
    let allMailedMs = 0;
    for (;;) {
      if ((await mailed(reminded)) >= REMINDERS) {
        allMailedMs = Date.now() - liveAt;
        break;
      }
      if (Date.now() - liveAt > 15 * 60_000) throw new Error('reminders not all mailed in 15 min');
      await sleep(250);
    }
    const after = await quiet('Quiet bowl (after)');

    const row = (label: string, r: LoadResult) =>
      `| ${label} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} |`;
    const baseline = (before.requestsPerSecond + after.requestsPerSecond) / 2;
    const baselineP99 = Math.max(before.p99Ms, after.p99Ms);
    const body = [
      `${machineLine()}; ${CONNECTIONS} connections, ${SECONDS} s per burst; API compiled, ROLE=api, worker (ROLE=worker) in its own process; mails kept in the outbox (SMTP_URL unset).`,
      `Each burst: correct answers from distinct members to a just-opened drop of ${STOCK} units. "Quiet" drops have no reminders; the reminded drop has ${REMINDERS.toLocaleString('en')} (20 through \`POST /v1/campaigns/drops/:id/reminders\`, the rest inserted alike), mailed by the worker in batches of 500 as the burst runs.`,
      '',
      '| drop | attempts/s | p50 ms | p99 ms |',
      '| --- | ---: | ---: | ---: |',
      row('quiet, before', before),
      row(`reminded (${REMINDERS.toLocaleString('en')} mails being written)`, during),
      row('quiet, after', after),
      '',
      `Burst with the fan-out / mean of the quiet ones: **${(during.requestsPerSecond / baseline).toFixed(2)}** (p99 ${during.p99Ms.toFixed(0)} ms next to the quiet drops' worst ${baselineP99.toFixed(0)} ms).`,
      `Reminders written by the end of the burst: ${mailedByBurstEnd.toLocaleString('en')}; all ${REMINDERS.toLocaleString('en')} in the outbox **${(allMailedMs / 1000).toFixed(1)} s** after the drop went live (${(REMINDERS / (allMailedMs / 1000)).toFixed(0)} mails/s).`,
    ].join('\n');
    writeSection(`drop reminders (${REMINDERS.toLocaleString('en')} mailed at opening)`, body);
    process.stdout.write(`${body}\n`);
  } finally {
    await stopServer(api);
    if (worker) await stopServer(worker);
    await db.close();
    await dropBenchData(name, DATABASE_URL);
  }
}

runBench(main);
