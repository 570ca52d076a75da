import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Sequelize } from 'sequelize';
import type { Queues } from '../jobs/queues';
import { accountsRoutes } from './accounts/accounts.routes';
import { AccountsService } from './accounts/accounts.service';
import type { Clock } from './clock';
import type { Config } from './config';
import { authenticate } from './http/authenticate';
import { requireJsonBody } from './http/content-type';
import { errorHandler, notFoundHandler } from './http/error-handler';
import './http/express-types';
import { idempotency } from './http/idempotency';
import { buildOpenApiDocument } from './http/openapi';
import { RateLimits } from './http/rate-limit';
import { requestId } from './http/request-id';
import { ApiRoutes } from './http/route';
import type { Logger } from './logger';
import { createMetrics } from './ops/metrics';
import { opsRouter } from './ops/ops.routes';
import type { Redis } from './redis/connection';

export interface AppDependencies {
  config: Config;
  sequelize: Sequelize;
  redis: Redis;
  queues: Queues;
  clock: Clock;
  logger: Logger;
}

export interface Services {
  accounts: AccountsService;
}

export function createServices(deps: AppDependencies): Services {
  return {
    accounts: new AccountsService(deps.sequelize, deps.clock),
  };
}

/** Builds the HTTP app from its dependencies; importing this file starts nothing. */
export function createApp(deps: AppDependencies, services: Services = createServices(deps)): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.set('query parser', 'simple');

  const metrics = createMetrics(deps.queues);
  const limits = new RateLimits(deps.redis, config.REDIS_PREFIX, config.RATE_LIMIT_SCALE);

  app.use(requestId);
  app.use(
    pinoHttp({
      logger,
      genReqId: (req) => (req as express.Request).requestId,
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(metrics.observeRequests);
  app.use(
    helmet({
      // Swagger UI at /docs loads its own scripts and inline styles.
      contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'", 'https:'] } },
    }),
  );
  app.use(cors({ origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false, exposedHeaders: ['X-Request-Id', 'Retry-After'] }));
  app.use(requireJsonBody);
  app.use(
    express.json({
      limit: `${config.BODY_LIMIT_KB}kb`,
      strict: false,
      verify: (req, _res, buffer) => {
        (req as express.Request).rawBody = buffer;
      },
    }),
  );
  app.use(authenticate((token) => services.accounts.resolveToken(token)));
  app.use(idempotency({ redis: deps.redis, prefix: config.REDIS_PREFIX }));

  const router = express.Router();
  const routes = new ApiRoutes(router);
  accountsRoutes(routes, services.accounts, limits);
  app.use(router);

  let openApi: object | undefined;
  app.use(
    opsRouter({
      sequelize: deps.sequelize,
      redis: deps.redis,
      queues: deps.queues,
      metrics,
      openApiDocument: () => (openApi ??= buildOpenApiDocument(routes.docs)),
    }),
  );

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
