import type { Sequelize } from 'sequelize';
import type { Clock } from '../clock';
import { execute, selectOne } from '../db/sql';
import type { PaymentProvider } from './payment-provider';

/** Sellers' payout accounts (Stripe Connect Express; a local stand-in with the manual provider). */
export class PayoutsService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly clock: Clock,
    private readonly provider: PaymentProvider,
    private readonly publicUrl: string,
  ) {}

  async startOnboarding(seller: {
    userId: string;
    email: string;
    country: string;
  }): Promise<{ accountId: string; url: string | null }> {
    const existing = await selectOne<{ accountId: string }>(
      this.sequelize,
      'SELECT account_id AS accountId FROM payout_accounts WHERE user_id = ? AND provider = ?',
      [seller.userId, this.provider.name],
    );
    const result = await this.provider.onboard({
      userId: seller.userId,
      email: seller.email,
      country: seller.country,
      existingAccountId: existing?.accountId ?? null,
      returnUrl: `${this.publicUrl}/payouts/onboarding/return`,
    });
    if (!existing) {
      const now = this.clock.now().toJSDate();
      // The manual provider has no checks to pass: its sellers can be paid at once.
      const ready = this.provider.name === 'manual' ? 1 : 0;
      await execute(
        this.sequelize,
        `INSERT INTO payout_accounts (user_id, provider, account_id, charges_enabled, payouts_enabled, details_submitted, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE provider = VALUES(provider), account_id = VALUES(account_id), updated_at = VALUES(updated_at)`,
        [seller.userId, this.provider.name, result.accountId, ready, ready, ready, now, now],
      );
    }
    return result;
  }
}
