import type { Db } from '../db/db';
import { execute, selectOne, selectRows, type Tx } from '../db/sql';

/** moderator_regions: the authors' countries each moderator decides for (none: every country). */
export class ModeratorRegionsRepository {
  constructor(private readonly db: Db) {}

  async countriesOf(userId: string): Promise<string[]> {
    const rows = await selectRows<{ country: string }>(
      this.db,
      'SELECT country FROM moderator_regions WHERE user_id = ? ORDER BY country',
      [userId],
    );
    return rows.map((row) => row.country);
  }

  /** The user who would be given regions, with their roles (comma-separated). */
  findUser(userId: string) {
    return selectOne<{ id: string; displayName: string; roles: string }>(
      this.db,
      'SELECT id, display_name AS displayName, roles FROM users WHERE id = ?',
      [userId],
    );
  }

  /** The country a note's or an explanation's author lives in. */
  async countryOfAuthor(userId: string): Promise<string | undefined> {
    const row = await selectOne<{ country: string }>(
      this.db,
      'SELECT country FROM users WHERE id = ?',
      [userId],
    );
    return row?.country;
  }

  async replace(transaction: Tx, userId: string, countries: readonly string[]): Promise<void> {
    await execute(
      this.db,
      'DELETE FROM moderator_regions WHERE user_id = ?',
      [userId],
      transaction,
    );
    if (countries.length > 0)
      await execute(
        this.db,
        `INSERT INTO moderator_regions (user_id, country) VALUES ${countries.map(() => '(?, ?)').join(', ')}`,
        countries.flatMap((country) => [userId, country]),
        transaction,
      );
  }

  /** Every moderator with their regions (comma-separated, or null), by id. */
  listModerators() {
    return selectRows<{ userId: string; displayName: string; regions: string | null }>(
      this.db,
      `SELECT u.id AS userId, u.display_name AS displayName,
         (SELECT GROUP_CONCAT(r.country ORDER BY r.country) FROM moderator_regions r WHERE r.user_id = u.id) AS regions
       FROM users u WHERE FIND_IN_SET('moderator', u.roles) > 0 ORDER BY u.id LIMIT 1000`,
      [],
    );
  }
}
