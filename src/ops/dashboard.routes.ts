import { z } from 'zod';
import { bearerToken } from '../http/authenticate';
import type { ApiRoutes } from '../http/route';
import { passCookie, type DashboardPasses } from './dashboard-passes';

const dashboardPass = z
  .object({
    url: z.string(),
    expiresAt: z.string(),
  })
  .openapi('QueueDashboardPass');

export function dashboardRoutes(routes: ApiRoutes, passes: DashboardPasses): void {
  routes.add({
    method: 'post',
    path: '/v1/admin/queue-dashboard/passes',
    operationId: 'createQueueDashboardPass',
    summary:
      'A browser pass to the queue dashboard: an HttpOnly, Secure, SameSite=Strict cookie for /admin, valid while this session is',
    tag: 'Operations',
    access: ['admin'],
    status: 201,
    response: dashboardPass,
    handler: async ({ req, res }) => {
      const issued = await passes.issue(bearerToken(req));
      res.append('Set-Cookie', passCookie(issued));
      return { url: '/admin/queues', expiresAt: issued.expiresAt.toISOString() };
    },
  });
}
