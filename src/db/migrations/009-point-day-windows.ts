import { DateTime } from 'luxon';
import type { Migration } from '../migrator';

/**
 * A ledger day of the points cap becomes a window of real time, fixed when the day opens
 * (src/points/point-rules.ts openLedgerDay): a calendar date alone let a member at the cap
 * switch to a zone already on tomorrow and earn a second cap the same real day.
 */
export const pointDayWindows: Migration = {
  name: '009-point-day-windows',
  async up({ context: sql }) {
    await sql.query(`ALTER TABLE point_days
      ADD COLUMN starts_at DATETIME(3) NULL AFTER day,
      ADD COLUMN ends_at DATETIME(3) NULL AFTER starts_at`);
    // Past days only need a window that does not overlap the ones after it; the last days,
    // where a member may still be earning, get their real window in the member's zone.
    await sql.query(`UPDATE point_days
      SET starts_at = CAST(day AS DATETIME), ends_at = CAST(day AS DATETIME) + INTERVAL 1 DAY`);
    const since = DateTime.utc().minus({ days: 3 }).toISODate();
    const [recent] = await sql.query(
      `SELECT d.member_id AS memberId, d.day, u.timezone FROM point_days d
         JOIN users u ON u.id = d.member_id WHERE d.day >= ?`,
      { replacements: [since] },
    );
    for (const row of recent as Array<{ memberId: string; day: string; timezone: string }>) {
      const zoned = DateTime.fromISO(row.day, { zone: row.timezone });
      const start = zoned.isValid ? zoned : DateTime.fromISO(row.day, { zone: 'UTC' });
      await sql.query(
        'UPDATE point_days SET starts_at = ?, ends_at = ? WHERE member_id = ? AND day = ?',
        {
          replacements: [
            start.toJSDate(),
            start.plus({ days: 1 }).toJSDate(),
            row.memberId,
            row.day,
          ],
        },
      );
    }
    await sql.query(`ALTER TABLE point_days
      MODIFY starts_at DATETIME(3) NOT NULL,
      MODIFY ends_at DATETIME(3) NOT NULL,
      DROP PRIMARY KEY,
      ADD PRIMARY KEY (member_id, starts_at)`);
  },
  async down({ context: sql }) {
    await sql.query(`ALTER TABLE point_days
      DROP PRIMARY KEY,
      ADD PRIMARY KEY (member_id, day),
      DROP COLUMN starts_at,
      DROP COLUMN ends_at`);
  },
};
