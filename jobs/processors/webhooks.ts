import type { Job } from 'bullmq';
import { z } from 'zod';
import type { WebhookDispatcher } from '../../src/webhooks/webhook-dispatcher';
import { parseJobData } from '../job-data';

const event = z.object({ eventId: z.string() });
const delivery = z.object({ deliveryId: z.string() });

/** An event just committed: one delivery per subscribed endpoint. */
export function dispatchWebhookEvent(dispatcher: WebhookDispatcher) {
  return async (job: Job) => ({
    endpoints: await dispatcher.dispatch(parseJobData(event, job).eventId),
  });
}

/** One attempt of one delivery; a throw is retried with the webhook backoff. */
export function deliverWebhook(dispatcher: WebhookDispatcher) {
  return async (job: Job) => ({
    result: await dispatcher.deliver(parseJobData(delivery, job).deliveryId),
  });
}

/** Backstop for events whose dispatch job was lost between commit and enqueue. */
export function sweepWebhookEvents(dispatcher: WebhookDispatcher) {
  return async () => ({ dispatched: await dispatcher.sweep() });
}
