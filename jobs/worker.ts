import { UnrecoverableError, Worker, type Job, type Processor } from 'bullmq';
import type { AppDependencies, Services } from '../src/app';
import type { Logger } from '../src/logger';
import { createRedis, redisTargetOf, type Redis } from '../src/redis/connection';
import {
  CLOSE_DROP,
  EXPIRE_RESERVATION,
  MAIL_RESERVATION_EXPIRING,
  OPEN_DROP,
  SWEEP_DROPS,
} from '../campaigns/drops/drop-schedule';
import { RUN_AIRDROP } from '../campaigns/offers/airdrops.service';
import { SETTLE_CONVERSION, SWEEP_CONVERSIONS } from '../campaigns/offers/conversions.service';
import { GENERATE_COUPON_BATCH } from '../src/coupons/coupons.service';
import { EXPORT_ORDERS, PURGE_EXPORTS } from '../src/finance/finance.service';
import {
  EXPIRE_ORDER,
  SETTLE_PENDING_REFUNDS,
  SWEEP_OVERDUE_ORDERS,
} from '../src/orders/orders.service';
import { PURGE_UNATTACHED_MEDIA } from '../src/media/media.service';
import { HANDLE_STRIPE_EVENT } from '../src/payments/webhooks.service';
import { closeDrop, expireReservation, openDrop, sweepDrops } from './processors/drop-switches';
import { expireOrder, sweepOverdueOrders } from './processors/expire-order';
import { settlePendingRefunds } from './processors/settle-refunds';
import { exportOrders, purgeExports } from './processors/finance-exports';
import { exportMemberData } from './processors/member-data-export';
import { MEMBER_DATA_EXPORT } from '../src/vault/member-rights';
import { generateCouponBatch } from './processors/generate-coupon-batch';
import { handleStripeEvent } from './processors/handle-stripe-event';
import { purgeUnattachedMedia } from './processors/purge-unattached-media';
import { runAirdrop } from './processors/run-airdrop';
import { settleConversion, sweepConversions } from './processors/settle-conversion';
import { PURGE_EXPIRED_TOKENS, purgeExpiredTokens } from './processors/purge-expired-tokens';
import { queuePrefix, type QueueName } from './queues';
import { SEND_MAIL } from '../src/mail/mail.service';
import { SEND_PASSWORD_RESET } from '../src/accounts/credentials.service';
import { sendMail, sendPasswordReset } from './processors/send-mail';
import { mailDropReminders, mailReservationExpiring } from './processors/notify';
import { MAIL_DROP_REMINDERS } from '../src/mail/notifications';
import { DELIVER_WEBHOOK, SWEEP_WEBHOOK_EVENTS } from '../src/webhooks/webhook-dispatcher';
import { DISPATCH_WEBHOOK_EVENT } from '../src/webhooks/webhook-outbox';
import { backoffStrategy } from '../src/webhooks/retry-schedule';
import { deliverWebhook, dispatchWebhookEvent, sweepWebhookEvents } from './processors/webhooks';

/** Job kind -> processor, per queue. A processor is thin: it calls a service. */
type Registry = Record<QueueName, Record<string, Processor>>;

function processorRegistry(services: Services): Registry {
  return {
    maintenance: {
      [PURGE_EXPIRED_TOKENS]: purgeExpiredTokens(services.accounts),
      [PURGE_UNATTACHED_MEDIA]: purgeUnattachedMedia(services.media),
    },
    orders: {
      [EXPIRE_ORDER]: expireOrder(services.orders),
      [SWEEP_OVERDUE_ORDERS]: sweepOverdueOrders(services.orders),
      [SETTLE_PENDING_REFUNDS]: settlePendingRefunds(services.orders),
    },
    coupons: {
      [GENERATE_COUPON_BATCH]: generateCouponBatch(services.coupons),
    },
    payments: {
      [HANDLE_STRIPE_EVENT]: handleStripeEvent(services.webhooks),
    },
    exports: {
      [EXPORT_ORDERS]: exportOrders(services.finance, services.notifications),
      [PURGE_EXPORTS]: purgeExports(services.finance),
      [MEMBER_DATA_EXPORT]: exportMemberData(services.rights),
    },
    drops: {
      [OPEN_DROP]: openDrop(services.drops, services.notifications),
      [CLOSE_DROP]: closeDrop(services.drops),
      [EXPIRE_RESERVATION]: expireReservation(services.drops),
      [SWEEP_DROPS]: sweepDrops(services.drops, services.notifications),
      [MAIL_RESERVATION_EXPIRING]: mailReservationExpiring(services.notifications),
    },
    points: {
      [SETTLE_CONVERSION]: settleConversion(services.conversions, services.notifications),
      [SWEEP_CONVERSIONS]: sweepConversions(services.conversions),
      [RUN_AIRDROP]: runAirdrop(services.airdrops, services.notifications),
    },
    mail: {
      [SEND_MAIL]: sendMail(services.mail),
      [SEND_PASSWORD_RESET]: sendPasswordReset(services.credentials),
      [MAIL_DROP_REMINDERS]: mailDropReminders(services.notifications),
    },
    webhooks: {
      [DISPATCH_WEBHOOK_EVENT]: dispatchWebhookEvent(services.webhookDispatcher),
      [DELIVER_WEBHOOK]: deliverWebhook(services.webhookDispatcher),
      [SWEEP_WEBHOOK_EVENTS]: sweepWebhookEvents(services.webhookDispatcher),
    },
  };
}

