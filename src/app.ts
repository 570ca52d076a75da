import cors from 'cors';
import express from 'express';
import { dropsRoutes } from '../campaigns/drops/drops.routes';
import { offersRoutes } from '../campaigns/offers/offers.routes';
import { BrandQuotas } from '../campaigns/quotas';
import { challengesRoutes } from '../campaigns/challenges/challenges.routes';
import { glossaryRoutes } from './glossary/glossary.routes';
import { TermsOnNotes } from './glossary/terms-on-notes';
import { accountsRoutes } from './accounts/accounts.routes';
import { mailRoutes } from './mail/mail.routes';
import { dropReminderRoutes } from './mail/drop-reminders';
import { webhooksRoutes } from './webhooks/webhooks.routes';
import { couponsRoutes } from './coupons/coupons.routes';
import { financeRoutes } from './finance/finance.routes';
import { listingsRoutes } from './listings/listings.routes';
import { notesRoutes } from './notes/notes.routes';
import { feedRoutes } from './feed/feed.routes';
import { FeedService } from './feed/feed.service';
import { moderationRoutes } from './notes/moderation.routes';
import { contentImpactRoutes } from './notes/content-impact.routes';
import { ContentImpact } from './notes/content-impact';
import { pointsRoutes } from './points/points.routes';
import { ordersRoutes } from './orders/orders.routes';
import { paymentsRoutes } from './payments/payments.routes';
import { authenticate } from './http/authenticate';
import { requireJsonBody, type BodyRules } from './http/content-type';
import { frontDoor, type App } from './http/front-door';
import { errorHandler, notFoundHandler } from './http/error-handler';
import './http/express-types';
import { hotPath } from './http/hot-routes';
import { idempotency, IdempotencyKeys } from './http/idempotency';
import { buildOpenApiDocument } from './http/openapi';
import { RateLimits } from './http/rate-limit';
import { requestId } from './http/request-id';
import { requestLog } from './http/request-log';
import { securityHeaders } from './http/security-headers';
import { ApiRoutes } from './http/route';
import { mediaDocs, mediaRouter } from './media/media.routes';
import { createMetrics } from './ops/metrics';
import { DashboardPasses } from './ops/dashboard-passes';
import { dashboardRoutes } from './ops/dashboard.routes';
import { opsRouter } from './ops/ops.routes';
import { isApiPath } from './web/api-paths';
import { vaultRoutes } from './vault/vault.routes';
import { forgetPagesOnWrites } from './web/page-cache';
import { createServices, type AppDependencies, type Services } from './services';

export { createServices, type AppDependencies, type Services } from './services';

