import { UnrecoverableError, type Queue } from 'bullmq';
import type { Sequelize } from 'sequelize';
import type { Clock } from '../clock';
import { execute, selectOne, selectRows } from '../db/sql';
import { newId } from '../ids';
import type { Logger } from '../logger';
import { RETRY_WINDOW_MS, WEBHOOK_BACKOFF, retryDelayMs } from './retry-schedule';
import { sendSigned } from './webhook-sender';

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

interface DeliveryRow {
  status: string;
  attempts: number;
  endpointId: string;
  eventId: string;
  type: string;
  data: string;
  eventCreatedAt: Date;
  url: string;
  secret: string;
  deletedAt: Date | null;
}

/**
 * Fans an event out to the endpoints subscribed to it (one delivery row each, unique per
 * endpoint and event) and delivers each with retries; a delivery that succeeded is never
 * sent again, whatever job or sweep runs it once more.
 */
export class WebhookDispatcher {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly clock: Clock,
    private readonly queue: Queue,
    private readonly settings: DispatchSettings,
    private readonly logger: Logger,
  ) {}

  async dispatch(eventId: string): Promise<number> {
    const event = await selectOne<{
      type: string;
      sellerId: string | null;
      brandId: string | null;
      createdAt: Date;
      dispatchedAt: Date | null;
    }>(
      this.sequelize,
      `SELECT type, seller_id AS sellerId, brand_id AS brandId, created_at AS createdAt,
              dispatched_at AS dispatchedAt FROM webhook_events WHERE id = ?`,
      [eventId],
    );
    if (!event || event.dispatchedAt) return 0;
    const endpoints = await selectRows<{ id: string }>(
      this.sequelize,
      `SELECT id FROM webhook_endpoints
        WHERE deleted_at IS NULL AND created_at <= ? AND FIND_IN_SET(?, events)
          AND (scope = 'all' OR owner_id = ? OR brand_id = ?)`,
      [event.createdAt, event.type, event.sellerId, event.brandId],
    );
    const now = this.clock.now();
    if (endpoints.length > 0) {
      await execute(
        this.sequelize,
        `INSERT IGNORE INTO webhook_deliveries (id, endpoint_id, event_id, status, created_at)
         VALUES ${endpoints.map(() => "(?, ?, ?, 'pending', ?)").join(', ')}`,
        endpoints.flatMap((endpoint) => [
          newId('whd', now.toMillis()),
          endpoint.id,
          eventId,
          now.toJSDate(),
        ]),
      );
      const pending = await selectRows<{ id: string }>(
        this.sequelize,
        `SELECT id FROM webhook_deliveries WHERE event_id = ? AND status = 'pending'`,
        [eventId],
      );
      await this.queue.addBulk(
        pending.map(({ id }) => ({
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
    await execute(
      this.sequelize,
      'UPDATE webhook_events SET dispatched_at = ? WHERE id = ? AND dispatched_at IS NULL',
      [now.toJSDate(), eventId],
    );
    return endpoints.length;
  }

  /** Events whose dispatch job never ran (the process died after the commit): dispatched now. */
  async sweep(limit = 500): Promise<number> {
    const before = new Date(this.clock.now().toMillis() - SWEEP_AFTER_MS);
    const due = await selectRows<{ id: string }>(
      this.sequelize,
      `SELECT id FROM webhook_events WHERE dispatched_at IS NULL AND created_at < ?
        ORDER BY created_at LIMIT ?`,
      [before, limit],
    );
    for (const { id } of due) await this.dispatch(id);
    return due.length;
  }

  /** One attempt; throws to be retried, UnrecoverableError once the 3 days are over. */
  async deliver(deliveryId: string): Promise<'succeeded' | 'skipped'> {
    const row = await selectOne<DeliveryRow>(
      this.sequelize,
      `SELECT d.status, d.attempts, d.endpoint_id AS endpointId, d.event_id AS eventId, e.type,
              e.data, e.created_at AS eventCreatedAt, p.url, p.secret, p.deleted_at AS deletedAt
         FROM webhook_deliveries d
         JOIN webhook_events e ON e.id = d.event_id
         JOIN webhook_endpoints p ON p.id = d.endpoint_id
        WHERE d.id = ?`,
      [deliveryId],
    );
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
    await execute(
      this.sequelize,
      `INSERT INTO webhook_attempts
         (id, delivery_id, endpoint_id, event_id, attempt, status_code, error, duration_ms, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        newId('wha', now.toMillis()),
        deliveryId,
        row.endpointId,
        row.eventId,
        attempt,
        outcome.statusCode,
        outcome.error,
        Date.now() - started,
        now.toJSDate(),
      ],
    );
    await execute(
      this.sequelize,
      `UPDATE webhook_deliveries SET attempts = ? WHERE id = ? AND status = 'pending'`,
      [attempt, deliveryId],
    );
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
    await execute(
      this.sequelize,
      `UPDATE webhook_deliveries SET status = ?, finished_at = ? WHERE id = ? AND status = 'pending'`,
      [status, this.clock.now().toJSDate(), deliveryId],
    );
  }
}
