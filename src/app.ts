import cors from 'cors';
import express, { type RequestHandler } from 'express';
import type { Sequelize } from 'sequelize';
import type { Queues } from '../jobs/queues';
import { dropsRoutes } from '../campaigns/drops/drops.routes';
import { DropState } from '../campaigns/drops/drop-state';
import { DropsService } from '../campaigns/drops/drops.service';
import { AirdropsService } from '../campaigns/offers/airdrops.service';
import { ConversionsService } from '../campaigns/offers/conversions.service';
import { offersRoutes } from '../campaigns/offers/offers.routes';
import { BrandQuotas } from '../campaigns/quotas';
import { OffersService } from '../campaigns/offers/offers.service';
import { ChallengeBonus } from '../campaigns/challenges/challenge-bonus';
import { challengesRoutes } from '../campaigns/challenges/challenges.routes';
import { ChallengesService } from '../campaigns/challenges/challenges.service';
import { glossaryRoutes } from './glossary/glossary.routes';
import { GlossaryService } from './glossary/glossary.service';
import { TermsOnNotes } from './glossary/terms-on-notes';
import { accountsRoutes } from './accounts/accounts.routes';
import { AccountsService } from './accounts/accounts.service';
import { SessionCache } from './accounts/session-cache';
import { CredentialsService } from './accounts/credentials.service';
import { subscriberFor } from './accounts/revocations';
import { createMailTransport } from './mail/transport';
import { MailService } from './mail/mail.service';
import { mailRoutes } from './mail/mail.routes';
import { Notifications } from './mail/notifications';
import { DropReminders, dropReminderRoutes } from './mail/drop-reminders';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';
import { WebhookEndpoints } from './webhooks/webhook-endpoints.service';
import { WebhookOutbox } from './webhooks/webhook-outbox';
import { webhooksRoutes } from './webhooks/webhooks.routes';
import type { Clock } from './clock';
import { couponsRoutes } from './coupons/coupons.routes';
import { CouponsService } from './coupons/coupons.service';
import { financeRoutes } from './finance/finance.routes';
import { FinanceService } from './finance/finance.service';
import { listingsRoutes } from './listings/listings.routes';
import { notesRoutes } from './notes/notes.routes';
import { feedRoutes } from './feed/feed.routes';
import { FeedService } from './feed/feed.service';
import { NotesService } from './notes/notes.service';
import { ModerationPolicies } from './notes/moderation-policy';
import { moderationRoutes } from './notes/moderation.routes';
import { NoteModeration } from './notes/moderation.service';
import { ModeratorRegions } from './notes/moderator-regions';
import { contentImpactRoutes } from './notes/content-impact.routes';
import { ContentImpact } from './notes/content-impact';
import { bufferWaitMetric } from './ops/buffer-wait-metric';
import { PointsLedger } from './points/points.ledger';
import { pointsRoutes } from './points/points.routes';
import { ListingsService } from './listings/listings.service';
import { ordersRoutes } from './orders/orders.routes';
import { OrdersService } from './orders/orders.service';
import { manualProvider } from './payments/manual-provider';
import type { PaymentProvider } from './payments/payment-provider';
import { paymentsRoutes } from './payments/payments.routes';
import { PayoutsService } from './payments/payouts.service';
import { createStripeClient, stripeProvider } from './payments/stripe-provider';
import { WebhooksService } from './payments/webhooks.service';
import type { Config } from './config';
import { authenticate } from './http/authenticate';
import { requireJsonBody, type BodyRules } from './http/content-type';
import { frontDoor, type App } from './http/front-door';
import { errorHandler, notFoundHandler } from './http/error-handler';
import './http/express-types';
import { hotPath } from './http/hot-routes';
import { idempotency, IdempotencyKeys } from './http/idempotency';
import { buildOpenApiDocument } from './http/openapi';
import { LIMITS, RateLimits, scaledLimit } from './http/rate-limit';
import { requestId } from './http/request-id';
import { requestLog } from './http/request-log';
import { securityHeaders } from './http/security-headers';
import { ApiRoutes } from './http/route';
import type { Logger } from './logger';
import { createMediaStorage } from './media/create-storage';
import { MediaLinks } from './media/media-links';
import { mediaDocs, mediaRouter } from './media/media.routes';
import { MediaService } from './media/media.service';
import { createMetrics } from './ops/metrics';
import { DashboardPasses } from './ops/dashboard-passes';
import { dashboardRoutes } from './ops/dashboard.routes';
import { opsRouter } from './ops/ops.routes';
import type { Redis } from './redis/connection';
import { isApiPath } from './web/api-paths';
import { Vault, vaultSettingsOf } from './vault';
import { MemberRights } from './vault/member-rights';
import { vaultRoutes } from './vault/vault.routes';
import { forgetPagesOnWrites } from './web/page-cache';

