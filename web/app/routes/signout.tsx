import { redirect, type ActionFunctionArgs } from 'react-router';
import { apiFor } from '../api/client.server';
import { clearToken, requireSameOrigin } from '../auth/session.server';

/**
 * Signing out revokes the token at the API (so a copy of the cookie is worthless from now on),
 * then forgets the cookie. An API that refuses (token already revoked or expired) or is down
 * still leaves the visitor signed out in this browser.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  requireSameOrigin(request);
  const api = await apiFor(request, context);
  if (api.token) {
    try {
      await api.client.POST('/v1/auth/logout');
    } catch {
      // Unreachable API: the cookie is still cleared below.
    }
  }
  return redirect('/', { headers: { 'Set-Cookie': await clearToken(api.server) } });
}

export function loader() {
  return redirect('/');
}
