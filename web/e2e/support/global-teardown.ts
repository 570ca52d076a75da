import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanUp } from './cleanup';
import { WEB_TEST } from './service';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the service by its own PID (SIGTERM, then SIGKILL), then drops its data. */
export default async function globalTeardown(): Promise<void> {
  const pidFile = join(ROOT, WEB_TEST.pidFile);
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    if (pid > 0 && isRunning(pid)) {
      process.kill(pid, 'SIGTERM');
      const deadline = Date.now() + 20_000;
      while (isRunning(pid) && Date.now() < deadline)
        await new Promise((done) => setTimeout(done, 100));
      if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    }
    rmSync(pidFile, { force: true });
  }
  await cleanUp();
}
