/**
 * The opening burst of a puzzle drop: correct-answer attempts per second at 256 connections,
 * each request from a distinct member, against a raw node:http server answering `{}` on the
 * same machine in the same run. Records the ratio, p99 and the oversell count.
 *
 *   npm run bench:drop-burst          (BENCH_SECONDS=10 by default)
 */
import { SessionCache } from '../src/accounts/session-cache';
import { createSequelize, dropDatabase, ensureDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrator';
import { selectOne } from '../src/db/sql';
import { createRedis } from '../src/redis/connection';
import { bulkMembers, PUZZLE } from '../test/support/drops';
import {
  machineLine,
  rawHttpBaseline,
  runBench,
  runLoad,
  startServer,
  startWorker,
  stopServer,
  summarise,
  writeSection,
} from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 256;
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 60_000);
const STOCK = 500;
const API_PORT = 3991;
const RAW_PORT = 3992;
const name = `cs_bench_drop_${Date.now()}`;
const DATABASE_URL = `mysql://root@127.0.0.1:3306/${name}`;

async function post(path: string, token: string | null, body: unknown) {
  const res = await fetch(`http://127.0.0.1:${API_PORT}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { id: string; token: string; status: string };
}

async function main(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  const sequelize = createSequelize(DATABASE_URL, { poolMax: 4 });
  await migrate(sequelize);
  process.stdout.write(`seeding ${MEMBERS} members\n`);
  // Members signed in before the drop opens, as they would through the API (session in Redis).
  const redis = createRedis('redis://127.0.0.1:6379', { name: 'bench-seed' });
  const members = await bulkMembers(sequelize, MEMBERS, new SessionCache(redis, name));
  redis.disconnect();
  const env = { DATABASE_URL, REDIS_PREFIX: name, DB_POOL_MAX: '64' };
  const api = await startServer({ ...env, ROLE: 'api' }, API_PORT);
  const worker = await startWorker(env);
  try {
    const brand = await post('/v1/auth/signup', null, {
      email: 'brand@bench.test',
      password: 'bench-password',
      displayName: 'Bench',
      country: 'JP',
      accountType: 'brand',
      brandName: 'Bench',
    });
    const listing = await post('/v1/listings', brand.token, {
      title: 'Burst bowl',
      description: 'Limited',
      priceAmount: 5000,
      currency: 'JPY',
      quantity: STOCK,
      category: 'ceramics',
      condition: 'new',
    });
    const drop = await post('/v1/campaigns/drops', brand.token, {
      title: 'Burst',
      listingId: listing.id,
      stock: STOCK,
      startsAt: new Date(Date.now() + 1500).toISOString(),
      timezone: 'Asia/Tokyo',
      durationHours: 1,
      puzzle: PUZZLE,
    });
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${API_PORT}/v1/campaigns/drops/${drop.id}`);
      if (((await res.json()) as { status: string }).status === 'live') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    let next = 0;
    const burst = summarise(
      await runLoad({
        url: `http://127.0.0.1:${API_PORT}`,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests: [
          {
            method: 'POST',
            path: `/v1/campaigns/drops/${drop.id}/attempts`,
            setupRequest: (req) => ({
              ...req,
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${members[next++ % MEMBERS]!.token}`,
              },
              body: '{"answer":"Mount Fuji"}',
            }),
          },
        ],
      }),
    );
    const raw = await rawHttpBaseline(
      {
        method: 'POST',
        body: '{"answer":"mount fuji"}',
        connections: CONNECTIONS,
        duration: SECONDS,
      },
      RAW_PORT,
    );
    const won = await selectOne<{ n: number }>(
      sequelize,
      'SELECT COUNT(*) AS n FROM drop_reservations WHERE drop_id = ?',
      [drop.id],
    );
    const oversold = Math.max(0, Number(won!.n) - STOCK);
    const body = [
      `${machineLine()}; ${CONNECTIONS} connections, ${SECONDS} s per run; API (ROLE=api, LOG_LEVEL=warn) and worker in their own processes.`,
      `Drop of ${STOCK} units; every request is a correct answer from the next of ${MEMBERS} members (${Math.min(next, MEMBERS)} distinct members sent), so the run covers the winners (Lua + MySQL reservation row) and the sold-out tail (Lua only).`,
      'Baseline: a raw node:http server answering `{}` to the same POST, in its own process, same connections.',
      '',
      '| run | requests/s | p50 ms | p99 ms | non-2xx |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| raw node:http \`{}\` | ${raw.requestsPerSecond.toFixed(0)} | ${raw.p50Ms.toFixed(1)} | ${raw.p99Ms.toFixed(1)} | ${raw.non2xx} |`,
      `| drop attempts | ${burst.requestsPerSecond.toFixed(0)} | ${burst.p50Ms.toFixed(1)} | ${burst.p99Ms.toFixed(1)} | ${burst.non2xx} (sold_out / limit_reached 409s) |`,
      '',
      `Ratio attempts/raw: **${(burst.requestsPerSecond / raw.requestsPerSecond).toFixed(2)}**; reservations recorded: ${won!.n} of ${STOCK}; oversell: **${oversold}**.`,
      'Goal: ratio ≥ 0.25, p99 < 50 ms, zero oversell.',
    ].join('\n');
    writeSection('drop burst (POST /v1/campaigns/drops/:id/attempts)', body);
    process.stdout.write(`${body}\n`);
  } finally {
    await stopServer(api);
    await stopServer(worker);
    await sequelize.close();
    await dropDatabase(DATABASE_URL);
  }
}

runBench(main);
