import type { Job } from 'bullmq';
import type { AccountsService } from '../../src/accounts/accounts.service';

export const PURGE_EXPIRED_TOKENS = 'purge-expired-tokens';

/** Deletes bearer tokens past their expiry, so the table only holds live sessions. */
export function purgeExpiredTokens(accounts: AccountsService) {
  return async (_job: Job): Promise<{ deleted: number }> => ({
    deleted: await accounts.purgeExpiredTokens(),
  });
}
