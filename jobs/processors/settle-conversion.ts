import type { Job } from 'bullmq';
import { z } from 'zod';
import type { ConversionsService } from '../../campaigns/offers/conversions.service';
import type { Notifications } from '../../src/mail/notifications';
import { parseJobData } from '../job-data';

const data = z.object({ conversionId: z.string() });

/** Settles one points conversion; the job id is the conversion id, so it runs once. */
export function settleConversion(conversions: ConversionsService, notifications: Notifications) {
  return async (job: Job) => {
    const { conversionId } = parseJobData(data, job);
    const settled = await conversions.settle(conversionId);
    if (settled.status === 'completed') await notifications.couponsIssued({ conversionId });
    return { status: settled.status, reason: settled.reason };
  };
}

/** Finds conversions whose job was lost and enqueues them again. */
export function sweepConversions(conversions: ConversionsService) {
  return async () => ({ requeued: await conversions.sweepStuck() });
}
