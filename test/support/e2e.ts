import { Redis } from 'ioredis';
import { dropDatabase } from '../../src/db/database';
import { deleteKeys } from '../../src/redis/connection';
import { startServiceProcess, type ServiceProcess } from './service-process';
import { MYSQL_SERVER_URL, TEST_REDIS_URL, uniqueTestName } from './test-env';

/** Processes of one e2e test file: its own database and Redis prefix, all cleaned up after. */
export class E2eServices {
  readonly name = uniqueTestName();
  readonly env: Record<string, string> = {
    DATABASE_URL: `${MYSQL_SERVER_URL}/${this.name}`,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: this.name,
    RATE_LIMIT_SCALE: '0',
    DEMO_SEED: 'false',
  };
  private readonly processes: ServiceProcess[] = [];

  /** Starts `src/server.ts` with ROLE=`role` on a free-ish port. */
  async start(
    role: 'api' | 'worker' | 'all',
    env: Record<string, string> = {},
  ): Promise<ServiceProcess> {
    const service = await startServiceProcess(
      { ...this.env, ...env, ROLE: role },
      30000 + Math.floor(Math.random() * 20000),
    );
    this.processes.push(service);
    return service;
  }

  async cleanup(): Promise<void> {
    for (const p of this.processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await Promise.all(this.processes.map((p) => p.exited));
    await dropDatabase(this.env.DATABASE_URL!);
    // The Redis prefix goes too, queues and all.
    const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
    try {
      await redis.connect();
      await deleteKeys(redis, `${this.name}:*`);
    } finally {
      redis.disconnect();
    }
  }
}

/** A JSON call as a client would make it. */
export async function callJson<T>(
  url: string,
  method: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}
