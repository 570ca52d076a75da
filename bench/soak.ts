/**
 * Soak: mixed traffic (browse, checkout, drop attempts, notes) for SOAK_SECONDS (600) at half
 * the capacity measured for the same mix at the start of the run, against the compiled API and
 * a worker. Samples the API's RSS, V8 heap and event-loop lag every 10 s; memory and lag should
 * stay flat. Writes the samples per minute and the verdict to bench/RESULTS.md.
 *
 *   npm run bench:soak                (SOAK_SECONDS=600 by default)
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type autocannon from 'autocannon';
import { SessionCache } from '../src/accounts/session-cache';
import { Db } from '../src/db/db';
import { ensureDatabase } from '../src/db/database';
import { migrateDatabase } from '../src/db/migrator';
import { createRedis } from '../src/redis/connection';
import { bulkMembers, PUZZLE } from '../test/support/drops';
import {
  apiCall,
  dropBenchData,
  machineLine,
  percentile,
  runBench,
  runLoad,
  startServer,
  startWorker,
  stopServer,
  writeSection,
} from './support';

const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const CAPACITY_SECONDS = 15;
const CONNECTIONS = 32;
const MEMBERS = 5000;
const LISTINGS = 200;
const SAMPLE_MS = 10_000;
const PORT = 3987;
const name = `cs_bench_soak_${Date.now()}`;
const DATABASE_URL = `mysql://root@127.0.0.1:3306/${name}`;
const ADDRESS = {
  name: 'Soak',
  line1: '1 Soak St',
  city: 'Osaka',
  postalCode: '530-0001',
  country: 'JP',
};

const call = <T>(path: string, token: string | null, body?: unknown) =>
  apiCall<T>(PORT, path, token, body);

interface Sample {
  atSeconds: number;
  rssMb: number;
  heapUsedMb: number;
  lagP99Ms: number;
  requests: number;
  p99Ms: number;
  errors5xx: number;
}

/** The metrics the API reports about itself (prom-client defaults), and its RSS from /proc. */
async function probe(
  pid: number,
): Promise<Omit<Sample, 'atSeconds' | 'requests' | 'p99Ms' | 'errors5xx'>> {
  const text = await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();
  const metric = (metricName: string) =>
    Number(new RegExp(`^${metricName} ([0-9.e+-]+)`, 'm').exec(text)?.[1] ?? 0);
  const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return {
    rssMb: rssKb / 1024,
    heapUsedMb: metric('nodejs_heap_size_used_bytes') / 2 ** 20,
    lagP99Ms: metric('nodejs_eventloop_lag_p99_seconds') * 1000,
  };
}

