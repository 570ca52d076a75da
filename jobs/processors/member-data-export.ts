import type { Job } from 'bullmq';
import { z } from 'zod';
import type { MemberRights } from '../../src/vault/member-rights';
import { parseJobData } from '../job-data';

const data = z.object({ exportId: z.string() });

/** Builds a member's data export (API.md, data vault); a retry builds it again. */
export function exportMemberData(rights: MemberRights) {
  return async (job: Job) => {
    const { exportId } = parseJobData(data, job);
    await rights.runExport(exportId);
    return { exportId };
  };
}
