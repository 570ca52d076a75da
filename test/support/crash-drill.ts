import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import mysql, { type Pool, type RowDataPacket } from 'mysql2/promise';
import { callJson, E2eServices } from './e2e';
import type { ServiceProcess } from './service-process';
import { TEST_REDIS_URL } from './test-env';

/*
 * "Worker killed with SIGKILL during each kind of job: after restart every job completes once."
 * One test file a kind of job (order expiry, points conversion, finance export), so jest runs
 * them side by side; drop switches and airdrops are covered by drop-schedule.test.ts and
 * airdrop-crash.test.ts. Each test runs its own API and worker processes on a database and
 * Redis prefix of its own, with JOB_LOCK_MS=2000 so a killed worker's active jobs are taken up
 * again a few seconds after a new worker starts.
 */

export const ROOT = path.resolve(__dirname, '../..');
const all: E2eServices[] = [];
const pools: Pool[] = [];
const tempDirs: string[] = [];
let redisConnection: Redis | undefined;
const redis = () => (redisConnection ??= new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 }));

/** Row locks the test holds; released before cleanup if a test failed while holding one. */
const heldLocks = new Set<() => Promise<void>>();

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function newServices(env: Record<string, string>): E2eServices {
  const services = new E2eServices();
  Object.assign(services.env, { JOB_LOCK_MS: '2000' }, env);
  all.push(services);
  return services;
}

export function poolOf(services: E2eServices): Pool {
  const pool = mysql.createPool({
    uri: services.env.DATABASE_URL!,
    timezone: 'Z',
    connectionLimit: 4,
  });
  pools.push(pool);
  return pool;
}

export async function rows<T>(db: Pool, sql: string, params: unknown[] = []): Promise<T[]> {
  const [result] = await db.query<RowDataPacket[]>(sql, params);
  return result as T[];
}

/**
 * Holds a row lock from the test's own connection, so jobs that reach that row wait there,
 * mid-transaction, until `release`.
 */
export async function holdRowLock(db: Pool, sql: string, params: unknown[]) {
  const connection = await db.getConnection();
  await connection.beginTransaction();
  await connection.query(sql, params);
  const release = async () => {
    heldLocks.delete(release);
    await connection.rollback();
    connection.release();
  };
  heldLocks.add(release);
  return { release };
}

/**
 * Statements of this deployment's database now running that start with `statement`: with the
 * row they need locked by `holdRowLock`, they are waiting for it. (PROCESSLIST, not INNODB_TRX:
 * MariaDB's INNODB_TRX is a cache that can miss transactions under frequent polling.)
 */
export async function waitingOn(
  db: Pool,
  services: E2eServices,
  statement: string,
): Promise<number> {
  const [row] = await rows<{ n: number }>(
    db,
    `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST
      WHERE DB = ? AND COMMAND = 'Query' AND INFO LIKE ?`,
    [services.name, `${statement}%`],
  );
  return Number(row!.n);
}

export async function kill(worker: ServiceProcess): Promise<void> {
  worker.child.kill('SIGKILL');
  await worker.exited;
}

export interface Session {
  id: string;
  token: string;
  email: string;
}

export async function signup(
  api: ServiceProcess,
  overrides: Record<string, unknown> = {},
): Promise<Session> {
  const email = `${randomUUID()}@crash.test`;
  const res = await callJson<{ token: string; user: { id: string } }>(
    `${api.url}/v1/auth/signup`,
    'POST',
    null,
    {
      email,
      password: 'crash-test-password',
      displayName: 'Crash',
      country: 'JP',
      timezone: 'Asia/Tokyo',
      accountType: 'member',
      ...overrides,
    },
  );
  expect(res.status).toBe(201);
  return { id: res.body.user.id, token: res.body.token, email };
}

/** BullMQ's record of one queue of a deployment: which job ids are where. */
export async function queueState(services: E2eServices, queue: string) {
  const key = (kind: string) => `${services.name}:{bull}:${queue}:${kind}`;
  const [completed, failed, delayed, active, waiting, prioritized] = await Promise.all([
    redis().zrange(key('completed'), '0', '-1'),
    redis().zrange(key('failed'), '0', '-1'),
    redis().zrange(key('delayed'), '0', '-1'),
    redis().lrange(key('active'), '0', '-1'),
    redis().lrange(key('wait'), '0', '-1'),
    redis().zrange(key('prioritized'), '0', '-1'),
  ]);
  return {
    completed: new Set(completed),
    failed,
    unfinished: [...delayed, ...active, ...waiting, ...prioritized],
  };
}

export const jobReturn = async (services: E2eServices, queue: string, jobId: string) =>
  JSON.parse(
    (await redis().hget(`${services.name}:{bull}:${queue}:${jobId}`, 'returnvalue')) ?? 'null',
  ) as unknown;

/** A folder of the test's own, removed when the test ends. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/**
 * Each test's processes, pools and files go when the test ends, so a test never runs beside the
 * previous one's processes: their MySQL connections add up past a default server's 151. Every
 * step runs even if one before it fails: no process, database or key is left behind.
 */
export function cleanUpAfterEachDrill(): void {
  afterEach(async () => {
    await Promise.allSettled([...heldLocks].map((release) => release()));
    await Promise.allSettled(pools.splice(0).map((p) => p.end()));
    const cleaned = await Promise.allSettled(all.splice(0).map((s) => s.cleanup()));
    await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    for (const result of cleaned) if (result.status === 'rejected') throw result.reason;
    // Processes, a database and a prefix to remove: more than 30 s on a loaded machine.
  }, 90_000);

  afterAll(() => redisConnection?.disconnect());
}
