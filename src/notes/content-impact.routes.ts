import { listOf } from '../http/common-schemas';
import type { ApiRoutes } from '../http/route';
import { contentImpactQuery, contentImpactSchema, type ContentImpact } from './content-impact';

/** "Bought through this note": what notes linking a seller's listings brought them. */
export function contentImpactRoutes(routes: ApiRoutes, impact: ContentImpact): void {
  const summary =
    'Per note linking your listings or named by your orders: paid orders placed through it and their net revenue, one entry per currency, newest note first';
  routes.add({
    method: 'get',
    path: '/v1/brands/me/content-impact',
    operationId: 'listMyBrandContentImpact',
    summary,
    tag: 'Notes',
    access: ['brand'],
    query: contentImpactQuery,
    response: listOf(contentImpactSchema),
    handler: ({ auth, query }) => impact.forSeller(auth!.userId, query),
  });
  routes.add({
    method: 'get',
    path: '/v1/me/content-impact',
    operationId: 'listMyContentImpact',
    summary: `${summary} (any seller)`,
    tag: 'Notes',
    access: 'signed-in',
    query: contentImpactQuery,
    response: listOf(contentImpactSchema),
    handler: ({ auth, query }) => impact.forSeller(auth!.userId, query),
  });
}
