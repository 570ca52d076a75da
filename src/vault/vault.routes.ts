import { z } from 'zod';
import { hasRole } from '../http/auth-context';
import { idParam } from '../http/common-schemas';
import type { ApiRoutes } from '../http/route';
import { shippingAddressSchema } from '../orders';
import type { MemberRights } from './member-rights';

const dataExportSchema = z
  .object({
    jobId: z.string(),
    status: z.enum(['pending', 'ready', 'downloaded']),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    downloadedAt: z.string().nullable(),
  })
  .openapi('DataExport');

const deleteMeBody = z
  .object({ password: z.string().min(1).max(200) })
  .strict()
  .openapi('DeleteMeRequest');

/** The data vault's routes: GDPR rights of every member, and an order's shipping address. */
export function vaultRoutes(routes: ApiRoutes, rights: MemberRights): void {
  routes.add({
    method: 'post',
    path: '/v1/me/data-export',
    operationId: 'createMyDataExport',
    summary: 'Ask for a JSON file of everything held about the signed-in member (built by a job)',
    tag: 'Accounts',
    access: 'signed-in',
    status: 202,
    response: z.object({ jobId: z.string() }).openapi('DataExportRequested'),
    errors: [503],
    handler: ({ auth }) => rights.requestExport(auth!.userId),
  });
  routes.add({
    method: 'get',
    path: '/v1/me/data-export/:id',
    operationId: 'getMyDataExport',
    summary: "A data export's status: pending, ready (download once) or downloaded",
    tag: 'Accounts',
    access: 'signed-in',
    params: idParam('dex'),
    response: dataExportSchema,
    errors: [404, 503],
    handler: ({ auth, params }) => rights.exportStatus(auth!.userId, params.id),
  });
  routes.add({
    method: 'get',
    path: '/v1/me/data-export/:id/download',
    operationId: 'downloadMyDataExport',
    summary: 'The export file (JSON), downloadable once; afterwards 409 export_downloaded',
    tag: 'Accounts',
    access: 'signed-in',
    params: idParam('dex'),
    produces: 'application/json',
    errors: [404, 409, 503],
    handler: async ({ auth, params, res }) => {
      const body = await rights.download(auth!.userId, params.id);
      res
        .status(200)
        .type('application/json; charset=utf-8')
        .attachment(`cyberstall-data-${params.id}.json`)
        .set('Cache-Control', 'no-store')
        .send(body);
    },
  });
  routes.add({
    method: 'delete',
    path: '/v1/me',
    operationId: 'deleteMe',
    summary:
      'Erase the account: personal data gone, no more sign-in; orders stay under the id, notes lose the name',
    tag: 'Accounts',
    access: 'signed-in',
    body: deleteMeBody,
    status: 204,
    errors: [409, 503],
    handler: ({ auth, body }) => rights.erase(auth!.userId, body.password),
  });
  routes.add({
    method: 'get',
    path: '/v1/orders/:id/shipping-address',
    operationId: 'getOrderShippingAddress',
    summary:
      "An order's shipping address: its buyer, or its seller while paid and not shipped or for 30 days after shipping",
    tag: 'Orders',
    access: 'signed-in',
    params: idParam('ord'),
    response: shippingAddressSchema,
    errors: [404, 409, 503],
    handler: ({ auth, params }) =>
      rights.shippingAddress(params.id, {
        userId: auth!.userId,
        isAdmin: hasRole(auth, 'admin'),
      }),
  });
}
