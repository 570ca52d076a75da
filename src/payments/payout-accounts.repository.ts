import type { Db } from '../db/db';
import { execute, selectOne } from '../db/sql';

/** What the provider tells of a payout account: whether it may be charged for and paid out. */
export interface PayoutAccountStatus {
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  detailsSubmitted: boolean;
}

/** Sellers' payout accounts, one per seller. */
export class PayoutAccountsRepository {
  constructor(private readonly db: Db) {}

  findAccountId(userId: string, provider: string): Promise<{ accountId: string } | undefined> {
    return selectOne<{ accountId: string }>(
      this.db,
      'SELECT account_id AS accountId FROM payout_accounts WHERE user_id = ? AND provider = ?',
      [userId, provider],
    );
  }

  /** Keeps a seller's account; a seller who had one with another provider gets this one. */
  async save(
    account: { userId: string; provider: string; accountId: string; isReady: boolean },
    now: Date,
  ): Promise<void> {
    const ready = account.isReady ? 1 : 0;
    await execute(
      this.db,
      `INSERT INTO payout_accounts (user_id, provider, account_id, charges_enabled, payouts_enabled, details_submitted, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE provider = VALUES(provider), account_id = VALUES(account_id), updated_at = VALUES(updated_at)`,
      [account.userId, account.provider, account.accountId, ready, ready, ready, now, now],
    );
  }

  /** Records the provider's view of an account; false if no seller has that account. */
  async updateStatus(accountId: string, status: PayoutAccountStatus, now: Date): Promise<boolean> {
    const changed = await execute(
      this.db,
      `UPDATE payout_accounts SET charges_enabled = ?, payouts_enabled = ?, details_submitted = ?, updated_at = ? WHERE account_id = ?`,
      [
        status.chargesEnabled ? 1 : 0,
        status.payoutsEnabled ? 1 : 0,
        status.detailsSubmitted ? 1 : 0,
        now,
        accountId,
      ],
    );
    return changed === 1;
  }
}
