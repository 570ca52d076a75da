import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanUp } from './cleanup';
import { WEB_TEST } from './service';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Builds web/ if needed, then starts the service the way `npm start` does (same entry, demo
 * seed, production mode) but as our own child, so teardown stops exactly this process (killing
 * npm's PID can leave the server behind).
 */
export default async function globalSetup(): Promise<void> {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium))
    throw new Error(
      `No Chromium at ${chromium}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  const build = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/web-build.ts', '--if-stale'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) throw new Error('web build failed');
  await cleanUp();
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  const log = openSync(join(ROOT, 'test-results', `web-service-${WEB_TEST.port}.log`), 'w');
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=8', '--max-old-space-size=160', '--import', 'tsx', 'src/server.ts'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DEMO_SEED: 'true',
        MALLOC_MMAP_THRESHOLD_: '1048576',
        PORT: String(WEB_TEST.port),
        DATABASE_URL: `mysql://root@127.0.0.1:3306/${WEB_TEST.database}`,
        REDIS_PREFIX: WEB_TEST.redisPrefix,
        // Every test signs up and signs in from 127.0.0.1.
        RATE_LIMIT_SCALE: '0',
        // Notes carrying this tag wait in the cultural buffer (the moderation console's tests).
        MODERATION_TAGS: 'e2e-review',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', log, log],
    },
  );
  writeFileSync(join(ROOT, WEB_TEST.pidFile), String(child.pid));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`service exited with ${child.exitCode}; see test-results/`);
    try {
      const ready = await fetch(`${WEB_TEST.url}/readyz`);
      const page = await fetch(`${WEB_TEST.url}/`);
      if (ready.ok && page.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  child.kill('SIGKILL');
  throw new Error('service did not become ready within 60 s');
}
