import type { Job } from 'bullmq';
import { z } from 'zod';
import type { FinanceService } from '../../src/finance/finance.service';
import type { Notifications } from '../../src/mail/notifications';
import { parseJobData } from '../job-data';

const data = z.object({ exportId: z.string() });

/** Writes an export's CSV file, reporting rows done; a retry starts the file over. */
export function exportOrders(finance: FinanceService, notifications: Notifications) {
  return async (job: Job) => {
    const { exportId } = parseJobData(data, job);
    const rows = await finance.runExport(exportId, (done) =>
      job.updateProgress({ rowsDone: done }),
    );
    await notifications.exportReady(exportId);
    return { rows };
  };
}

/** Deletes export files past EXPORT_RETENTION_DAYS. */
export function purgeExports(finance: FinanceService) {
  return async () => ({ purged: await finance.purgeOldExports() });
}
