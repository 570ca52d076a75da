import type { LoaderFunctionArgs } from 'react-router';
import { consoleAccess } from '../../console/access.server';
import { loadDropStats } from '../../console/drop-stats.server';

/**
 * The stats page's refresh: the browser cannot send the token (HttpOnly cookie), so it asks this
 * route, which calls the API with it. JSON, never cached.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api, me } = await consoleAccess(request, context, ['brand']);
  return Response.json(await loadDropStats(api, params.id ?? '', me.brandId), {
    headers: { 'Cache-Control': 'private, no-store' },
  });
}
