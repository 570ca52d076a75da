import type { Queue } from 'bullmq';
import type { Sequelize } from 'sequelize';
import type { Clock } from '../clock';
import { BatchedTransaction, execute, type Statement, type Tx } from '../db/sql';
import { newId } from '../ids';
import type { Logger } from '../logger';
import type { WebhookEventInput, WebhookEventRecorder } from './webhook-event-types';

export const DISPATCH_WEBHOOK_EVENT = 'dispatch-webhook-event';

/** The dispatch job of an event: one per event however often it is announced. */
export function dispatchJobId(eventId: string): string {
  return `whe-${eventId}`;
}

/**
 * Events are rows written in the transaction of the change they report, so an event exists
 * exactly when its change committed; a job announced after the commit fans it out, and the
 * sweep (WebhookDispatcher.sweep) announces any whose job was lost to a crash in between.
 */
export class WebhookOutbox implements WebhookEventRecorder {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly clock: Clock,
    private readonly queue: Queue,
    private readonly logger: Logger,
  ) {}

  async record(event: WebhookEventInput, transaction: Tx): Promise<void> {
    const now = this.clock.now();
    const id = newId('evt', now.toMillis());
    const statement: Statement = [
      `INSERT IGNORE INTO webhook_events (id, event_key, type, seller_id, brand_id, data, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        event.key,
        event.type,
        event.sellerId ?? null,
        event.brandId ?? null,
        JSON.stringify(event.data),
        now.toJSDate(),
      ],
    ];
    // A batched transaction (checkout) sends it with its COMMIT: no round trip of its own.
    if (transaction instanceof BatchedTransaction) transaction.atCommit(statement);
    else await execute(this.sequelize, statement[0], statement[1], transaction);
    // A key recorded before leaves this id unwritten: its dispatch job then finds nothing.
    transaction.afterCommit(() => {
      this.announce(id).catch((err: unknown) =>
        this.logger.warn({ err, eventId: id }, 'webhook event kept but not queued; the sweep will'),
      );
    });
  }

  announce(eventId: string): Promise<unknown> {
    return this.queue.add(DISPATCH_WEBHOOK_EVENT, { eventId }, { jobId: dispatchJobId(eventId) });
  }
}
