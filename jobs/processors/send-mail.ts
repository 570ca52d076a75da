import type { Job } from 'bullmq';
import { z } from 'zod';
import type { CredentialsService } from '../../src/accounts/credentials.service';
import type { MailService } from '../../src/mail/mail.service';

const payload = z.object({ mailId: z.string() });

/** Sends one outbox mail; the outbox claim makes a retried or duplicated job send it once. */
export function sendMail(mail: MailService) {
  return async (job: Job) => mail.send(payload.parse(job.data).mailId);
}

const resetPayload = z.object({ email: z.string(), eventId: z.string() });

/** A reset request's mail: looked up here so the API answers alike for unknown addresses. */
export function sendPasswordReset(credentials: CredentialsService) {
  return async (job: Job) => {
    const { email, eventId } = resetPayload.parse(job.data);
    await credentials.sendPasswordReset(email, eventId);
  };
}
