import type { Sequelize, Transaction } from 'sequelize';
import { execute, selectOne } from '../db/sql';
import type { ModerationPolicy } from './note-rules';

export interface PolicyView {
  countries: string[];
  tags: string[];
  /** 0 while the environment's seed applies; each change adds one. */
  version: number;
  updatedAt: string | null;
}

interface PolicyRow {
  countries: string;
  tags: string;
  version: number;
  updatedAt: Date;
}

/**
 * The cultural buffer's policy, one row in MySQL (MODERATION_COUNTRIES and MODERATION_TAGS
 * only seed it until an admin first changes it). Every note reads it in its own transaction, a
 * primary-key read: a change is applied to the very next note posted to any process, with no
 * window in which a process still holds the old policy (as a cache told by pub/sub would).
 */
export class ModerationPolicies {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly seed: ModerationPolicy,
  ) {}

  async current(transaction?: Transaction): Promise<ModerationPolicy> {
    return this.view(await this.row(transaction));
  }

  async get(): Promise<PolicyView> {
    const row = await this.row();
    return { ...this.view(row), version: row?.version ?? 0, updatedAt: row ? iso(row) : null };
  }

  /** Replaces the policy; notes posted once this has answered are held by the new one. */
  async replace(policy: ModerationPolicy, adminId: string, now: Date): Promise<PolicyView> {
    await execute(
      this.sequelize,
      `INSERT INTO moderation_policy (id, countries, tags, version, updated_by, updated_at)
       VALUES (1, ?, ?, 1, ?, ?)
       ON DUPLICATE KEY UPDATE countries = VALUES(countries), tags = VALUES(tags),
         version = version + 1, updated_by = VALUES(updated_by), updated_at = VALUES(updated_at)`,
      [JSON.stringify(policy.countries), JSON.stringify(policy.tags), adminId, now],
    );
    return this.get();
  }

  private row(transaction?: Transaction): Promise<PolicyRow | undefined> {
    return selectOne<PolicyRow>(
      this.sequelize,
      'SELECT countries, tags, version, updated_at AS updatedAt FROM moderation_policy WHERE id = 1',
      [],
      transaction,
    );
  }

  private view(row: PolicyRow | undefined): { countries: string[]; tags: string[] } {
    if (!row) return { countries: [...this.seed.countries], tags: [...this.seed.tags] };
    return {
      countries: JSON.parse(row.countries) as string[],
      tags: JSON.parse(row.tags) as string[],
    };
  }
}

function iso(row: PolicyRow): string {
  return row.updatedAt.toISOString();
}
