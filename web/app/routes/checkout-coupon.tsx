import { type LoaderFunctionArgs } from 'react-router';
import { apiFor } from '../api/client.server';

/**
 * The coupon field's live preview, asked by the page as the buyer types: this server holds the
 * token (the browser never does), so it calls GET /v1/coupons/:code/preview for the page.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const api = await apiFor(request, context);
  // Always 200: the field shows what went wrong; an error status would replace the whole page.
  if (!api.token) return Response.json({ error: 'authentication' });
  const { data, error, response } = await api.client.GET('/v1/coupons/{code}/preview', {
    params: {
      path: { code: url.searchParams.get('code') ?? '' },
      query: {
        listingId: url.searchParams.get('listingId') ?? '',
        quantity: Number(url.searchParams.get('quantity') ?? '1') || 1,
      },
    },
  });
  if (data) return Response.json(data);
  // An unknown or malformed code simply does not apply.
  if (response.status === 404 || response.status === 400)
    return Response.json({ valid: false, discountAmount: 0, reason: 'unknown_code' });
  return Response.json({ error: error?.error.code ?? 'unavailable' });
}
