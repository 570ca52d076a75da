import type { LoaderFunctionArgs } from 'react-router';
import { consoleAccess } from '../../console/access.server';
import { csvDownload } from '../../console/csv-download.server';

/** `codes.csv` of one of the brand's batches, streamed from the API with the brand's token. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api } = await consoleAccess(request, context, ['brand']);
  const id = params.id ?? '';
  const result = await api.client.GET('/v1/brands/me/coupon-batches/{id}/codes.csv', {
    params: { path: { id } },
    parseAs: 'stream',
  });
  return csvDownload(result, `coupons-${id}.csv`);
}
