import type { Sequelize } from 'sequelize';
import { execute, selectRows } from '../db/sql';
import { AppError } from '../http/app-error';

export interface ModeratorView {
  userId: string;
  displayName: string;
  /** The authors' countries this moderator decides for; empty: every country. */
  regions: string[];
}

/** Which countries' notes each moderator sees in the buffer and may decide. */
export class ModeratorRegions {
  constructor(private readonly sequelize: Sequelize) {}

  async of(userId: string): Promise<string[]> {
    const rows = await selectRows<{ country: string }>(
      this.sequelize,
      'SELECT country FROM moderator_regions WHERE user_id = ? ORDER BY country',
      [userId],
    );
    return rows.map((row) => row.country);
  }

  /** Replaces a moderator's regions; an empty list lifts the limit. */
  async assign(userId: string, regions: string[]): Promise<ModeratorView> {
    const [found] = await selectRows<{ id: string; displayName: string; roles: string }>(
      this.sequelize,
      'SELECT id, display_name AS displayName, roles FROM users WHERE id = ?',
      [userId],
    );
    if (!found) throw AppError.notFound('user');
    if (!found.roles.split(',').includes('moderator'))
      throw AppError.conflict(
        'not_a_moderator',
        'Only a moderator can be given regions; grant the role first.',
      );
    const countries = [...new Set(regions.map((r) => r.toUpperCase()))].sort();
    await this.sequelize.transaction(async (transaction) => {
      await execute(
        this.sequelize,
        'DELETE FROM moderator_regions WHERE user_id = ?',
        [found.id],
        transaction,
      );
      if (countries.length > 0)
        await execute(
          this.sequelize,
          `INSERT INTO moderator_regions (user_id, country) VALUES ${countries.map(() => '(?, ?)').join(', ')}`,
          countries.flatMap((country) => [found.id, country]),
          transaction,
        );
    });
    return { userId: found.id, displayName: found.displayName, regions: countries };
  }

  /** Every moderator with their regions, by id. */
  async list(): Promise<ModeratorView[]> {
    const rows = await selectRows<{ userId: string; displayName: string; regions: string | null }>(
      this.sequelize,
      `SELECT u.id AS userId, u.display_name AS displayName,
         (SELECT GROUP_CONCAT(r.country ORDER BY r.country) FROM moderator_regions r WHERE r.user_id = u.id) AS regions
       FROM users u WHERE FIND_IN_SET('moderator', u.roles) > 0 ORDER BY u.id LIMIT 1000`,
      [],
    );
    return rows.map((row) => ({
      userId: row.userId,
      displayName: row.displayName,
      regions: row.regions ? row.regions.split(',') : [],
    }));
  }
}
