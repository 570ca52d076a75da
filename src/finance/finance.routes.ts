import { z } from 'zod';
import { cursorParam, idParam, limitParam, listOf } from '../http/common-schemas';
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
    handler: async ({ query, req, res }) => {
      finance.checkStreamRange(query);
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .attachment(`orders-${query.from}-${query.to}.csv`);
      // HEAD answers what GET would, checks included, without running the export's query.
      if (req.method === 'HEAD') return void res.end();
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
    path: '/v1/finance/exports',
    operationId: 'listFinanceExports',
    summary: 'The exports, newest first',
    tag,
    access: ['finance', 'admin'],
    query: z.object({ limit: limitParam, cursor: cursorParam }),
    response: listOf(exportSchema),
    handler: ({ query }) => finance.listExports(query.cursor, query.limit),
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
    handler: async ({ params, req, res }) => {
      const file = await finance.openDownload(params.id);
      res.status(200).type('text/csv; charset=utf-8').attachment(`orders-${params.id}.csv`);
      if (req.method === 'HEAD') {
        file.destroy();
        return void res.end();
      }
      file.once('error', () => res.destroy());
      file.pipe(res);
    },
  });
}