export interface AppDependencies {
  config: Config;
  sequelize: Sequelize;
  redis: Redis;
  queues: Queues;
  clock: Clock;
  logger: Logger;
  /** Overrides the provider chosen by PAYMENTS_PROVIDER (tests inject failing providers). */
  payments?: PaymentProvider;
  /** True once the process is shutting down: /readyz answers 503 so balancers stop sending. */
  isDraining?: () => boolean;
  /** Serve routes marked `hot` outside Express (default); false: everything through Express. */
  hotRoutes?: boolean;
  /** The web app's pages (src/web/web-app.ts), answering every path the API does not own. */
  web?: RequestHandler;
}

export interface Services {
  accounts: AccountsService;
  /** The data vault (src/vault) and the member rights built on it. */
  vault: Vault;
  rights: MemberRights;
  credentials: CredentialsService;
  mail: MailService;
  notifications: Notifications;
  dropReminders: DropReminders;
  webhookOutbox: WebhookOutbox;
  webhookEndpoints: WebhookEndpoints;
  webhookDispatcher: WebhookDispatcher;
  coupons: CouponsService;
  orders: OrdersService;
  payouts: PayoutsService;
  webhooks: WebhooksService;
  drops: DropsService;
  listings: ListingsService;
  finance: FinanceService;
  ledger: PointsLedger;
  notes: NotesService;
  moderation: NoteModeration;
  moderatorRegions: ModeratorRegions;
  glossary: GlossaryService;
  challenges: ChallengesService;
  challengeBonus: ChallengeBonus;
  media: MediaService;
  mediaLinks: MediaLinks;
  offers: OffersService;
  conversions: ConversionsService;
  airdrops: AirdropsService;
}

