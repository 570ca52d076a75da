import type { Job } from 'bullmq';
import { z } from 'zod';
import type { DropsService } from '../../campaigns/drops/drops.service';
import type { Notifications } from '../../src/mail/notifications';
import { parseJobData } from '../job-data';

const drop = z.object({ dropId: z.string() });
const reservation = z.object({ reservationId: z.string() });

/** scheduled -> live at startsAt; then its reminders are mailed by a job of their own. */
export function openDrop(drops: DropsService, notifications: Notifications) {
  return async (job: Job) => {
    const { dropId } = parseJobData(drop, job);
    const opened = await drops.open(dropId);
    // Also when this is a retry of a job that opened it: the reminders job id is the drop's.
    await notifications.dropLive(dropId);
    return { opened };
  };
}

/** live -> ended at endsAt; unsold units go back to the listing. */
export function closeDrop(drops: DropsService) {
  return async (job: Job) => ({ closed: await drops.close(parseJobData(drop, job).dropId) });
}

/** A reservation nobody turned into an order: its unit goes back. */
export function expireReservation(drops: DropsService) {
  return async (job: Job) => ({
    expired: await drops.expireReservation(parseJobData(reservation, job).reservationId),
  });
}

/** Backstop for lost jobs: switches and expiries whose time has passed, found in MySQL. */
export function sweepDrops(drops: DropsService, notifications: Notifications) {
  return async () => ({ ...(await drops.sweep()), reminded: await notifications.remindersDue() });
}