async function main(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  await migrateDatabase(DATABASE_URL);
  const db = new Db(DATABASE_URL, { poolMax: 4 });
  const redis = createRedis('redis://127.0.0.1:6379', { name: 'bench-seed' });
  const members = await bulkMembers(db, MEMBERS, new SessionCache(redis, name));
  redis.disconnect();
  const env = { DATABASE_URL, REDIS_PREFIX: name, DB_POOL_MAX: '32' };
  const api = await startServer({ ...env, ROLE: 'api' }, PORT);
  const worker = await startWorker(env);
  try {
    const seller = await call<{ token: string }>('/v1/auth/signup', null, {
      email: 'seller@soak.test',
      password: 'soak-password',
      displayName: 'Seller',
      country: 'JP',
      accountType: 'brand',
      brandName: 'Soak',
    });
    const listingIds: string[] = [];
    for (let i = 0; i < LISTINGS; i += 1) {
      const listing = await call<{ id: string }>('/v1/listings', seller.token, {
        title: `Soak bowl ${i} matcha`,
        description: 'Hand thrown, for a long run',
        priceAmount: 1000 + i,
        currency: 'JPY',
        quantity: 1_000_000,
        category: 'ceramics',
        condition: 'handmade',
      });
      listingIds.push(listing.id);
    }
    const drop = await call<{ id: string }>('/v1/campaigns/drops', seller.token, {
      title: 'Soak drop',
      listingId: listingIds[0],
      stock: 100_000,
      startsAt: new Date(Date.now() + 1500).toISOString(),
      timezone: 'Asia/Tokyo',
      durationHours: 48,
      puzzle: PUZZLE,
      maxAttemptsPerUser: 1000,
    });
    while (
      (await call<{ status: string }>(`/v1/campaigns/drops/${drop.id}`, null)).status !== 'live'
    )
      await new Promise((resolve) => setTimeout(resolve, 100));

    let next = 0;
    const member = () => members[next++ % MEMBERS]!;
    const json = (token: string, body: unknown) => ({
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    // Browsing twice as often as each write.
    const requests: autocannon.Request[] = [
      { method: 'GET', path: '/v1/listings?q=matcha' },
      { method: 'GET', path: '/v1/listings?category=ceramics' },
      {
        method: 'POST',
        path: '/v1/orders',
        setupRequest: (req) => ({
          ...req,
          ...json(member().token, {
            items: [{ listingId: listingIds[next % LISTINGS], quantity: 1 }],
            shippingAddress: ADDRESS,
          }),
        }),
      },
      {
        method: 'POST',
        path: `/v1/campaigns/drops/${drop.id}/attempts`,
        setupRequest: (req) => ({
          ...req,
          ...json(member().token, { answer: next % 2 ? 'Mount Fuji' : 'Everest' }),
        }),
      },
      {
        method: 'POST',
        path: '/v1/notes',
        setupRequest: (req) => ({
          ...req,
          ...json(member().token, {
            clientId: randomUUID(),
            title: 'Soak note',
            body: 'Cross-cultural notes, all day long',
            languages: ['ja', 'en'],
            cultureTags: ['soak'],
          }),
        }),
      },
    ];
    const url = `http://127.0.0.1:${PORT}`;
    const capacity = await runLoad({
      url,
      connections: CONNECTIONS,
      duration: CAPACITY_SECONDS,
      requests,
    });
    const rate = Math.max(1, Math.floor(capacity.requests.average / 2));
    process.stdout.write(
      `capacity ${capacity.requests.average.toFixed(0)} req/s; soaking at ${rate} req/s for ${SOAK_SECONDS} s\n`,
    );

    const samples: Sample[] = [];
    let latencies: number[] = [];
    let count = 0;
    let errors5xx = 0;
    const began = Date.now();
    const sampler = setInterval(() => {
      const window = latencies;
      const windowCount = count;
      const windowErrors = errors5xx;
      latencies = [];
      count = 0;
      errors5xx = 0;
      void probe(api.pid!).then((p) =>
        samples.push({
          atSeconds: Math.round((Date.now() - began) / 1000),
          ...p,
          requests: windowCount,
          p99Ms: percentile(window, 99),
          errors5xx: windowErrors,
        }),
      );
    }, SAMPLE_MS);
    const soak = await runLoad({
      url,
      connections: CONNECTIONS,
      overallRate: rate,
      duration: SOAK_SECONDS,
      requests,
      setupClient: (client) => {
        client.on('response', (status: number, _bytes: number, ms: number) => {
          latencies.push(ms);
          count += 1;
          if (status >= 500) errors5xx += 1;
        });
      },
    });
    clearInterval(sampler);
    await new Promise((resolve) => setTimeout(resolve, 500));

    // Flat: after the first minute's warm-up, the last minute is within 15 % of the second's.
    const byMinute = samples.filter((s) => s.atSeconds % 60 === 0 || s === samples.at(-1));
    const warm = samples.find((s) => s.atSeconds >= 60) ?? samples[0]!;
    const lastMinute = samples.filter((s) => s.atSeconds > (samples.at(-1)?.atSeconds ?? 0) - 60);
    const end = lastMinute.at(-1)!;
    const growth = (after: number, before: number) => ((after - before) / before) * 100;
    const rssGrowth = growth(end.rssMb, warm.rssMb);
    const heapGrowth = growth(end.heapUsedMb, warm.heapUsedMb);
    const lagStart = Math.max(...samples.filter((s) => s.atSeconds <= 120).map((s) => s.lagP99Ms));
    const lagEnd = Math.max(...lastMinute.map((s) => s.lagP99Ms));
    const flat = rssGrowth < 15 && heapGrowth < 15 && lagEnd < Math.max(2 * lagStart, 20);
    const total5xx = soak.non2xx === 0 ? 0 : samples.reduce((sum, s) => sum + s.errors5xx, 0);

    const body = [
      `${machineLine()}; ${SOAK_SECONDS} s of mixed traffic (2 browse : 1 checkout : 1 drop attempt : 1 note) from ${MEMBERS} members over ${CONNECTIONS} connections; API (ROLE=api) and worker in their own processes, compiled.`,
      `Capacity for this mix, measured first (${CAPACITY_SECONDS} s, unthrottled): ${capacity.requests.average.toFixed(0)} req/s; the soak ran at half of it: **${rate} req/s**.`,
      '',
      '| at | requests in 10 s | p99 ms | 5xx | API RSS MB | V8 heap used MB | event-loop lag p99 ms |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...byMinute.map(
        (s) =>
          `| ${s.atSeconds} s | ${s.requests} | ${s.p99Ms.toFixed(0)} | ${s.errors5xx} | ${s.rssMb.toFixed(0)} | ${s.heapUsedMb.toFixed(1)} | ${s.lagP99Ms.toFixed(1)} |`,
      ),
      '',
      `From minute 1 to the end: RSS ${rssGrowth >= 0 ? '+' : ''}${rssGrowth.toFixed(1)} %, heap used ${heapGrowth >= 0 ? '+' : ''}${heapGrowth.toFixed(1)} %; event-loop lag p99 ${lagStart.toFixed(1)} ms in the first two minutes, ${lagEnd.toFixed(1)} ms in the last. ${soak.requests.total} requests, ${total5xx} answered 5xx.`,
      `Verdict: **${flat ? 'flat' : 'NOT flat'}** (memory within 15 % of minute 1, lag p99 not doubled).`,
    ].join('\n');
    writeSection('soak (mixed traffic at half capacity)', body);
    process.stdout.write(`${body}\n`);
  } finally {
    await stopServer(api);
    await stopServer(worker);
    await db.close();
    await dropBenchData(name, DATABASE_URL);
  }
}

runBench(main);
