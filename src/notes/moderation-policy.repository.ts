import type { Db } from '../db/db';
import { execute, selectOne, type Tx } from '../db/sql';

export interface PolicyRow {
  /** JSON arrays. */
  countries: string;
  tags: string;
  version: number;
  updatedAt: Date;
}

/** moderation_policy: the cultural buffer's one row (id 1), absent until an admin changes it. */
export class ModerationPolicyRepository {
  constructor(private readonly db: Db) {}

  find(transaction?: Tx): Promise<PolicyRow | undefined> {
    return selectOne<PolicyRow>(
      this.db,
      'SELECT countries, tags, version, updated_at AS updatedAt FROM moderation_policy WHERE id = 1',
      [],
      transaction,
    );
  }

  /** Writes the row, one version on. */
  async replace(
    policy: { countries: readonly string[]; tags: readonly string[] },
    adminId: string,
    now: Date,
  ): Promise<void> {
    await execute(
      this.db,
      `INSERT INTO moderation_policy (id, countries, tags, version, updated_by, updated_at)
       VALUES (1, ?, ?, 1, ?, ?)
       ON DUPLICATE KEY UPDATE countries = VALUES(countries), tags = VALUES(tags),
         version = version + 1, updated_by = VALUES(updated_by), updated_at = VALUES(updated_at)`,
      [JSON.stringify(policy.countries), JSON.stringify(policy.tags), adminId, now],
    );
  }
}
