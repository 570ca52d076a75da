import { idParam } from '../http/common-schemas';
import type { ApiRoutes } from '../http/route';
import { createExportBody, exportSchema, ordersCsvQuery } from './finance.schema';
import type { FinanceService } from './finance.service';

export function financeRoutes(routes: ApiRoutes, finance: FinanceService): void {
  const tag = 'Finance';
  routes.add({
    method: 'get',
    path: '/v1/finance/orders.csv',
    operationId: 'downloadOrdersCsv',
    summary:
      'Orders created in [from 00:00, to 24:00) of `timezone`, streamed as CSV (at most 366 days)',
    tag,
    access: ['finance', 'admin'],
    query: ordersCsvQuery,
    produces: 'text/csv',
    handler: async ({ query, res }) => {
      finance.checkStreamRange(query);
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .attachment(`orders-${query.from}-${query.to}.csv`);
      try {
        await finance.writeOrdersCsv(query, res, { bom: query.bom === '1' });
      } catch (error) {
        if (!res.headersSent) {
          res.removeHeader('Content-Disposition');
          throw error;
        }
        // Rows were already flowing: all that can be done is to cut the response short.
        res.destroy();
      }
    },
  });
  routes.add({
    method: 'post',
    path: '/v1/finance/exports',
    operationId: 'createFinanceExport',
    summary: 'Export a long range to a file, written by a job',
    tag,
    access: ['finance', 'admin'],
    body: createExportBody,
    status: 202,
    response: exportSchema,
    handler: ({ auth, body }) => finance.createExport(auth!.userId, body),
  });
  routes.add({
    method: 'get',
    path: '/v1/finance/exports/:id',
    operationId: 'getFinanceExport',
    summary: "An export's status and progress",
    tag,
    access: ['finance', 'admin'],
    params: idParam('exp'),
    response: exportSchema,
    errors: [404],
    handler: ({ params }) => finance.getExport(params.id),
  });
  routes.add({
    method: 'get',
    path: '/v1/finance/exports/:id/download',
    operationId: 'downloadFinanceExport',
    summary: "A finished export's CSV",
    tag,
    access: ['finance', 'admin'],
    params: idParam('exp'),
    produces: 'text/csv',
    errors: [404, 409],
    handler: async ({ params, res }) => {
      const file = await finance.openDownload(params.id);
      res.status(200).type('text/csv; charset=utf-8').attachment(`orders-${params.id}.csv`);
      file.once('error', () => res.destroy());
      file.pipe(res);
    },
  });
}
