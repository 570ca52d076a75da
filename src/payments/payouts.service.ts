import type { Db } from '../db/db';
import type { Clock } from '../clock';
import type { PaymentProvider } from './payment-provider';
import { PayoutAccountsRepository } from './payout-accounts.repository';

/** Sellers' payout accounts (Stripe Connect Express; a local stand-in with the manual provider). */
export class PayoutsService {
  private readonly accounts: PayoutAccountsRepository;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly provider: PaymentProvider,
    private readonly publicUrl: string,
  ) {
    this.accounts = new PayoutAccountsRepository(db);
  }

  async startOnboarding(seller: {
    userId: string;
    email: string;
    country: string;
  }): Promise<{ accountId: string; url: string | null }> {
    const existing = await this.accounts.findAccountId(seller.userId, this.provider.name);
    const result = await this.provider.onboard({
      userId: seller.userId,
      email: seller.email,
      country: seller.country,
      existingAccountId: existing?.accountId ?? null,
      returnUrl: `${this.publicUrl}/payouts/onboarding/return`,
    });
    if (!existing) {
      const now = this.clock.now().toJSDate();
      await this.accounts.save(
        {
          userId: seller.userId,
          provider: this.provider.name,
          accountId: result.accountId,
          // The manual provider has no checks to pass: its sellers can be paid at once.
          isReady: this.provider.name === 'manual',
        },
        now,
      );
    }
    return result;
  }
}
