import type { Job } from 'bullmq';
import { z } from 'zod';
import type { CouponsService } from '../../src/coupons/coupons.service';
import { parseJobData } from '../job-data';

const data = z.object({ batchId: z.string() });

/** Generates a coupon batch's missing codes, reporting progress; resumes after a crash. */
export function generateCouponBatch(coupons: CouponsService) {
  return async (job: Job) => {
    const batch = await coupons.generateBatch(parseJobData(data, job).batchId, (done, total) =>
      job.updateProgress({ done, total }),
    );
    return { generated: batch.generated };
  };
}
