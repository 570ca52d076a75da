import { UnrecoverableError, type Queue } from 'bullmq';
import type { Db } from '../db/db';
import type { Clock } from '../clock';
import { newId } from '../ids';
import type { Logger } from '../logger';
import { RETRY_WINDOW_MS, WEBHOOK_BACKOFF, retryDelayMs } from './retry-schedule';
import { sendSigned } from './webhook-sender';
import { subscribedEndpoints } from './webhook-endpoints.repository';
import {
  deliveryToAttempt,
  eventToDispatch,
  finishDelivery,
  insertAttempt,
  insertDeliveries,
  markEventDispatched,
  pendingDeliveryIds,
  setDeliveryAttempts,
  undispatchedEvents,
} from './webhook-events.repository';

export const DELIVER_WEBHOOK = 'deliver-webhook';
export const SWEEP_WEBHOOK_EVENTS = 'sweep-webhook-events';

/** Events not dispatched this long after they were written lost their job (a crash): swept. */
const SWEEP_AFTER_MS = 10_000;

export interface DispatchSettings {
  allowPrivate: boolean;
  retryBaseMs: number;
  timeoutMs: number;
}

/** A failed attempt that will be tried again (BullMQ retries a job that throws). */
export class WebhookAttemptFailed extends Error {
  constructor(detail: string) {
    super(`webhook attempt failed: ${detail}`);
    this.name = 'WebhookAttemptFailed';
  }
}

/**
 * Fans an event out to the endpoints subscribed to it (one delivery row each, unique per
 * endpoint and event) and delivers each with retries; a delivery that succeeded is never
 * sent again, whatever job or sweep runs it once more.
 */
export class WebhookDispatcher {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly queue: Queue,
    private readonly settings: DispatchSettings,
    private readonly logger: Logger,
  ) {}

  async dispatch(eventId: string): Promise<number> {
    const event = await eventToDispatch(this.db, eventId);
    if (!event || event.dispatchedAt) return 0;
    const endpoints = await subscribedEndpoints(this.db, event);
    const now = this.clock.now();
    if (endpoints.length > 0) {
      await insertDeliveries(
        this.db,
        eventId,
        endpoints.map((endpointId) => ({ id: newId('whd', now.toMillis()), endpointId })),
        now.toJSDate(),
      );
      const pending = await pendingDeliveryIds(this.db, eventId);
      await this.queue.addBulk(
        pending.map((id) => ({
          name: DELIVER_WEBHOOK,
          data: { deliveryId: id },
          opts: {
            jobId: `whd-${id}`,
            // Bounded by the 3-day window in deliver(), not by this count.
            attempts: 1000,
            backoff: { type: WEBHOOK_BACKOFF, delay: this.settings.retryBaseMs },
          },
        })),
      );
    }
    await markEventDispatched(this.db, eventId, now.toJSDate());
    return endpoints.length;
  }

  /** Events whose dispatch job never ran (the process died after the commit): dispatched now. */
  async sweep(limit = 500): Promise<number> {
    const before = new Date(this.clock.now().toMillis() - SWEEP_AFTER_MS);
    const due = await undispatchedEvents(this.db, before, limit);
    for (const id of due) await this.dispatch(id);
    return due.length;
  }

  /** One attempt; throws to be retried, UnrecoverableError once the 3 days are over. */
  async deliver(deliveryId: string): Promise<'succeeded' | 'skipped'> {
    const row = await deliveryToAttempt(this.db, deliveryId);
    if (!row || row.status !== 'pending') return 'skipped';
    if (row.deletedAt) {
      await this.finish(deliveryId, 'canceled');
      return 'skipped';
    }
    const attempt = row.attempts + 1;
    const body = `{"id":${JSON.stringify(row.eventId)},"type":${JSON.stringify(row.type)},"createdAt":${JSON.stringify(row.eventCreatedAt.toISOString())},"data":${row.data}}`;
    const started = Date.now();
    const outcome = await sendSigned(row.url, body, row.secret, {
      allowPrivate: this.settings.allowPrivate,
      timeoutMs: this.settings.timeoutMs,
      unixSeconds: Math.floor(this.clock.now().toMillis() / 1000),
    });
    const now = this.clock.now();
    const succeeded =
      outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    await insertAttempt(this.db, {
      id: newId('wha', now.toMillis()),
      deliveryId,
      endpointId: row.endpointId,
      eventId: row.eventId,
      attempt,
      statusCode: outcome.statusCode,
      error: outcome.error,
      durationMs: Date.now() - started,
      createdAt: now.toJSDate(),
    });
    await setDeliveryAttempts(this.db, deliveryId, attempt);
    if (succeeded) {
      await this.finish(deliveryId, 'succeeded');
      return 'succeeded';
    }
    const detail = outcome.error ?? `HTTP ${outcome.statusCode}`;
    const nextAt = now.toMillis() + retryDelayMs(attempt, this.settings.retryBaseMs);
    if (nextAt > row.eventCreatedAt.getTime() + RETRY_WINDOW_MS) {
      await this.finish(deliveryId, 'failed');
      this.logger.warn({ deliveryId, attempt }, 'webhook delivery given up after 3 days');
      throw new UnrecoverableError(`webhook delivery given up: ${detail}`);
    }
    throw new WebhookAttemptFailed(detail);
  }

  private async finish(deliveryId: string, status: 'succeeded' | 'failed' | 'canceled') {
    await finishDelivery(this.db, deliveryId, status, this.clock.now().toJSDate());
  }
}
