import { createHash } from 'node:crypto';
import { AppError } from '../http/app-error';
import { bearerToken } from '../http/authenticate';
import type { LimitRule, RateLimits } from '../http/rate-limit';
import type { ApiRoutes } from '../http/route';
import {
  changePasswordBody,
  passwordResetBody,
  passwordResetConfirmBody,
  verifyEmailBody,
} from './accounts.schema';
import type { AccountsService } from './accounts.service';
import type { CredentialsService } from './credentials.service';

/** Reset requests: from one address, and for one e-mail (the latter silently: no enumeration). */
const RESET_LIMITS = {
  perAddress: { name: 'reset-ip', points: 10, windowSeconds: 3600 },
  perEmail: { name: 'reset-email', points: 3, windowSeconds: 3600 },
  passwordChange: { name: 'password-change', points: 10, windowSeconds: 15 * 60 },
} satisfies Record<string, LimitRule>;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

export function credentialRoutes(
  routes: ApiRoutes,
  accounts: AccountsService,
  credentials: CredentialsService,
  limits: RateLimits,
): void {
  routes.add({
    method: 'post',
    path: '/v1/auth/logout',
    operationId: 'logOut',
    summary: 'Revoke the bearer token of this request, in every API process at once',
    tag: 'Accounts',
    access: 'signed-in',
    status: 204,
    handler: ({ auth, req }) => accounts.logout(auth!.userId, bearerToken(req)),
  });

  routes.add({
    method: 'post',
    path: '/v1/me/password',
    operationId: 'changeMyPassword',
    summary: 'Change the password; every other session is signed out',
    tag: 'Accounts',
    access: 'signed-in',
    body: changePasswordBody,
    status: 204,
    errors: [429],
    handler: async ({ auth, body, req }) => {
      await limits.consume(RESET_LIMITS.passwordChange, auth!.userId);
      await credentials.changePassword(
        auth!.userId,
        bearerToken(req),
        body.currentPassword,
        body.newPassword,
      );
    },
  });

  routes.add({
    method: 'post',
    path: '/v1/auth/password-reset',
    operationId: 'requestPasswordReset',
    summary: 'Mail a one-time reset link (valid 1 h); 202 whether or not the e-mail has an account',
    tag: 'Accounts',
    access: 'public',
    body: passwordResetBody,
    status: 202,
    errors: [429],
    handler: async ({ body, req }) => {
      await limits.consume(RESET_LIMITS.perAddress, req.ip ?? 'unknown');
      try {
        await limits.consume(RESET_LIMITS.perEmail, digest(body.email));
      } catch (error) {
        // Over the limit for this e-mail: the same answer, no mail (an inbox is not flooded).
        if (error instanceof AppError && error.status === 429) return undefined;
        throw error;
      }
      await credentials.requestPasswordReset(body.email);
      return undefined;
    },
  });

  routes.add({
    method: 'post',
    path: '/v1/auth/password-reset/confirm',
    operationId: 'confirmPasswordReset',
    summary: 'Set a new password with a reset token; the token works once, every session ends',
    tag: 'Accounts',
    access: 'public',
    body: passwordResetConfirmBody,
    status: 204,
    handler: ({ body }) => credentials.confirmPasswordReset(body.token, body.newPassword),
  });

  routes.add({
    method: 'post',
    path: '/v1/auth/verify-email',
    operationId: 'verifyEmail',
    summary: 'Confirm the e-mail address with the token mailed at signup',
    tag: 'Accounts',
    access: 'public',
    body: verifyEmailBody,
    status: 204,
    handler: ({ body }) => credentials.verifyEmail(body.token),
  });
}
