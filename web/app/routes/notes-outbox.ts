import type { ActionFunctionArgs } from 'react-router';
import { apiFor } from '../api/client.server';
import { requireSameOrigin } from '../auth/session.server';
import type { components } from '../api/schema';

/**
 * The composer's outbox: notes kept in the browser (a form field `notes`, JSON) are handed to POST /v1/notes/sync with the
 * visitor's token (scripts cannot read it from its HttpOnly cookie). The API's answer, conflicts
 * included, goes back as it is.
 */
export async function action({ request, context }: ActionFunctionArgs): Promise<Response> {
  requireSameOrigin(request);
  const api = await apiFor(request, context);
  if (!api.token)
    return Response.json(
      { error: { type: 'authentication_error', code: 'unauthenticated', message: 'Sign in' } },
      { status: 401 },
    );
  let body: components['schemas']['SyncNotesRequest'];
  try {
    const notes: unknown = JSON.parse(String((await request.formData()).get('notes') ?? ''));
    body = { notes } as components['schemas']['SyncNotesRequest'];
  } catch {
    return Response.json(
      { error: { type: 'invalid_request', code: 'invalid_json', message: 'notes must be JSON' } },
      { status: 400 },
    );
  }
  const result = await api.client.POST('/v1/notes/sync', { body });
  return Response.json(result.data ?? result.error, { status: result.response.status });
}

export function loader(): Response {
  return new Response('Not Found', { status: 404 });
}