export function createServices(deps: AppDependencies): Services {
  const { config, sequelize, clock, queues, logger } = deps;
  const stripe = config.STRIPE_SECRET_KEY
    ? createStripeClient({ secretKey: config.STRIPE_SECRET_KEY, apiBase: config.STRIPE_API_BASE })
    : null;
  const provider =
    deps.payments ??
    (config.PAYMENTS_PROVIDER === 'stripe' && stripe ? stripeProvider(stripe) : manualProvider);
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  const mediaStorage = createMediaStorage(config, publicUrl);
  const mediaLinks = new MediaLinks(sequelize, clock, mediaStorage);
  const drops = new DropsService(
    sequelize,
    clock,
    new DropState(
      deps.redis,
      config.REDIS_PREFIX,
      scaledLimit(LIMITS.dropAttemptsPerMember, config.RATE_LIMIT_SCALE),
    ),
    queues.drops,
    publicUrl,
    logger,
    config.DROP_REPAIR_GRACE_MS,
  );
  const mail = new MailService(
    sequelize,
    clock,
    queues.mail,
    config.SMTP_URL ? createMailTransport(config.SMTP_URL) : null,
    config.MAIL_FROM,
    logger,
  );
  const notifications = new Notifications(sequelize, mail, queues.mail, publicUrl);
  const webhookOutbox = new WebhookOutbox(sequelize, clock, queues.webhooks, logger);
  const orders = new OrdersService(
    sequelize,
    clock,
    provider,
    queues.orders,
    {
      holdMinutes: config.ORDER_HOLD_MINUTES,
      platformFeeBps: config.PLATFORM_FEE_BPS,
    },
    logger,
    { hooks: drops.purchaseHooks(), notifier: notifications, events: webhookOutbox },
  );
  const accounts = new AccountsService(
    sequelize,
    clock,
    new SessionCache(deps.redis, config.REDIS_PREFIX),
    subscriberFor(deps.redis),
  );
  const vault = new Vault(vaultSettingsOf(config), clock, logger);
  accounts.useVault(vault);
  mail.useVault(vault);
  orders.useVault(vault);
  const credentials = new CredentialsService(
    sequelize,
    clock,
    accounts,
    mail,
    queues.mail,
    publicUrl,
  );
  // The account exists either way; a mail that could not be kept is logged, not a failed signup.
  accounts.onSignup((user) =>
    credentials
      .sendVerification(user)
      .catch((err: unknown) =>
        logger.error({ err, userId: user.id }, 'verification mail not kept'),
      ),
  );
  const ledger = new PointsLedger(sequelize);
  const moderatorRegions = new ModeratorRegions(sequelize);
  const moderationPolicies = new ModerationPolicies(sequelize, {
    countries: config.MODERATION_COUNTRIES,
    tags: config.MODERATION_TAGS,
  });
  const challengeBonus = new ChallengeBonus(sequelize, ledger);
  const glossary = new GlossaryService(sequelize, clock, ledger, {
    notePoints: config.NOTE_POINTS,
    moderationPolicy: () => moderationPolicies.current(),
  });
  drops.useEvents(webhookOutbox);
  const conversions = new ConversionsService(sequelize, clock, ledger, queues.points);
  conversions.useEvents(webhookOutbox);
  return {
    vault,
    rights: new MemberRights(sequelize, clock, vault, accounts, queues.exports),
    webhookOutbox,
    webhookEndpoints: new WebhookEndpoints(sequelize, clock, config.WEBHOOKS_ALLOW_PRIVATE),
    webhookDispatcher: new WebhookDispatcher(
      sequelize,
      clock,
      queues.webhooks,
      {
        allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE,
        retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      },
      logger,
    ),
    drops,
    ledger,
    glossary,
    challenges: new ChallengesService(sequelize, clock),
    challengeBonus,
    notes: new NotesService(
      sequelize,
      clock,
      ledger,
      {
        notePoints: config.NOTE_POINTS,
        moderation: moderationPolicies,
        publication: challengeBonus,
      },
      mediaLinks,
    ),
    moderation: new NoteModeration(
      sequelize,
      clock,
      ledger,
      config.NOTE_POINTS,
      moderatorRegions,
      challengeBonus,
    ),
    moderatorRegions,
    mediaLinks,
    offers: new OffersService(sequelize, clock),
    conversions,
    airdrops: new AirdropsService(sequelize, clock, queues.points),
    listings: new ListingsService(sequelize, clock, mediaLinks),
    media: new MediaService(
      sequelize,
      clock,
      mediaStorage,
      { concurrency: config.MEDIA_CONCURRENCY },
      logger,
    ),
    finance: new FinanceService(sequelize, clock, queues.exports, {
      databaseUrl: config.DATABASE_URL,
      exportDir: config.EXPORT_DIR,
      retentionDays: config.EXPORT_RETENTION_DAYS,
    }),
    accounts,
    credentials,
    mail,
    notifications,
    dropReminders: new DropReminders(sequelize, clock),
    coupons: new CouponsService(sequelize, clock, queues.coupons),
    orders,
    payouts: new PayoutsService(sequelize, clock, provider, publicUrl),
    webhooks: new WebhooksService(
      sequelize,
      clock,
      queues.payments,
      orders,
      {
        stripe: config.PAYMENTS_PROVIDER === 'stripe' ? stripe : null,
        webhookSecret: config.STRIPE_WEBHOOK_SECRET ?? null,
      },
      logger,
    ),
  };
}

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
  services.moderation.useWaitObserver(bufferWaitMetric(metrics.registry));
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
  contentImpactRoutes(routes, new ContentImpact(deps.sequelize));
  feedRoutes(
    routes,
    new FeedService(deps.sequelize, deps.clock),
    services.mediaLinks,
    termsOnNotes,
  );
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
      sequelize: deps.sequelize,
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
