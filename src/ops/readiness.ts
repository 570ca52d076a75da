import type { Db } from '../db/db';
import type { Redis } from '../redis/connection';
import { pingMysql } from './readiness.repository';

/** A dependency the process needs to do its work; it rejects (or throws) when it cannot. */
export type ReadinessCheck = () => Promise<unknown>;

export interface Readiness {
  ready: boolean;
  body: { status: 'ready' | 'draining' | 'unavailable'; checks: Record<string, 'ok' | 'down'> };
}

/** A check that takes longer than this counts as down: a probe must answer before its timeout. */
const CHECK_TIMEOUT_MS = 1500;

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** MySQL and Redis answer: what every process of the service needs. */
export function storeChecks(db: Db, redis: Redis): Record<string, ReadinessCheck> {
  return {
    mysql: () => pingMysql(db),
    redis: () => redis.ping(),
  };
}

/** Runs every check at once; ready when all pass and the process is not shutting down. */
export async function checkReadiness(
  checks: Record<string, ReadinessCheck>,
  isDraining: () => boolean,
): Promise<Readiness> {
  const names = Object.keys(checks);
  const results = await Promise.allSettled(
    names.map((name) => within(CHECK_TIMEOUT_MS, Promise.resolve().then(checks[name]))),
  );
  const outcome = Object.fromEntries(
    names.map((name, i) => [name, results[i]?.status === 'fulfilled' ? 'ok' : 'down'] as const),
  );
  const draining = isDraining();
  const ready = !draining && results.every((result) => result.status === 'fulfilled');
  return {
    ready,
    body: { status: ready ? 'ready' : draining ? 'draining' : 'unavailable', checks: outcome },
  };
}
