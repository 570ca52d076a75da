import { decodeCursor, pageOf } from '../http/cursor';
import type { ApiRoutes } from '../http/route';
import type { PointsLedger } from './points.ledger';
import { pointsQuery, pointsSchema, type PointsView } from './points.schema';

export function pointsRoutes(routes: ApiRoutes, ledger: PointsLedger): void {
  routes.add({
    method: 'get',
    path: '/v1/me/points',
    operationId: 'getMyPoints',
    summary: 'Your culture points: the balance and the ledger entries behind it, newest first',
    tag: 'Culture points',
    access: 'signed-in',
    query: pointsQuery,
    response: pointsSchema,
    handler: async ({ auth, query }): Promise<PointsView> => {
      const [balance, rows] = await Promise.all([
        ledger.balanceOf(auth!.userId),
        ledger.entriesOf(auth!.userId, decodeCursor(query.cursor), query.limit + 1),
      ]);
      return {
        balance,
        entries: pageOf(rows, query.limit, (row) => ({
          id: row.id,
          amount: row.amount,
          reason: row.reason,
          sourceId: row.sourceId,
          createdAt: row.createdAt.toISOString(),
        })),
      };
    },
  });
}
