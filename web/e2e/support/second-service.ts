import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from '@playwright/test';
import { cleanUpService } from './cleanup';
import { callApi } from './http';
import { WEB_TEST } from './service';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * A service of a spec's own beside the shared one (another port, database and Redis prefix),
 * for what the shared one must not be set to: another payment provider, a database the spec can
 * cut. Started as the shared one is, production mode, with the spec's settings on top.
 */
export class SecondService {
  readonly port: number;
  readonly url: string;
  readonly database: string;
  readonly redisPrefix: string;
  private child: ChildProcess | undefined;

  /** `offset` keeps specs that run side by side on ports of their own. */
  constructor(name: string, offset: number) {
    this.port = WEB_TEST.port + offset;
    this.url = `http://127.0.0.1:${this.port}`;
    this.database = `${WEB_TEST.database}_${name}`;
    this.redisPrefix = `${WEB_TEST.redisPrefix}${name}`;
  }

  get exitCode(): number | null {
    return this.child?.exitCode ?? null;
  }

  /** Starts from empty (its database and keys dropped) and waits until /readyz answers 200. */
  async start(env: Record<string, string>): Promise<void> {
    await cleanUpService(this);
    const log = openSync(join(ROOT, 'test-results', `web-service-${this.port}.log`), 'w');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(this.port),
        DATABASE_URL: `mysql://root@127.0.0.1:3306/${this.database}`,
        REDIS_PREFIX: this.redisPrefix,
        RATE_LIMIT_SCALE: '0',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', log, log],
    });
    this.child = child;
    await expect
      .poll(
        async () => {
          if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
          return fetch(`${this.url}/readyz`).then(
            (response) => response.status,
            () => 0,
          );
        },
        { timeout: 90_000, intervals: [250] },
      )
      .toBe(200);
  }

  /** SIGTERM, SIGKILL after 15 s, then its database and keys dropped. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((done) => setTimeout(done, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await cleanUpService(this);
  }

  /** One API call to this service; a non-2xx answer throws with its body. */
  call<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
    return callApi<T>(this.url, method, path, token, body);
  }
}
