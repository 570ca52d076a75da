import type { Db } from '../db/db';
import { execute, selectOne, selectRows } from '../db/sql';
import { PERSON, type Person } from './recipients.repository';

export async function insertDropReminder(
  db: Db,
  dropId: string,
  userId: string,
  at: Date,
): Promise<void> {
  await execute(
    db,
    'INSERT IGNORE INTO drop_reminders (drop_id, user_id, created_at) VALUES (?, ?, ?)',
    [dropId, userId, at],
  );
}

export async function deleteDropReminder(db: Db, dropId: string, userId: string): Promise<void> {
  await execute(db, 'DELETE FROM drop_reminders WHERE drop_id = ? AND user_id = ?', [
    dropId,
    userId,
  ]);
}

/** Reminders mailed are removed: what is left is what is still owed. */
export async function deleteDropReminders(
  db: Db,
  dropId: string,
  userIds: string[],
): Promise<void> {
  await execute(db, 'DELETE FROM drop_reminders WHERE drop_id = ? AND user_id IN (?)', [
    dropId,
    userIds,
  ]);
}

export async function dropStatus(db: Db, dropId: string) {
  const drop = await selectOne<{ status: string }>(db, 'SELECT status FROM drops WHERE id = ?', [
    dropId,
  ]);
  return drop?.status;
}

/** Live drops that still have reminders to mail. */
export async function liveDropsWithReminders(db: Db): Promise<string[]> {
  const rows = await selectRows<{ dropId: string }>(
    db,
    `SELECT d.id AS dropId FROM drops d
        WHERE d.status = 'live' AND EXISTS (SELECT 1 FROM drop_reminders r WHERE r.drop_id = d.id)`,
  );
  return rows.map((row) => row.dropId);
}

export function reminderDrop(db: Db, dropId: string) {
  return selectOne<{ title: string; startsAt: Date; endsAt: Date; status: string }>(
    db,
    'SELECT title, starts_at AS startsAt, ends_at AS endsAt, status FROM drops WHERE id = ?',
    [dropId],
  );
}

/** The next `limit` members to remind of the drop, by user id after `after`. */
export function remindedMembers(
  db: Db,
  dropId: string,
  after: string,
  limit: number,
): Promise<Array<Person & { userId: string }>> {
  return selectRows<Person & { userId: string }>(
    db,
    `SELECT r.user_id AS userId, ${PERSON('u')} FROM drop_reminders r JOIN users u ON u.id = r.user_id
          WHERE r.drop_id = ? AND r.user_id > ? ORDER BY r.user_id LIMIT ?`,
    [dropId, after, limit],
  );
}
