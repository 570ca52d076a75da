import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { dropDatabase } from '../src/db/database';
import { createRedis, deleteKeys, type RedisTarget } from '../src/redis/connection';
import { waitForRedis } from '../src/redis/ready';
import { vaultUrlOf } from '../src/vault';

export const ROOT = path.resolve(__dirname, '..');
/** Where sections are written: BENCH_RESULTS names another file for trial runs (a profile, say). */
export const RESULTS = process.env.BENCH_RESULTS ?? path.join(ROOT, 'bench', 'RESULTS.md');

export interface LoadResult {
  requestsPerSecond: number;
  p99Ms: number;
  p50Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

export function summarise(result: autocannon.Result): LoadResult {
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export function runLoad(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** Percentile of a list of durations in ms. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * BENCH_CLUSTERS=1: the bench runs on the local clusters of scripts/cluster-up.sh (Galera nodes
 * on 3307-3309, the Redis Cluster on 7001-7006) instead of the single servers.
 */
export const ON_CLUSTERS = process.env.BENCH_CLUSTERS === '1';
export const BENCH_DATABASE_HOSTS = ON_CLUSTERS
  ? '127.0.0.1:3307,127.0.0.1:3308,127.0.0.1:3309'
  : '127.0.0.1:3306';
const CLUSTER_NODES =
  '127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003,127.0.0.1:7004,127.0.0.1:7005,127.0.0.1:7006';
/** The bench's Redis, for seeding and cleaning up. */
export const BENCH_REDIS: RedisTarget = ON_CLUSTERS
  ? CLUSTER_NODES.split(',')
  : (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
/** What a bench's service processes need beside DATABASE_URL to reach the bench's Redis. */
export const BENCH_REDIS_ENV: Record<string, string> = ON_CLUSTERS
  ? { REDIS_CLUSTER_NODES: CLUSTER_NODES }
  : {};
/** Appended to a section's title for a run on the clusters. */
export const CLUSTERS_TITLE = ON_CLUSTERS ? ', on a Redis Cluster (3+3) and 3 Galera nodes' : '';

/**
 * A bench's database and its Redis keys (the bench's name is both the database and the Redis
 * prefix): sessions, queues and drop state of a 120,000-member run otherwise stay in Redis.
 */
export async function dropBenchData(name: string, databaseUrl: string): Promise<void> {
  await dropDatabase(databaseUrl);
  // The API's start creates the data vault's database beside it (`<name>_vault`).
  await dropDatabase(vaultUrlOf({ DATABASE_URL: databaseUrl }));
  const redis = createRedis(BENCH_REDIS, { name: 'bench-cleanup' });
  try {
    await waitForRedis(redis);
    await deleteKeys(redis, `${name}:*`);
  } finally {
    redis.disconnect();
  }
}

/** Starts the service as `npm start` would, in its own process, so load and server do not share an event loop. */
export async function startServer(
  env: Record<string, string>,
  port: number,
): Promise<ChildProcess> {
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=var/prof" profiles the server under load.
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...extra, compiledEntry()], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...SERVICE_ENV,
      // As `npm start` runs it: React's production build, no development checks (production
      // then wants a key of its own for the vault's email digests).
      NODE_ENV: 'production',
      VAULT_EMAIL_HMAC_KEY: 'bench-only-vault-email-hmac-key-0123456789',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_SCALE: '0',
      DEMO_SEED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The server's log goes to BENCH_LOG if set, else nowhere; an unread pipe would fill and
  // block the server's writes, and the bench would time the block.
  if (process.env.BENCH_LOG) child.stdout?.pipe(createWriteStream(process.env.BENCH_LOG));
  else child.stdout?.resume();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not left running behind a failed bench (it would hold its port and load the machine).
      child.kill('SIGKILL');
      reject(new Error('server did not start'));
    }, 60_000);
    const poll = async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.ok) {
          clearTimeout(timer);
          resolve();
          return;
        }
      } catch {
        // not listening yet
      }
      setTimeout(poll, 200);
    };
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    void poll();
  });
  return child;
}

let built = false;

/** The Node flags the service ships with (package.json scripts, Dockerfile). */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=8', '--max-old-space-size=160'];
/** The environment the service ships with beside its own settings (package.json scripts, Dockerfile). */
export const SERVICE_ENV: Record<string, string> = { MALLOC_MMAP_THRESHOLD_: '1048576' };

