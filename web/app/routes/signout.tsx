import { redirect, type ActionFunctionArgs } from 'react-router';
import { apiFor } from '../api/client.server';
import { clearToken, requireSameOrigin } from '../auth/session.server';

/** Signing out forgets the cookie; the token itself expires with its 30 days. */
export async function action({ request, context }: ActionFunctionArgs) {
  requireSameOrigin(request);
  const api = await apiFor(request, context);
  return redirect('/', { headers: { 'Set-Cookie': await clearToken(api.server) } });
}

export function loader() {
  return redirect('/');
}
