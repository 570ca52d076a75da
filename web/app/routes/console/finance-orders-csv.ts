import type { LoaderFunctionArgs } from 'react-router';
import { consoleAccess } from '../../console/access.server';
import { csvDownload } from '../../console/csv-download.server';

/** GET /v1/finance/orders.csv for the same query, streamed with the member's token. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await consoleAccess(request, context, ['finance', 'admin']);
  const url = new URL(request.url);
  const from = url.searchParams.get('from') ?? '';
  const to = url.searchParams.get('to') ?? '';
  const timezone = url.searchParams.get('timezone') ?? 'UTC';
  const status = url.searchParams.get('status');
  const result = await api.client.GET('/v1/finance/orders.csv', {
    params: { query: { from, to, timezone, ...(status ? { status } : {}) } },
    parseAs: 'stream',
  });
  return csvDownload(result, `orders-${from}-${to}.csv`);
}
