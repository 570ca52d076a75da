import type { Job } from 'bullmq';
import { z } from 'zod';
import type { AirdropsService } from '../../campaigns/offers/airdrops.service';
import { parseJobData } from '../job-data';

const data = z.object({ airdropId: z.string() });

/** Runs an airdrop batch by batch, reporting progress; resumes at its cursor after a crash. */
export function runAirdrop(airdrops: AirdropsService) {
  return async (job: Job) =>
    airdrops.run(parseJobData(data, job).airdropId, (done, total) =>
      job.updateProgress({ done, total }),
    );
}
