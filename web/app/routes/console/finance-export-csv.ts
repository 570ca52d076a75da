import type { LoaderFunctionArgs } from 'react-router';
import { consoleAccess } from '../../console/access.server';
import { csvDownload } from '../../console/csv-download.server';

/** A finished export's file, streamed from the API with the member's token. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api } = await consoleAccess(request, context, ['finance', 'admin']);
  const id = params.id ?? '';
  const result = await api.client.GET('/v1/finance/exports/{id}/download', {
    params: { path: { id } },
    parseAs: 'stream',
  });
  return csvDownload(result, `orders-${id}.csv`);
}
