import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Db } from '../db/db';
import swaggerUi from 'swagger-ui-express';
import type { Queues } from '../../jobs/queues';
import { AppError } from '../http/app-error';
import { hasRole, type AuthContext } from '../http/auth-context';
import type { Redis } from '../redis/connection';
import { clusterMetrics } from './cluster-metrics';
import { passFromCookies, type DashboardPasses } from './dashboard-passes';
import { checkReadiness, storeChecks } from './readiness';
import type { Metrics } from './metrics';

export interface OpsDependencies {
  db: Db;
  redis: Redis;
  queues: Queues;
  metrics: Metrics;
  isDraining: () => boolean;
  openApiDocument: () => object;
  passes: DashboardPasses;
}

/** Health, readiness, metrics, OpenAPI and the queue dashboard: outside /v1. */
export function opsRouter(deps: OpsDependencies): Router {
  const router = express.Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const { ready, body } = await checkReadiness(storeChecks(deps.db, deps.redis), deps.isDraining);
    res.status(ready ? 200 : 503).json(body);
  });

  router.get('/metrics', async (_req, res, next) => {
    try {
      const body = await clusterMetrics(deps.metrics.registry);
      res.type(deps.metrics.registry.contentType).send(body);
    } catch {
      // An API process that is starting (or died) did not answer the primary's collection.
      next(AppError.unavailable('Metrics could not be collected from every API process; retry.'));
    }
  });

  router.get('/openapi.json', (_req, res) => {
    res.json(deps.openApiDocument());
  });
  router.use(
    '/docs',
    swaggerUi.serveFiles(undefined, { swaggerUrl: '/openapi.json' }),
    swaggerUi.setup(undefined, { swaggerUrl: '/openapi.json' }),
  );

  let board: Promise<Router> | undefined;
  router.use('/admin/queues', requireAdmin(deps.passes), (req, res, next) => {
    (board ??= queueBoard(deps.queues)).then((serve) => serve(req, res, next), next);
  });

  return router;
}

/**
 * The queue dashboard, loaded when an admin first opens it: bull-board costs every process
 * (and every test file) its load time, and few ever open it.
 */
async function queueBoard(queues: Queues): Promise<Router> {
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
  ]);
  const board = new ExpressAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({
    queues: Object.values(queues).map((queue) => new BullMQAdapter(queue)),
    serverAdapter: board,
  });
  return board.getRouter() as Router;
}

/**
 * An admin's Bearer token (API clients), else the dashboard pass cookie a browser carries
 * (src/ops/dashboard-passes.ts). A pass never works for a request another site started.
 */
function requireAdmin(passes: DashboardPasses) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    try {
      let auth: AuthContext | null | undefined = req.auth;
      if (!auth) {
        const pass = passFromCookies(req.get('cookie'));
        if (pass === undefined) return next(AppError.unauthenticated());
        auth = await passes.resolve(pass);
        if (!auth)
          return next(
            AppError.unauthenticated(
              'The dashboard pass has expired or its session was signed out; open the dashboard from the console again.',
            ),
          );
        if (isCrossSite(req))
          return next(AppError.forbidden('The queue dashboard only answers its own pages.'));
      }
      if (!hasRole(auth, 'admin'))
        return next(AppError.forbidden('The queue dashboard is for admins.'));
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** What browsers say of who started the request (Fetch Metadata, then Origin). */
function isCrossSite(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = req.get('origin');
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== req.get('host');
  } catch {
    return true;
  }
}
