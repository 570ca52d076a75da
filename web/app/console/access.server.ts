import { data } from 'react-router';
import { apiFor, failure, type Api } from '../api/client.server';
import type { components } from '../api/schema';
import { signInRedirect } from '../auth/session.server';
import type { RouterContextProvider } from 'react-router';
import type { Role } from './nav';

export type Me = components['schemas']['User'];

/**
 * A console page's loader or action: signed in (else to /signin and back), holding one of
 * `roles` (else 403, rendered by the console's error boundary). The API checks again on every
 * call; this only spares a member a page of refusals.
 */
export async function consoleAccess(
  request: Request,
  context: Readonly<RouterContextProvider>,
  roles: readonly Role[],
): Promise<{ api: Api; me: Me }> {
  const api = await apiFor(request, context);
  if (!api.token) throw signInRedirect(request);
  const { data: me, error, response } = await api.client.GET('/v1/me');
  if (response.status === 401) throw signInRedirect(request);
  if (!me) throw failure(response.status, error);
  if (!roles.some((role) => me.roles.includes(role)))
    throw data(null, { status: 403, statusText: 'Forbidden' });
  return { api, me };
}
