import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { serviceCommand } from './service-build';

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  url: string;
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

const ROOT = path.resolve(__dirname, '../..');

/**
 * Starts `src/server.ts` as a user would, compiled (see service-build.ts), on its own port;
 * resolves once it listens.
 */
export async function startServiceProcess(
  env: Record<string, string>,
  port: number,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, serviceCommand('src/server.ts'), {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const marker =
    env.ROLE === 'worker'
      ? 'workers started'
      : Number(env.API_PROCESSES ?? 1) > 1
        ? 'API processes listening'
        : 'API listening';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Never leave an orphan behind a failed start.
      child.kill('SIGKILL');
      reject(new Error(`service did not start:\n${output}`));
    }, 30_000);
    // Looked for until found only: each look flattens the whole output so far, which grows
    // with every request the service logs.
    const check = () => {
      if (output.includes(marker)) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code}:\n${output}`));
    });
  });
  return { child, port, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}
