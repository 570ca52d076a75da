import { Cluster, Redis } from 'ioredis';
import { TEST_REDIS_CLUSTER_NODES, TEST_REDIS_URL } from './test-env';

/** Where the test Redis is, for messages. */
export const TEST_REDIS_NAME = TEST_REDIS_CLUSTER_NODES || TEST_REDIS_URL;

/**
 * A connection to the test Redis (the Redis Cluster under `npm run test:cluster`) for set-up
 * and sweeps: it fails at once instead of retrying, and is ready when it resolves.
 */
export async function openTestRedis(): Promise<Redis | Cluster> {
  if (!TEST_REDIS_CLUSTER_NODES) {
    const redis = new Redis(TEST_REDIS_URL, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
    await redis.connect().catch((error: unknown) => {
      redis.disconnect();
      throw error;
    });
    return redis;
  }
  const cluster = new Cluster(
    TEST_REDIS_CLUSTER_NODES.split(',').map((seed) => {
      const at = seed.lastIndexOf(':');
      return { host: seed.slice(0, at), port: Number(seed.slice(at + 1)) };
    }),
    {
      lazyConnect: true,
      clusterRetryStrategy: () => null,
      retryDelayOnFailover: 500,
      retryDelayOnClusterDown: 500,
      maxRedirections: 32,
      redisOptions: { maxRetriesPerRequest: 1 },
    },
  );
  await cluster.connect().catch((error: unknown) => {
    cluster.disconnect();
    throw error;
  });
  return cluster;
}
