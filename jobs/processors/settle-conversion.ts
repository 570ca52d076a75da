import type { Job } from 'bullmq';
import { z } from 'zod';
import type { ConversionsService } from '../../campaigns/offers/conversions.service';
import { parseJobData } from '../job-data';

const data = z.object({ conversionId: z.string() });

/** Settles one points conversion; the job id is the conversion id, so it runs once. */
export function settleConversion(conversions: ConversionsService) {
  return async (job: Job) => {
    const settled = await conversions.settle(parseJobData(data, job).conversionId);
    return { status: settled.status, reason: settled.reason };
  };
}

/** Finds conversions whose job was lost and enqueues them again. */
export function sweepConversions(conversions: ConversionsService) {
  return async () => ({ requeued: await conversions.sweepStuck() });
}