/** Repeatable jobs; upserting by id means many workers starting still leave one schedule each. */
async function scheduleRepeatableJobs(deps: AppDependencies): Promise<void> {
  await deps.queues.maintenance.upsertJobScheduler(
    PURGE_EXPIRED_TOKENS,
    { every: 3600_000 },
    { name: PURGE_EXPIRED_TOKENS },
  );
  await deps.queues.maintenance.upsertJobScheduler(
    PURGE_UNATTACHED_MEDIA,
    { every: 3600_000 },
    { name: PURGE_UNATTACHED_MEDIA },
  );
  await deps.queues.orders.upsertJobScheduler(
    SWEEP_OVERDUE_ORDERS,
    { every: 60_000 },
    { name: SWEEP_OVERDUE_ORDERS },
  );
  await deps.queues.orders.upsertJobScheduler(
    SETTLE_PENDING_REFUNDS,
    { every: 60_000 },
    { name: SETTLE_PENDING_REFUNDS },
  );
  await deps.queues.drops.upsertJobScheduler(SWEEP_DROPS, { every: 30_000 }, { name: SWEEP_DROPS });
  await deps.queues.points.upsertJobScheduler(
    SWEEP_CONVERSIONS,
    { every: 60_000 },
    { name: SWEEP_CONVERSIONS },
  );
  await deps.queues.exports.upsertJobScheduler(
    PURGE_EXPORTS,
    { every: 3600_000 },
    { name: PURGE_EXPORTS },
  );
  await deps.queues.webhooks.upsertJobScheduler(
    SWEEP_WEBHOOK_EVENTS,
    { every: 10_000 },
    { name: SWEEP_WEBHOOK_EVENTS },
  );
}

function dispatch(queue: QueueName, kinds: Record<string, Processor>, logger: Logger): Processor {
  return async (job: Job) => {
    const processor = kinds[job.name];
    if (!processor) throw new UnrecoverableError(`no processor for job ${queue}/${job.name}`);
    const started = Date.now();
    const result: unknown = await processor(job);
    logger.debug({ queue, job: job.name, jobId: job.id, ms: Date.now() - started }, 'job done');
    return result;
  };
}

export interface RunningWorkers {
  workers: Worker[];
  connection: Redis;
  /** Stops taking jobs and waits for the ones running to finish. */
  close(): Promise<void>;
}

export async function startWorkers(
  deps: AppDependencies,
  services: Services,
): Promise<RunningWorkers> {
  const connection = createRedis(redisTargetOf(deps.config), { forBullmq: true, name: 'workers' });
  const prefix = queuePrefix(deps.config.REDIS_PREFIX);
  const registry = processorRegistry(services);
  const workers = (Object.keys(registry) as QueueName[]).map((queue) => {
    const worker = new Worker(queue, dispatch(queue, registry[queue], deps.logger), {
      connection,
      prefix,
      concurrency: 8,
      // A job whose worker died is taken up again once its lock lapses (checked as often).
      lockDuration: deps.config.JOB_LOCK_MS,
      stalledInterval: deps.config.JOB_LOCK_MS,
      // Only jobs with a non-built-in backoff type (webhook deliveries) reach it.
      settings: { backoffStrategy },
    });
    worker.on('failed', (job, error) =>
      deps.logger.warn(
        { queue, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: error },
        'job failed',
      ),
    );
    worker.on('error', (error) => deps.logger.error({ queue, err: error }, 'worker error'));
    return worker;
  });
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  await scheduleRepeatableJobs(deps);
  // Switches whose time passed while no worker ran happen now; lost Redis drop state is rebuilt.
  const reconciled = await services.drops.reconcile();
  deps.logger.info(reconciled, 'drops reconciled');
  return {
    workers,
    connection,
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      connection.disconnect();
    },
  };
}
