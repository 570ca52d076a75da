import type { ActionFunctionArgs } from 'react-router';
import { apiFor } from '../api/client.server';
import { requireSameOrigin } from '../auth/session.server';

/**
 * The photo picker's upload: the browser cannot call POST /v1/media itself (the token is in an
 * HttpOnly cookie), so the multipart body is streamed through to the API with the visitor's
 * token, and the API's answer (media or error, with its status) is handed back unchanged.
 */
export async function action({ request, context }: ActionFunctionArgs): Promise<Response> {
  requireSameOrigin(request);
  const api = await apiFor(request, context);
  if (!api.token)
    return Response.json(
      { error: { type: 'authentication_error', code: 'unauthenticated', message: 'Sign in' } },
      { status: 401 },
    );
  const headers: Record<string, string> = {
    Authorization: `Bearer ${api.token}`,
    'Content-Type': request.headers.get('Content-Type') ?? 'application/octet-stream',
  };
  const length = request.headers.get('Content-Length');
  if (length) headers['Content-Length'] = length;
  if (api.server.clientIp) headers['X-Forwarded-For'] = api.server.clientIp;
  const answer = await fetch(`${api.server.apiOrigin}/v1/media`, {
    method: 'POST',
    headers,
    body: request.body,
    duplex: 'half',
  } as RequestInit);
  return new Response(answer.body, {
    status: answer.status,
    headers: { 'Content-Type': answer.headers.get('Content-Type') ?? 'application/json' },
  });
}

/** Only POST is meant here; a visit by URL gets the not-found page's status. */
export function loader(): Response {
  return new Response('Not Found', { status: 404 });
}
