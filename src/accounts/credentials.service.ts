import type { Queue } from 'bullmq';
import type { Db } from '../db/db';
import type { Clock } from '../clock';
import type { Tx } from '../db/sql';
import { AppError } from '../http/app-error';
import { newId } from '../ids';
import { formatTime, isLocale, type MailService } from '../mail';
import type { AccountsService } from './accounts.service';
import {
  markEmailVerified,
  passwordHashOf,
  recipientByEmailHmac,
  setPasswordHash,
  type Recipient,
  type UserRow,
} from './accounts.repository';
import {
  accountTokenUserId,
  insertAccountToken,
  useAccountToken,
  useUpAllResetTokens,
  type AccountTokenPurpose,
} from './account-tokens.repository';
import { verifyPassword } from './passwords';
import { hashToken, newToken } from './tokens';

export const SEND_PASSWORD_RESET = 'send-password-reset';
const RESET_LIFETIME = { hours: 1 };
const VERIFY_LIFETIME = { days: 7 };

type Purpose = AccountTokenPurpose;

/**
 * Passwords and addresses: change, reset by a one-time link, verification. One-time tokens are
 * kept as SHA-256 digests and used up by a conditional update, so each works once.
 */
export class CredentialsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly accounts: AccountsService,
    private readonly mail: MailService,
    private readonly mailQueue: Queue,
    private readonly publicUrl: string,
  ) {}

  async changePassword(userId: string, token: string, current: string, next: string) {
    const row = await passwordHashOf(this.db, userId);
    if (!row || !(await verifyPassword(current, row.passwordHash)))
      throw AppError.invalid(
        'wrong_password',
        'currentPassword is not the current password',
        'currentPassword',
      );
    const passwordHash = await this.accounts.hashPassword(next);
    // The new password and the end of every other session commit together.
    const revoked = await this.db.transaction(async (transaction) => {
      await setPasswordHash(
        this.db,
        userId,
        passwordHash,
        this.clock.now().toJSDate(),
        transaction,
      );
      return this.accounts.revokeSessions(userId, token, transaction);
    });
    await this.accounts.announceRevoked(userId, revoked);
  }

  /**
   * Answers the same way, after the same work (one queue add), whether or not the address has
   * an account: the job looks it up. The job id is the request's own event id. The job carries
   * the address's keyed digest, never the address: Redis keeps jobs after they ran.
   */
  async requestPasswordReset(email: string): Promise<void> {
    const eventId = newId('evt', this.clock.now().toMillis());
    await this.mailQueue.add(
      SEND_PASSWORD_RESET,
      { emailHmac: this.emailKey(email), eventId },
      { jobId: `password-reset-${eventId}` },
    );
  }

  /** The keyed digest accounts are found by (users.email_hmac). */
  emailKey(email: string): string {
    return this.accounts.emailKey(email);
  }

  /** The job: a token and its mail, together, once per request event. */
  async sendPasswordReset(emailHmac: string, eventId: string): Promise<void> {
    const user = await recipientByEmailHmac(this.db, emailHmac);
    if (!user) return;
    const expiresAt = this.clock.now().plus(RESET_LIFETIME).toJSDate();
    const locale = isLocale(user.locale) ? user.locale : 'en';
    await this.issueToken(
      user,
      'password_reset',
      expiresAt,
      `password-reset:${eventId}`,
      (token) => ({
        kind: 'password-reset',
        vars: { name: user.displayName, expiresAt: formatTime(expiresAt, user.timezone, locale) },
        link: `${this.publicUrl}/reset-password?token=${token}`,
      }),
    );
  }

  async confirmPasswordReset(token: string, next: string): Promise<void> {
    const passwordHash = await this.accounts.hashPassword(next);
    // The token is used up, the password set and every session ended, all or nothing.
    const result = await this.db.transaction(async (transaction) => {
      const userId = await this.useToken(token, 'password_reset', transaction);
      // Any other reset link of the account dies with this one.
      await useUpAllResetTokens(this.db, userId, this.clock.now().toJSDate(), transaction);
      await setPasswordHash(
        this.db,
        userId,
        passwordHash,
        this.clock.now().toJSDate(),
        transaction,
      );
      return {
        userId,
        revoked: await this.accounts.revokeSessions(userId, undefined, transaction),
      };
    });
    await this.accounts.announceRevoked(result.userId, result.revoked);
  }

  async sendVerification(
    user: Pick<UserRow, 'id' | 'email' | 'displayName' | 'timezone' | 'locale'>,
  ) {
    const expiresAt = this.clock.now().plus(VERIFY_LIFETIME).toJSDate();
    await this.issueToken(
      user,
      'email_verification',
      expiresAt,
      `verify-email:${user.id}`,
      (token) => ({
        kind: 'verify-email',
        vars: { name: user.displayName },
        link: `${this.publicUrl}/verify-email?token=${token}`,
      }),
    );
  }

  async verifyEmail(token: string): Promise<void> {
    await this.db.transaction(async (transaction) => {
      const userId = await this.useToken(token, 'email_verification', transaction);
      await markEmailVerified(this.db, userId, this.clock.now().toJSDate(), transaction);
    });
  }

  private async issueToken(
    user: Recipient,
    purpose: Purpose,
    expiresAt: Date,
    eventKey: string,
    compose: (token: string) => {
      kind: 'password-reset' | 'verify-email';
      vars: Record<string, string>;
      link: string;
    },
  ): Promise<void> {
    const { token, hash } = newToken();
    const locale = isLocale(user.locale) ? user.locale : 'en';
    // A token exists only with its mail; a replayed event (same key) makes neither again.
    await this.db.transaction(async (transaction) => {
      const mail = compose(token);
      const isNew = await this.mail.keep(
        { eventKey, to: user.email, locale, ...mail },
        transaction,
      );
      if (!isNew) return;
      await insertAccountToken(
        this.db,
        {
          tokenHash: hash,
          userId: user.id,
          purpose,
          createdAt: this.clock.now().toJSDate(),
          expiresAt,
        },
        transaction,
      );
    });
  }

  private async useToken(token: string, purpose: Purpose, transaction: Tx) {
    const tokenHash = hashToken(token);
    const now = this.clock.now().toJSDate();
    if (!(await useAccountToken(this.db, tokenHash, purpose, now, transaction)))
      throw AppError.invalid('token_invalid', 'token is invalid, expired or already used', 'token');
    return (await accountTokenUserId(this.db, tokenHash, transaction))!;
  }
}
