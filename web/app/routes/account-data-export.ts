import type { LoaderFunctionArgs } from 'react-router';
import { apiFor } from '../api/client.server';
import { signInRedirect } from '../auth/session.server';

/**
 * The member's data export, handed to the browser as the API streams it: the token stays on
 * this server (HttpOnly cookie). The API gives the file once; a second try passes on its 409.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const api = await apiFor(request, context);
  if (!api.token) throw signInRedirect(request);
  const id = params.id ?? '';
  const result = await api.client.GET('/v1/me/data-export/{id}/download', {
    params: { path: { id } },
    parseAs: 'stream',
  });
  if (!result.data)
    return Response.json(result.error ?? null, {
      status: result.response.status >= 400 ? result.response.status : 502,
    });
  return new Response(result.data, {
    status: 200,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="cyberstall-data-${id}.json"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
