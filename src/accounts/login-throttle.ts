import { createHash } from 'node:crypto';
import { AppError } from '../http/app-error';
import { LIMITS, type RateLimits } from '../http/rate-limit';

/** Rate-limit keys name an e-mail by its digest: addresses and e-mails stay out of Redis. */
function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

function isRateLimited(error: unknown): boolean {
  return error instanceof AppError && error.status === 429;
}

/**
 * Password guessing is throttled without letting a stranger lock the owner out (OWASP
 * Authentication Cheat Sheet, "Protect against automated attacks"):
 * - per address and e-mail: 10 wrong passwords in 15 minutes, then that address waits;
 *   the owner, elsewhere, is not affected;
 * - per e-mail from anywhere: 50 wrong passwords an hour (a guesser spread over many
 *   addresses); past it, only addresses that signed in to the account before (in the last
 *   30 days) may try, so the owner at home still gets in while the guessing stops.
 * Both count an attempt before the password is checked (atomically in Redis, so guesses sent
 * at once cannot all slip under the limit) and give it back when the password is right: a
 * correct password is never counted against either.
 */
export class LoginThrottle {
  constructor(private readonly limits: RateLimits) {}

  /**
   * Runs `check` (the password check) if the limits allow an attempt from `address` for
   * `email`; answers what it answered. A null answer (wrong password) stays counted.
   */
  async attempt<T>(email: string, address: string, check: () => Promise<T | null>) {
    const account = digest(email);
    const pair = `${digest(address)}:${account}`;
    await this.limits.consume(LIMITS.loginFailuresPerAddress, pair);
    let countedForAccount = false;
    try {
      await this.limits.consume(LIMITS.loginFailuresPerEmail, account);
      countedForAccount = true;
    } catch (error) {
      if (!isRateLimited(error) || !(await this.limits.isMarked(LIMITS.loginKnownAddress, pair)))
        throw error;
    }
    const result = await check();
    if (result === null) return null;
    await Promise.all([
      this.limits.refund(LIMITS.loginFailuresPerAddress, pair),
      countedForAccount ? this.limits.refund(LIMITS.loginFailuresPerEmail, account) : null,
      this.limits.mark(LIMITS.loginKnownAddress, pair),
    ]);
    return result;
  }
}
