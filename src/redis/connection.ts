import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

export interface RedisConnectionOptions {
  /** BullMQ workers block on Redis and need `maxRetriesPerRequest: null`. */
  forBullmq?: boolean;
  name?: string;
}

/**
 * The one factory for Redis connections. Commands fail fast while Redis is down (no offline
 * queue), so a request answers 503 instead of hanging; ioredis keeps reconnecting in the
 * background and the service recovers without a restart. That holds for the connection the
 * API's queues add jobs through too, as BullMQ advises for HTTP APIs
 * (https://docs.bullmq.io/patterns/failing-fast-when-redis-is-down). Only workers, which
 * block waiting for jobs, wait for Redis instead.
 */
export function createRedis(url: string, options: RedisConnectionOptions = {}): Redis {
  const base: RedisOptions = {
    connectionName: options.name,
    lazyConnect: false,
    enableAutoPipelining: !options.forBullmq,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  };
  const tuned: RedisOptions = options.forBullmq
    ? { ...base, maxRetriesPerRequest: null, enableReadyCheck: false }
    : { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 };
  return new Redis(url, tuned);
}

/** Every Redis key of this deployment: `<REDIS_PREFIX>:<part>:<part>...`. */
export function redisKey(prefix: string, ...parts: string[]): string {
  return [prefix, ...parts].join(':');
}

/** Removes every key matching `pattern` (a prefix's keys, say), a SCAN page at a time. */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}
