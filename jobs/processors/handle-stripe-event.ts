import type { Job } from 'bullmq';
import { z } from 'zod';
import type { WebhooksService } from '../../src/payments/webhooks.service';
import { parseJobData } from '../job-data';

const data = z.object({ eventId: z.string() });

/** Applies one stored Stripe event; the job id is the event id, so it runs once per event. */
export function handleStripeEvent(webhooks: WebhooksService) {
  return async (job: Job) => ({ outcome: await webhooks.handle(parseJobData(data, job).eventId) });
}
