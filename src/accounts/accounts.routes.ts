import { AppError } from '../http/app-error';
import { LIMITS, type RateLimits } from '../http/rate-limit';
import type { ApiRoutes } from '../http/route';
import { idParam } from '../http/common-schemas';
import { LoginThrottle } from './login-throttle';
import {
  loginBody,
  patchMeBody,
  profileSchema,
  sessionSchema,
  signupBody,
  userSchema,
} from './accounts.schema';
import type { AccountsService } from './accounts.service';
import type { CredentialsService } from './credentials.service';
import { credentialRoutes } from './credentials.routes';
import { localeFromAcceptLanguage } from '../mail';

export function accountsRoutes(
  routes: ApiRoutes,
  accounts: AccountsService,
  limits: RateLimits,
  credentials: CredentialsService,
): void {
  credentialRoutes(routes, accounts, credentials, limits);
  const throttle = new LoginThrottle(limits);
  routes.add({
    method: 'post',
    path: '/v1/auth/signup',
    operationId: 'signUp',
    summary: 'Create a member or brand account',
    tag: 'Accounts',
    access: 'public',
    body: signupBody,
    status: 201,
    response: sessionSchema,
    errors: [429],
    handler: async ({ body, req }) => {
      await limits.consume(LIMITS.signupPerIp, req.ip ?? 'unknown');
      return accounts.signup(body, localeFromAcceptLanguage(req.get('accept-language')));
    },
  });

  routes.add({
    method: 'post',
    path: '/v1/auth/login',
    operationId: 'logIn',
    summary: 'Exchange e-mail and password for a bearer token',
    tag: 'Accounts',
    access: 'public',
    body: loginBody,
    response: sessionSchema,
    errors: [429],
    handler: async ({ body, req }) => {
      const address = req.ip ?? 'unknown';
      await limits.consume(LIMITS.loginPerIp, address);
      const session = await throttle.attempt(body.email, address, () => accounts.login(body));
      if (!session) {
        throw new AppError(
          401,
          'authentication',
          'invalid_credentials',
          'E-mail or password is wrong.',
        );
      }
      return session;
    },
  });

  routes.add({
    method: 'get',
    path: '/v1/me',
    operationId: 'getMe',
    summary: 'The signed-in user',
    tag: 'Accounts',
    access: 'signed-in',
    response: userSchema,
    handler: ({ auth }) => accounts.getUser(auth!.userId),
  });

  routes.add({
    method: 'patch',
    path: '/v1/me',
    operationId: 'updateMe',
    summary: 'Change display name, time zone, mail language or point auto-conversion',
    tag: 'Accounts',
    access: 'signed-in',
    body: patchMeBody,
    response: userSchema,
    handler: ({ auth, body }) => accounts.updateMe(auth!.userId, body),
  });

  routes.add({
    method: 'get',
    path: '/v1/users/:id',
    operationId: 'getUserProfile',
    summary: "Anyone's public profile: names, country and counts, never the e-mail",
    tag: 'Accounts',
    access: 'public',
    params: idParam('usr'),
    response: profileSchema,
    errors: [404],
    handler: ({ params }) => accounts.profile(params.id),
  });
}
