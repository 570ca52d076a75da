import { UnrecoverableError, type Job } from 'bullmq';
import type { z } from 'zod';

/** Job payloads are checked like request bodies; a malformed one will never succeed, so no retry. */
export function parseJobData<S extends z.ZodType>(schema: S, job: Job): z.output<S> {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success)
    throw new UnrecoverableError(`malformed data for job ${job.name}: ${parsed.error.message}`);
  return parsed.data;
}
