import type { Db } from '../db/db';
import type { Clock } from '../clock';
import { AppError } from '../http/app-error';
import { idParam } from '../http/common-schemas';
import type { ApiRoutes } from '../http/route';
import { deleteDropReminder, dropStatus, insertDropReminder } from './drop-reminders.repository';

/** Members who asked to be mailed when a drop opens (mailed by Notifications.mailDropReminders). */
export class DropReminders {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async add(dropId: string, userId: string): Promise<void> {
    const status = await this.statusOf(dropId);
    if (status !== 'scheduled')
      throw AppError.conflict(
        'drop_not_scheduled',
        `This drop is ${status}; only a scheduled drop takes reminders.`,
      );
    await insertDropReminder(this.db, dropId, userId, this.clock.now().toJSDate());
  }

  async withdraw(dropId: string, userId: string): Promise<void> {
    await this.statusOf(dropId);
    await deleteDropReminder(this.db, dropId, userId);
  }

  private async statusOf(dropId: string): Promise<string> {
    const status = await dropStatus(this.db, dropId);
    if (status === undefined) throw AppError.notFound('drop');
    return status;
  }
}

export function dropReminderRoutes(routes: ApiRoutes, reminders: DropReminders): void {
  routes.add({
    method: 'post',
    path: '/v1/campaigns/drops/:id/reminders',
    operationId: 'remindMeOfDrop',
    summary: 'Be mailed when this scheduled drop goes live',
    tag: 'Puzzle drops',
    access: 'signed-in',
    params: idParam('drp'),
    status: 204,
    errors: [404, 409],
    handler: ({ auth, params }) => reminders.add(params.id, auth!.userId),
  });
  routes.add({
    method: 'delete',
    path: '/v1/campaigns/drops/:id/reminders',
    operationId: 'withdrawDropReminder',
    summary: 'No longer be mailed when this drop goes live',
    tag: 'Puzzle drops',
    access: 'signed-in',
    params: idParam('drp'),
    status: 204,
    errors: [404],
    handler: ({ auth, params }) => reminders.withdraw(params.id, auth!.userId),
  });
}
