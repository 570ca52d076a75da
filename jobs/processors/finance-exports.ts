import type { Job } from 'bullmq';
import { z } from 'zod';
import type { FinanceService } from '../../src/finance/finance.service';
import { parseJobData } from '../job-data';

const data = z.object({ exportId: z.string() });

/** Writes an export's CSV file, reporting rows done; a retry starts the file over. */
export function exportOrders(finance: FinanceService) {
  return async (job: Job) => ({
    rows: await finance.runExport(parseJobData(data, job).exportId, (rows) =>
      job.updateProgress({ rowsDone: rows }),
    ),
  });
}

/** Deletes export files past EXPORT_RETENTION_DAYS. */
export function purgeExports(finance: FinanceService) {
  return async () => ({ purged: await finance.purgeOldExports() });
}
