import type { Job } from 'bullmq';
import { z } from 'zod';
import type { Notifications } from '../../src/mail/notifications';
import { parseJobData } from '../job-data';

const drop = z.object({ dropId: z.string() });
const reservation = z.object({ reservationId: z.string() });

/** A live drop's reminders, mailed in batches on the mail queue. */
export function mailDropReminders(notifications: Notifications) {
  return async (job: Job) => ({
    mailed: await notifications.mailDropReminders(parseJobData(drop, job).dropId),
  });
}

/** 2 minutes before a reservation lapses: mailed if it is still unused. */
export function mailReservationExpiring(notifications: Notifications) {
  return async (job: Job) => {
    await notifications.reservationExpiring(parseJobData(reservation, job).reservationId);
  };
}
