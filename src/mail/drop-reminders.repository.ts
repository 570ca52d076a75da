import type { Sequelize } from 'sequelize';
import { execute, selectOne, selectRows } from '../db/sql';
import { PERSON, type Person } from './recipients.repository';

export async function insertDropReminder(
  sequelize: Sequelize,
  dropId: string,
  userId: string,
  at: Date,
): Promise<void> {
  await execute(
    sequelize,
    'INSERT IGNORE INTO drop_reminders (drop_id, user_id, created_at) VALUES (?, ?, ?)',
    [dropId, userId, at],
  );
}

export async function deleteDropReminder(
  sequelize: Sequelize,
  dropId: string,
  userId: string,
): Promise<void> {
  await execute(sequelize, 'DELETE FROM drop_reminders WHERE drop_id = ? AND user_id = ?', [
    dropId,
    userId,
  ]);
}

/** Reminders mailed are removed: what is left is what is still owed. */
export async function deleteDropReminders(
  sequelize: Sequelize,
  dropId: string,
  userIds: string[],
): Promise<void> {
  await execute(sequelize, 'DELETE FROM drop_reminders WHERE drop_id = ? AND user_id IN (?)', [
    dropId,
    userIds,
  ]);
}

export async function dropStatus(sequelize: Sequelize, dropId: string) {
  const drop = await selectOne<{ status: string }>(
    sequelize,
    'SELECT status FROM drops WHERE id = ?',
    [dropId],
  );
  return drop?.status;
}

/** Live drops that still have reminders to mail. */
export async function liveDropsWithReminders(sequelize: Sequelize): Promise<string[]> {
  const rows = await selectRows<{ dropId: string }>(
    sequelize,
    `SELECT d.id AS dropId FROM drops d
        WHERE d.status = 'live' AND EXISTS (SELECT 1 FROM drop_reminders r WHERE r.drop_id = d.id)`,
  );
  return rows.map((row) => row.dropId);
}

export function reminderDrop(sequelize: Sequelize, dropId: string) {
  return selectOne<{ title: string; startsAt: Date; endsAt: Date; status: string }>(
    sequelize,
    'SELECT title, starts_at AS startsAt, ends_at AS endsAt, status FROM drops WHERE id = ?',
    [dropId],
  );
}

/** The next `limit` members to remind of the drop, by user id after `after`. */
export function remindedMembers(
  sequelize: Sequelize,
  dropId: string,
  after: string,
  limit: number,
): Promise<Array<Person & { userId: string }>> {
  return selectRows<Person & { userId: string }>(
    sequelize,
    `SELECT r.user_id AS userId, ${PERSON('u')} FROM drop_reminders r JOIN users u ON u.id = r.user_id
          WHERE r.drop_id = ? AND r.user_id > ? ORDER BY r.user_id LIMIT ?`,
    [dropId, after, limit],
  );
}
