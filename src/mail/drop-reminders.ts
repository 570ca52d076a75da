import type { Sequelize } from 'sequelize';
import type { Clock } from '../clock';
import { execute, selectOne } from '../db/sql';
import { AppError } from '../http/app-error';
import { idParam } from '../http/common-schemas';
import type { ApiRoutes } from '../http/route';

/** Members who asked to be mailed when a drop opens (mailed by Notifications.mailDropReminders). */
export class DropReminders {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly clock: Clock,
  ) {}

  async add(dropId: string, userId: string): Promise<void> {
    const status = await this.statusOf(dropId);
    if (status !== 'scheduled')
      throw AppError.conflict(
        'drop_not_scheduled',
        `This drop is ${status}; only a scheduled drop takes reminders.`,
      );
    await execute(
      this.sequelize,
      'INSERT IGNORE INTO drop_reminders (drop_id, user_id, created_at) VALUES (?, ?, ?)',
      [dropId, userId, this.clock.now().toJSDate()],
    );
  }

  async withdraw(dropId: string, userId: string): Promise<void> {
    await this.statusOf(dropId);
    await execute(this.sequelize, 'DELETE FROM drop_reminders WHERE drop_id = ? AND user_id = ?', [
      dropId,
      userId,
    ]);
  }

  private async statusOf(dropId: string): Promise<string> {
    const drop = await selectOne<{ status: string }>(
      this.sequelize,
      'SELECT status FROM drops WHERE id = ?',
      [dropId],
    );
    if (!drop) throw AppError.notFound('drop');
    return drop.status;
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