/** Benches measure the service as it ships: compiled once per run (`npm run build`), run from dist/. */
export function compiledEntry(): string {
  if (!built) {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    built = true;
  }
  return path.join(ROOT, 'dist', 'src', 'server.js');
}

/** Starts a worker process (ROLE=worker); resolves once its workers are up. */
export async function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, compiledEntry()], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...SERVICE_ENV,
      ROLE: 'worker',
      LOG_LEVEL: 'info',
      RATE_LIMIT_SCALE: '0',
      DEMO_SEED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${output}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('workers started')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
  child.stdout?.resume();
  return child;
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

/** RESULTS.md split at its `## ` headings. */
export function sectionsOf(text: string): string[] {
  return text.split(/\n(?=## )/);
}

/**
 * Whether `section` is the one titled `title`: the whole heading line, since one title can
 * begin another (`checkout (POST /v1/orders)` and `…, MySQL over its Unix socket`).
 */
export function isSection(section: string, title: string): boolean {
  return section.split('\n', 1)[0] === `## ${title}`;
}

/** Replaces (or appends) one `## title` section of bench/RESULTS.md, leaving the others alone. */
export function writeSection(title: string, body: string): void {
  const current = existsSync(RESULTS)
    ? readFileSync(RESULTS, 'utf8')
    : '# Benchmark results\n\nWritten by the scripts in `bench/`; each compares against a baseline measured in the same run.\n';
  const sections = sectionsOf(current);
  const section = `## ${title}\n\n${body.trim()}\n`;
  const index = sections.findIndex((s) => isSection(s, title));
  if (index >= 0) sections[index] = section;
  else sections.push(section);
  writeFileSync(RESULTS, `${sections.map((s) => s.trimEnd()).join('\n\n')}\n`);
}

/** A raw node:http server answering `{}`, in its own process: the baseline benches compare to. */
export async function rawHttpBaseline(
  options: Omit<autocannon.Options, 'url'>,
  port: number,
): Promise<LoadResult> {
  const source = `require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => { res.setHeader('content-type', 'application/json'); res.end('{}'); }); }).listen(${port}, () => console.log('ready'));`;
  const child = spawn(process.execPath, ['-e', source], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => child.stdout?.once('data', resolve));
  try {
    return summarise(await runLoad({ ...options, url: `http://127.0.0.1:${port}/` }));
  } finally {
    child.kill('SIGTERM');
  }
}

/** Runs a bench's main and exits: 0 when it finished, 1 with the error otherwise. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}

/** A JSON call to the service under test: POST when there is a body, else GET; non-2xx throws. */
export async function apiCall<T>(
  port: number,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** A process and its direct children (cluster workers), as pids. */
function processAndChildren(pid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (Number(entry) === pid || parent === pid) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

/**
 * Peak RSS in MB (VmHWM, since each started) of a service process and of its cluster workers,
 * the largest first: with API_PROCESSES=2 the workers serve and the primary only forks.
 */
export function peakRssMb(pid: number): number[] {
  return processAndChildren(pid)
    .map((each) => {
      try {
        const status = readFileSync(`/proc/${each}/status`, 'utf8');
        return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
      } catch {
        return 0;
      }
    })
    .sort((a, b) => b - a);
}

/** CPU ticks (1/100 s) used so far by a process and its direct children (cluster workers). */
function cpuTicks(pid: number): number {
  let total = 0;
  for (const each of processAndChildren(pid)) {
    try {
      const stat = readFileSync(`/proc/${each}/stat`, 'utf8');
      // Fields after the command name, which may hold spaces: state, ppid, ..., utime (14), stime (15).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/**
 * Waits until the service (and its cluster workers) has used under 5 % of a core for half a
 * second, at most `maxMs`: after a burst, V8 collects the grown heaps for a few seconds, and a
 * baseline run started then would be measured against that, not against an idle machine.
 */
export async function waitUntilIdle(child: ChildProcess, maxMs = 15_000): Promise<void> {
  if (child.pid === undefined || !existsSync('/proc/self/stat')) return;
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const before = cpuTicks(child.pid);
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (cpuTicks(child.pid) - before <= 2) return;
  }
}
