import type { Queue } from 'bullmq';
import type { Clock } from '../clock';
import type { Tx } from '../db/sql';
import { newId } from '../ids';
import type { Logger } from '../logger';
import type { WebhookEventInput, WebhookEventRecorder } from './webhook-event-types';
import { insertWebhookEvent } from './webhook-events.repository';

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
    private readonly clock: Clock,
    private readonly queue: Queue,
    private readonly logger: Logger,
  ) {}

  async record(event: WebhookEventInput, transaction: Tx): Promise<void> {
    const now = this.clock.now();
    const id = newId('evt', now.toMillis());
    insertWebhookEvent(
      {
        id,
        key: event.key,
        type: event.type,
        sellerId: event.sellerId ?? null,
        brandId: event.brandId ?? null,
        data: JSON.stringify(event.data),
        createdAt: now.toJSDate(),
      },
      transaction,
    );
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
