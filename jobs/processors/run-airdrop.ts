import type { Job } from 'bullmq';
import { z } from 'zod';
import type { AirdropsService } from '../../campaigns/offers/airdrops.service';
import type { Notifications } from '../../src/mail/notifications';
import { parseJobData } from '../job-data';

const data = z.object({ airdropId: z.string() });

/** Runs an airdrop batch by batch, reporting progress; resumes at its cursor after a crash. */
export function runAirdrop(airdrops: AirdropsService, notifications: Notifications) {
  return async (job: Job) => {
    const { airdropId } = parseJobData(data, job);
    const result = await airdrops.run(airdropId, (done, total) =>
      job.updateProgress({ done, total }),
    );
    // The coupons issued so far; a resumed airdrop mails the rest, none twice.
    await notifications.couponsIssued({ airdropId });
    return result;
  };
}
