import { PASSWORD, signupBody, webhookEndpointBody } from '../bodies';
import {
  freshSession,
  freshWebhookEndpoint,
  memberWebhookEndpoint,
  readyDataExport,
} from '../row-resources';
import { everyone, only, type Row, signedIn } from '../table';
import { api, freshOrder, ok, users } from '../world';

/** Accounts: sign-up, sessions, profiles, data rights. */
export const accountsRows: Row[] = [
  // Accounts
  {
    method: 'POST',
    path: '/v1/auth/signup',
    expected: everyone(201),
    target: () => ({ url: '/v1/auth/signup', body: signupBody() }),
  },
  {
    method: 'POST',
    path: '/v1/auth/login',
    expected: everyone(200),
    target: (as) => ({
      url: '/v1/auth/login',
      body: { email: users[as === 'anonymous' ? 'member' : as].email, password: PASSWORD },
    }),
  },
  { method: 'GET', path: '/v1/me', expected: signedIn(200), target: () => ({ url: '/v1/me' }) },
  {
    method: 'PATCH',
    path: '/v1/me',
    expected: signedIn(200),
    target: () => ({ url: '/v1/me', body: { displayName: 'Matrix renamed' } }),
  },
  {
    method: 'DELETE',
    path: '/v1/me',
    expected: signedIn(204),
    // A new account: erasing the persona would sign out its token.
    target: async (as) => ({
      url: '/v1/me',
      body: { password: PASSWORD },
      headers:
        as === 'anonymous'
          ? {}
          : {
              Authorization: `Bearer ${(await ok(api().post('/v1/auth/signup').send(signupBody()), 201)).body.token}`,
            },
    }),
  },
  {
    method: 'POST',
    path: '/v1/me/data-export',
    expected: signedIn(202),
    target: () => ({ url: '/v1/me/data-export' }),
  },
  {
    method: 'GET',
    path: '/v1/me/data-export/{id}',
    // The member's own export; nobody else learns it exists.
    expected: only({ member: 200 }, 404),
    target: async () => ({ url: `/v1/me/data-export/${await readyDataExport()}` }),
  },
  {
    method: 'GET',
    path: '/v1/me/data-export/{id}/download',
    expected: only({ member: 200 }, 404),
    target: async (as) => ({
      url: `/v1/me/data-export/${as === 'member' ? await readyDataExport(true) : await readyDataExport()}/download`,
    }),
  },
  {
    method: 'GET',
    path: '/v1/orders/{id}/shipping-address',
    // Buyer, seller while paid and not shipped, and an admin (support).
    expected: only({ member: 200, brand: 200, admin: 200 }, 404),
    target: async () => ({ url: `/v1/orders/${await freshOrder('paid')}/shipping-address` }),
  },
  {
    method: 'GET',
    path: '/v1/users/{id}',
    expected: everyone(200),
    target: () => ({ url: `/v1/users/${users.brand.id}` }),
  },
  {
    method: 'POST',
    path: '/v1/auth/logout',
    expected: signedIn(204),
    // A session of its own, so the persona's token stays signed in for the other rows.
    target: async (as) => ({
      url: '/v1/auth/logout',
      headers: as === 'anonymous' ? {} : { Authorization: `Bearer ${await freshSession(as)}` },
    }),
  },
  {
    method: 'POST',
    path: '/v1/me/password',
    expected: signedIn(204),
    // A new account: changing the persona's password would sign out its token.
    target: async (as) => ({
      url: '/v1/me/password',
      body: { currentPassword: PASSWORD, newPassword: 'matrix new password' },
      headers:
        as === 'anonymous'
          ? {}
          : {
              Authorization: `Bearer ${(await ok(api().post('/v1/auth/signup').send(signupBody()), 201)).body.token}`,
            },
    }),
  },
  {
    method: 'POST',
    path: '/v1/auth/password-reset',
    expected: everyone(202),
    target: () => ({ url: '/v1/auth/password-reset', body: { email: signupBody().email } }),
  },
  {
    method: 'POST',
    path: '/v1/auth/password-reset/confirm',
    expected: everyone(400),
    target: () => ({
      url: '/v1/auth/password-reset/confirm',
      body: { token: `cs_${'x'.repeat(43)}`, newPassword: 'matrix new password' },
    }),
  },
  {
    method: 'POST',
    path: '/v1/auth/verify-email',
    expected: everyone(400),
    target: () => ({ url: '/v1/auth/verify-email', body: { token: `cs_${'x'.repeat(43)}` } }),
  },
  {
    method: 'GET',
    path: '/v1/admin/outbox',
    expected: only({ admin: 200 }),
    target: () => ({ url: '/v1/admin/outbox' }),
  },
  {
    method: 'POST',
    path: '/v1/webhook-endpoints',
    expected: signedIn(201),
    target: () => ({ url: '/v1/webhook-endpoints', body: webhookEndpointBody }),
  },
  {
    method: 'GET',
    path: '/v1/webhook-endpoints',
    expected: signedIn(200),
    target: () => ({ url: '/v1/webhook-endpoints' }),
  },
  {
    method: 'GET',
    path: '/v1/webhook-endpoints/{id}',
    expected: only({ member: 200 }, 404),
    target: async () => ({ url: `/v1/webhook-endpoints/${await memberWebhookEndpoint()}` }),
  },
  {
    method: 'DELETE',
    path: '/v1/webhook-endpoints/{id}',
    expected: only({ member: 204 }, 404),
    target: async () => ({ url: `/v1/webhook-endpoints/${await freshWebhookEndpoint()}` }),
  },
  {
    method: 'GET',
    path: '/v1/webhook-endpoints/{id}/deliveries',
    expected: only({ member: 200 }, 404),
    target: async () => ({
      url: `/v1/webhook-endpoints/${await memberWebhookEndpoint()}/deliveries`,
    }),
  },
  {
    method: 'POST',
    path: '/v1/admin/queue-dashboard/passes',
    expected: only({ admin: 201 }),
    target: () => ({ url: '/v1/admin/queue-dashboard/passes' }),
  },
];
