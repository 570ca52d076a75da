import { Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import type { Redis } from '../src/redis/connection';

/** Every queue of the engine. One queue per concern; a queue holds one or more job kinds. */
export const QUEUE_NAMES = [
  'maintenance',
  'orders',
  'coupons',
  'payments',
  'drops',
  'exports',
  'points',
  'mail',
  'webhooks',
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/**
 * BullMQ keys are `<prefix>:<queue>:...`. The `{bull}` hash tag keeps every queue of a
 * deployment in one Redis Cluster slot, as BullMQ requires for its multi-key scripts
 * (https://docs.bullmq.io/bull/patterns/redis-cluster), and the deployment prefix still
 * comes first.
 */
export function queuePrefix(redisPrefix: string): string {
  return `${redisPrefix}:{bull}`;
}

/** Defaults for every job, set in one place: retries with back-off, bounded history. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export type Queues = Record<QueueName, Queue>;

export function createQueues(
  connection: Redis | ConnectionOptions,
  redisPrefix: string,
  onError: (error: Error) => void = () => undefined,
): Queues {
  const prefix = queuePrefix(redisPrefix);
  return Object.fromEntries(
    QUEUE_NAMES.map((name) => {
      const queue = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      // Redis being down is reported by /readyz and the request that needed it.
      queue.on('error', onError);
      return [name, queue];
    }),
  ) as Queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((queue) => queue.close()));
}
