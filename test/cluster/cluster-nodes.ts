import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The local clusters of scripts/cluster-up.sh: where their nodes' PID files are. */
const ROOT = join(__dirname, '..', '..');
const CLUSTER_DIR = process.env.CLUSTER_DIR ?? join(ROOT, 'var', 'cluster');
const run = promisify(execFile);

function pidOf(file: string): number {
  return Number(readFileSync(file, 'utf8').trim());
}

/** The port of the Redis master serving `key`'s slot right now. */
export async function redisMasterPortOf(key: string): Promise<number> {
  const slot = Number((await run('redis-cli', ['-p', '7001', 'cluster', 'keyslot', key])).stdout);
  const { stdout } = await run('redis-cli', ['-p', '7001', 'cluster', 'nodes']);
  for (const line of stdout.trim().split('\n')) {
    const [, address, flags, , , , , state, ...ranges] = line.split(' ');
    if (!flags?.includes('master') || flags.includes('fail') || state !== 'connected') continue;
    for (const range of ranges) {
      const [from, to] = range.split('-').map(Number);
      if (slot >= from! && slot <= (to ?? from!))
        return Number(address!.split(':')[1]!.split('@')[0]);
    }
  }
  throw new Error(`no master serves slot ${slot}`);
}

/** kill -9 of one Redis node, by its own PID file. */
export function killRedisNode(port: number): void {
  process.kill(pidOf(join(CLUSTER_DIR, `redis-${port}`, 'redis.pid')), 'SIGKILL');
}

/** kill -9 of one Galera node (1, 2 or 3), by its own PID file. */
export function killGaleraNode(node: number): void {
  process.kill(pidOf(join(CLUSTER_DIR, `galera-${node}`, 'mariadbd.pid')), 'SIGKILL');
}

/** Stops every node of both clusters cleanly (scripts/cluster-down.sh). */
export async function stopClusters(): Promise<void> {
  await run('bash', [join(ROOT, 'scripts', 'cluster-down.sh')], { timeout: 180_000 });
}

/** Restarts whatever node is down and waits until both clusters are whole again. */
export async function restoreClusters(): Promise<void> {
  await run('bash', [join(ROOT, 'scripts', 'cluster-up.sh')], { timeout: 180_000 });
}
