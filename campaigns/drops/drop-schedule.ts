import type { Queue } from 'bullmq';
import type { Clock } from '../../src/clock';
import { dueAt } from '../../jobs/due-at';

/** The mail to a member whose reservation lapses in 2 minutes (src/mail/notifications.ts). */
export const MAIL_RESERVATION_EXPIRING = 'mail-reservation-expiring';
const RESERVATION_REMINDER_MS = 2 * 60_000;
export const OPEN_DROP = 'open-drop';
export const CLOSE_DROP = 'close-drop';
export const EXPIRE_RESERVATION = 'expire-reservation';
export const SWEEP_DROPS = 'sweep-drops';

/**
 * A drop's switches as BullMQ delayed jobs with deterministic ids (`drop:open:<id>`,
 * `drop:close:<id>`): planning again replaces them, so duplicates cannot exist.
 */
export class DropSchedule {
  constructor(
    private readonly queue: Queue,
    private readonly clock: Clock,
  ) {}

  async plan(dropId: string, startsAt: Date, endsAt: Date): Promise<void> {
    await this.replace(OPEN_DROP, `drop:open:${dropId}`, { dropId }, startsAt);
    await this.planClose(dropId, endsAt);
  }

  async planClose(dropId: string, endsAt: Date): Promise<void> {
    await this.replace(CLOSE_DROP, `drop:close:${dropId}`, { dropId }, endsAt);
  }

  async unplan(dropId: string): Promise<void> {
    await Promise.all([
      this.queue.remove(`drop:open:${dropId}`),
      this.queue.remove(`drop:close:${dropId}`),
    ]).catch(() => undefined);
  }

  async reservationExpiry(reservationId: string, expiresAt: Date): Promise<void> {
    // With it, in the same call (one round trip): the member's mail 2 minutes before.
    const reminder = new Date(expiresAt.getTime() - RESERVATION_REMINDER_MS);
    await this.queue
      .addBulk([
        {
          name: EXPIRE_RESERVATION,
          data: { reservationId },
          opts: { jobId: `reservation:expire:${reservationId}`, ...dueAt(expiresAt, this.clock) },
        },
        ...(reminder.getTime() > this.clock.now().toMillis()
          ? [
              {
                name: MAIL_RESERVATION_EXPIRING,
                data: { reservationId },
                opts: {
                  jobId: `reservation:remind:${reservationId}`,
                  ...dueAt(reminder, this.clock),
                },
              },
            ]
          : []),
      ])
      // The periodic sweep expires it from MySQL if the job could not be queued.
      .catch(() => undefined);
  }

  private async replace(name: string, jobId: string, data: object, at: Date): Promise<void> {
    const existing = await this.queue.getJob(jobId);
    if (existing) {
      const due = (existing.timestamp ?? 0) + (existing.delay ?? 0);
      if (due === at.getTime() && (await existing.isDelayed())) return;
      // An active job cannot be removed; it re-plans itself when it finds the time moved.
      await existing.remove().catch(() => undefined);
    }
    await this.queue.add(name, data, { jobId, ...dueAt(at, this.clock), attempts: 10 });
  }
}
