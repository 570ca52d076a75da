import { Cluster, Redis as SingleRedis, type ClusterOptions, type RedisOptions } from 'ioredis';

/** A connection to one Redis server or to a Redis Cluster: the service uses either alike. */
export type Redis = SingleRedis | Cluster;

/** Where Redis is: one server's URL, or the `host:port` seeds of a Redis Cluster. */
export type RedisTarget = string | readonly string[];

/** REDIS_CLUSTER_NODES when set (a Redis Cluster), else REDIS_URL. */
export function redisTargetOf(config: {
  REDIS_URL: string;
  REDIS_CLUSTER_NODES: readonly string[];
}): RedisTarget {
  return config.REDIS_CLUSTER_NODES.length > 0 ? config.REDIS_CLUSTER_NODES : config.REDIS_URL;
}

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
export function createRedis(target: RedisTarget, options: RedisConnectionOptions = {}): Redis {
  const base: RedisOptions = {
    connectionName: options.name,
    lazyConnect: false,
    enableAutoPipelining: !options.forBullmq,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  };
  const tuned: RedisOptions = options.forBullmq
    ? { ...base, maxRetriesPerRequest: null, enableReadyCheck: false }
    : { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 };
  if (typeof target === 'string') return new SingleRedis(target, tuned);
  return createCluster(target, tuned, options);
}

/**
 * A Redis Cluster client. While a master fails over (its replica is promoted ~4 s after it
 * died, the whole cluster answering CLUSTERDOWN meanwhile), a command waits and is sent again
 * instead of failing: 500 ms between tries, up to 32 tries (measured on a local cluster, 0 of 60
 * queue adds failed during a failover with these, 3 with ioredis' defaults).
 */
function createCluster(
  seeds: readonly string[],
  tuned: RedisOptions,
  options: RedisConnectionOptions,
): Cluster {
  const {
    retryStrategy,
    enableOfflineQueue,
    enableAutoPipelining,
    lazyConnect,
    enableReadyCheck,
    ...redisOptions
  } = tuned;
  const clusterOptions: ClusterOptions = {
    lazyConnect,
    enableAutoPipelining,
    enableReadyCheck,
    // The API fails fast only until the cluster is first reached; after that a command in a
    // failover waits (retryDelayOnFailover) rather than answer 503 for the ~4 s it lasts.
    enableOfflineQueue: options.forBullmq ? true : enableOfflineQueue,
    scaleReads: 'master',
    retryDelayOnFailover: 500,
    retryDelayOnClusterDown: 500,
    retryDelayOnTryAgain: 500,
    maxRedirections: 32,
    slotsRefreshTimeout: 2000,
    clusterRetryStrategy: (times) => (retryStrategy ? (retryStrategy(times) as number) : 1000),
    // A node that restarts without a slot change (a replica, an old master) is reconnected.
    clusterNodeRetryStrategy: (times) => Math.min(times * 200, 2000),
    redisOptions: { ...redisOptions, maxRetriesPerRequest: options.forBullmq ? null : 3 },
  };
  return new Cluster(
    seeds.map((seed) => {
      const at = seed.lastIndexOf(':');
      return { host: seed.slice(0, at), port: Number(seed.slice(at + 1)) };
    }),
    clusterOptions,
  );
}

/** Every Redis key of this deployment: `<prefix>:<part>:<part>...`. */
export function redisKey(prefix: string, ...parts: string[]): string {
  return [prefix, ...parts].join(':');
}

/** The servers holding keys: the one server, or every master of a cluster. */
function keyHolders(redis: Redis): SingleRedis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

/**
 * The keys matching `pattern`, a SCAN page at a time, with the server holding them. On a
 * cluster SCAN walks one node only, so every master is walked.
 */
export async function* scanKeys(
  redis: Redis,
  pattern: string,
): AsyncGenerator<{ node: SingleRedis; keys: string[] }> {
  for (const node of keyHolders(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) yield { node, keys };
    } while (cursor !== '0');
  }
}

/**
 * Removes every key matching `pattern` (a prefix's keys, say). A page of a cluster node's keys
 * spans several slots, so there they are unlinked one by one (one slot per command).
 */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  for await (const { node, keys } of scanKeys(redis, pattern)) {
    if (node === redis) await node.unlink(...keys);
    else await Promise.all(keys.map((key) => node.unlink(key)));
  }
}
