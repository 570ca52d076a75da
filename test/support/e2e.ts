import { createServer } from 'node:net';
import { startServiceProcess, type ServiceProcess } from './service-process';
import { MYSQL_SERVER_URL, testServerEnv, uniqueTestName } from './test-env';
import { removeTestNamespace } from './test-namespace';
import { createMigratedDatabase } from './test-schema';

/**
 * MySQL connections of one service process a test starts (the service's default is 20). Three
 * processes at once (two API and a worker, or a cluster of two) then hold at most 24, which
 * keeps a whole run far under a default server's max_connections (151): see jest.config.js.
 */
export const E2E_DB_POOL_MAX = 8;

/** Processes of one e2e test file: its own database and Redis prefix, all cleaned up after. */
export class E2eServices {
  readonly name = uniqueTestName();
  readonly env: Record<string, string> = {
    DATABASE_URL: `${MYSQL_SERVER_URL}/${this.name}`,
    ...testServerEnv(),
    REDIS_PREFIX: this.name,
    RATE_LIMIT_SCALE: '0',
    PASSWORD_HASH_COST: '1024',
    DEMO_SEED: 'false',
    DB_POOL_MAX: String(E2E_DB_POOL_MAX),
  };
  private readonly processes: ServiceProcess[] = [];
  private started = 0;

  /**
   * `fromEmptyDatabase`: the first process finds no database and migrates it, as a new
   * deployment does; otherwise the database is made from the run's migrated schema
   * (test/support/test-schema.ts) before it, and its start finds nothing to apply.
   */
  constructor(private readonly options: { fromEmptyDatabase?: boolean } = {}) {}

  /** Starts `src/server.ts` with ROLE=`role` on a port nobody listens on (see freePort). */
  async start(
    role: 'api' | 'worker' | 'all',
    env: Record<string, string> = {},
  ): Promise<ServiceProcess> {
    if (this.started === 0 && !this.options.fromEmptyDatabase) {
      await createMigratedDatabase(this.env.DATABASE_URL!);
    }
    const service = await startServiceProcess(
      // Of several database nodes (a Galera cluster), each process started is on the next one.
      { ...this.env, DATABASE_FIRST_NODE: String(this.started++), ...env, ROLE: role },
      await freePort(),
    );
    this.processes.push(service);
    return service;
  }

  /** Kills this file's processes, then drops its database and sweeps its Redis keys. */
  async cleanup(): Promise<void> {
    for (const p of this.processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await Promise.all(this.processes.map((p) => p.exited));
    this.processes.length = 0;
    // Swept only once no process of this name is left to write a key after the sweep.
    await removeTestNamespace(this.name);
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

/**
 * A port below Linux's ephemeral range (32768-60999): a port picked inside it could be taken by
 * any outgoing connection (to MySQL, Redis) between the pick and the service's bind. Checked
 * free by binding it once.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}