/** Builds the HTTP app from its dependencies; importing this file starts nothing. */
export function createApp(deps: AppDependencies, services: Services = createServices(deps)): App {
  const { config, logger } = deps;
  const app = express();
  const bodyRules: BodyRules = { limitBytes: config.BODY_LIMIT_KB * 1024 };
  const idempotencyKeys = new IdempotencyKeys({
    redis: deps.redis,
    prefix: config.REDIS_PREFIX,
    leaseMs: config.IDEMPOTENCY_LEASE_MS,
  });
  app.disable('x-powered-by');
  // JSON answers to API calls carry no validators: a SHA-1 ETag of every body would be waste.
  app.set('etag', false);
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.set('query parser', 'simple');

  const metrics = createMetrics(deps.queues);
  metrics.registry.registerMetric(services.bufferWaits.histogram);
  metrics.registry.registerMetric(services.bufferBacklog.pending);
  metrics.registry.registerMetric(services.bufferBacklog.oldest);
  const limits = new RateLimits(deps.redis, config.REDIS_PREFIX, config.RATE_LIMIT_SCALE);
  const quotas = new BrandQuotas(limits, {
    couponCodesPerDay: config.COUPON_CODES_PER_DAY,
    couponBatchesPerHour: config.COUPON_BATCHES_PER_HOUR,
    dropsPerDay: config.DROPS_PER_DAY,
    offersPerDay: config.OFFERS_PER_DAY,
    airdropsPerHour: config.AIRDROPS_PER_HOUR,
  });

  app.use(requestId);
  if (deps.isDraining) {
    const isDraining = deps.isDraining;
    app.use((_req, res, next) => {
      if (isDraining()) res.setHeader('Connection', 'close');
      next();
    });
  }
  app.use(requestLog(logger));
  app.use(metrics.observeRequests);
  app.use(securityHeaders());
  // A write through the API makes the web app's kept pages stale.
  if (deps.web) app.use(forgetPagesOnWrites);
  // Without allowed origins there is nothing for CORS to add (cors with origin: false only calls next).
  if (config.CORS_ORIGINS.length > 0)
    app.use(cors({ origin: config.CORS_ORIGINS, exposedHeaders: ['X-Request-Id', 'Retry-After'] }));
  // Uploads are multipart and read by their own route once the caller is known, so it comes
  // before the JSON-only body check; GET /media/... serves the stored variants.
  app.use(
    mediaRouter({
      media: services.media,
      limits,
      uploadsPerHour: config.MEDIA_UPLOADS_PER_HOUR,
      resolveToken: (token) => services.accounts.resolveToken(token),
      idempotencyKeys,
    }),
  );
  // Pages take HTML form posts; the API and its unknown paths still refuse a body that is not JSON.
  const parseJson = express.json({
    limit: bodyRules.limitBytes,
    strict: false,
    verify: (req, _res, buffer) => {
      (req as express.Request).rawBody = buffer;
    },
  });
  // A page reads its own request body (React Router's actions): parsing it here would leave
  // the page an empty stream to wait on forever.
  app.use(
    deps.web
      ? (req, res, next) => {
          if (!isApiPath(req.path)) return next();
          requireJsonBody(bodyRules)(req, res, (error?: unknown) =>
            error ? next(error) : parseJson(req, res, next),
          );
        }
      : [requireJsonBody(bodyRules), parseJson],
  );
  app.use(authenticate((token) => services.accounts.resolveToken(token)));
  app.use(idempotency(idempotencyKeys));

  const router = express.Router();
  const routes = new ApiRoutes(router);
  const dashboardPasses = new DashboardPasses(deps.redis, config.REDIS_PREFIX, deps.clock, (hash) =>
    services.accounts.resolveTokenHash(hash),
  );
  routes.docs.push(...mediaDocs());
  accountsRoutes(routes, services.accounts, limits, services.credentials);
  mailRoutes(routes, services.mail);
  dashboardRoutes(routes, dashboardPasses);
  dropReminderRoutes(routes, services.dropReminders);
  webhooksRoutes(routes, services.webhookEndpoints);
  listingsRoutes(routes, services.listings);
  ordersRoutes(routes, services.orders);
  vaultRoutes(routes, services.rights);
  couponsRoutes(routes, services.coupons, services.orders, limits, quotas);
  paymentsRoutes(routes, services.payouts, services.webhooks, services.accounts);
  dropsRoutes(routes, services.drops, quotas);
  financeRoutes(routes, services.finance);
  const termsOnNotes = new TermsOnNotes(services.glossary.repository);
  notesRoutes(routes, services.notes, services.mediaLinks, termsOnNotes);
  moderationRoutes(routes, {
    moderation: services.moderation,
    policies: services.notes.policies,
    regions: services.moderatorRegions,
    present: async (notes) => termsOnNotes.annotate(await services.mediaLinks.present(notes)),
    clock: deps.clock,
  });
  contentImpactRoutes(routes, new ContentImpact(deps.db));
  feedRoutes(routes, new FeedService(deps.db, deps.clock), services.mediaLinks, termsOnNotes);
  glossaryRoutes(routes, services.glossary);
  challengesRoutes(routes, services.challenges);
  pointsRoutes(routes, services.ledger);
  offersRoutes(routes, {
    offers: services.offers,
    conversions: services.conversions,
    airdrops: services.airdrops,
    limits,
    quotas,
  });
  app.use(router);

  let openApi: object | undefined;
  app.use(
    opsRouter({
      db: deps.db,
      redis: deps.redis,
      queues: deps.queues,
      metrics,
      isDraining: deps.isDraining ?? (() => false),
      openApiDocument: () => (openApi ??= buildOpenApiDocument(routes.docs)),
      passes: dashboardPasses,
    }),
  );

  if (deps.web) {
    const web = deps.web;
    app.use((req, res, next) => (isApiPath(req.path) ? next() : web(req, res, next)));
  }
  app.use(notFoundHandler);
  app.use(errorHandler(logger));

  if (deps.hotRoutes !== false && routes.hot.length > 0) {
    const hot = hotPath({
      routes: routes.hot,
      resolveToken: (token) => services.accounts.resolveToken(token),
      logger,
      metrics,
      bodyRules,
      idempotencyKeys,
      corsEnabled: config.CORS_ORIGINS.length > 0,
      isDraining: deps.isDraining ?? (() => false),
    });
    return frontDoor(app, hot);
  }
  return frontDoor(app);
}
