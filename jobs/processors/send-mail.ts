import type { Job } from 'bullmq';
import { z } from 'zod';
import type { CredentialsService } from '../../src/accounts/credentials.service';
import type { MailService } from '../../src/mail/mail.service';

const payload = z.object({ mailId: z.string() });

/** Sends one outbox mail; the outbox claim makes a retried or duplicated job send it once. */
export function sendMail(mail: MailService) {
  return async (job: Job) => mail.send(payload.parse(job.data).mailId);
}

// `email`: a job queued before the address was replaced by its digest in the job data.
const resetPayload = z.union([
  z.object({ emailHmac: z.string(), eventId: z.string() }),
  z.object({ email: z.string(), eventId: z.string() }),
]);

/** A reset request's mail: looked up here so the API answers alike for unknown addresses. */
export function sendPasswordReset(credentials: CredentialsService) {
  return async (job: Job) => {
    const data = resetPayload.parse(job.data);
    const emailHmac = 'emailHmac' in data ? data.emailHmac : credentials.emailKey(data.email);
    await credentials.sendPasswordReset(emailHmac, data.eventId);
  };
}
