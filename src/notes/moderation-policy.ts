import type { Db } from '../db/db';
import type { Tx } from '../db/sql';
import { ModerationPolicyRepository, type PolicyRow } from './moderation-policy.repository';
import type { ModerationPolicy } from './note-rules';

export interface PolicyView {
  countries: string[];
  tags: string[];
  /** 0 while the environment's seed applies; each change adds one. */
  version: number;
  updatedAt: string | null;
}

/**
 * The cultural buffer's policy, one row in MySQL (MODERATION_COUNTRIES and MODERATION_TAGS
 * only seed it until an admin first changes it). Every note reads it in its own transaction, a
 * primary-key read: a change is applied to the very next note posted to any process, with no
 * window in which a process still holds the old policy (as a cache told by pub/sub would).
 */
export class ModerationPolicies {
  private readonly repository: ModerationPolicyRepository;

  constructor(
    db: Db,
    private readonly seed: ModerationPolicy,
  ) {
    this.repository = new ModerationPolicyRepository(db);
  }

  async current(transaction?: Tx): Promise<ModerationPolicy> {
    return this.view(await this.repository.find(transaction));
  }

  async get(): Promise<PolicyView> {
    const row = await this.repository.find();
    return { ...this.view(row), version: row?.version ?? 0, updatedAt: row ? iso(row) : null };
  }

  /** Replaces the policy; notes posted once this has answered are held by the new one. */
  async replace(policy: ModerationPolicy, adminId: string, now: Date): Promise<PolicyView> {
    await this.repository.replace(policy, adminId, now);
    return this.get();
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
