import { type RequestHandler } from 'express';
import type { Db } from './db/db';
import type { Queues } from '../jobs/queues';
import { DropState } from '../campaigns/drops/drop-state';
import { DropsService } from '../campaigns/drops/drops.service';
import { AirdropsService } from '../campaigns/offers/airdrops.service';
import { ConversionsService } from '../campaigns/offers/conversions.service';
import { OffersService } from '../campaigns/offers/offers.service';
import { ChallengeBonus } from '../campaigns/challenges/challenge-bonus';
import { ChallengesService } from '../campaigns/challenges/challenges.service';
import { GlossaryService } from './glossary/glossary.service';
import { AccountsService } from './accounts/accounts.service';
import { SessionCache } from './accounts/session-cache';
import { CredentialsService } from './accounts/credentials.service';
import { createMailTransport } from './mail/transport';
import { MailService } from './mail/mail.service';
import { Notifications } from './mail/notifications';
import { DropReminders } from './mail/drop-reminders';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';
import { WebhookEndpoints } from './webhooks/webhook-endpoints.service';
import { WebhookOutbox } from './webhooks/webhook-outbox';
import type { Clock } from './clock';
import { CouponsService } from './coupons/coupons.service';
import { FinanceService } from './finance/finance.service';
import { NotesService } from './notes/notes.service';
import { ModerationPolicies } from './notes/moderation-policy';
import { NoteModeration } from './notes/moderation.service';
import { ModeratorRegions } from './notes/moderator-regions';
import { PointsLedger } from './points/points.ledger';
import { ListingsService } from './listings/listings.service';
import { OrdersService } from './orders/orders.service';
import { manualProvider } from './payments/manual-provider';
import type { PaymentProvider } from './payments/payment-provider';
import { PayoutsService } from './payments/payouts.service';
import { createStripeClient, stripeProvider } from './payments/stripe-provider';
import { WebhooksService } from './payments/webhooks.service';
import type { Config } from './config';
import { LIMITS, scaledLimit } from './http/rate-limit';
import type { Logger } from './logger';
import { createMediaStorage } from './media/create-storage';
import { MediaLinks } from './media/media-links';
import { MediaService } from './media/media.service';
import type { Redis } from './redis/connection';
import { Vault, vaultSettingsOf } from './vault';
import { MemberRights } from './vault/member-rights';
import { BufferBacklogMetric } from './ops/buffer-backlog-metric';
import { BufferWaitMetric } from './ops/buffer-wait-metric';

export interface AppDependencies {
  config: Config;
  db: Db;
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
  /** Buffer waits of moderation decisions, for the app's /metrics. */
  bufferWaits: BufferWaitMetric;
  bufferBacklog: BufferBacklogMetric;
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

/** Every service, wired once from the dependencies: the HTTP app and the workers both take them. */
export function createServices(deps: AppDependencies): Services {
  const { config, db, clock, queues, logger } = deps;
  const stripe = config.STRIPE_SECRET_KEY
    ? createStripeClient({ secretKey: config.STRIPE_SECRET_KEY, apiBase: config.STRIPE_API_BASE })
    : null;
  const provider =
    deps.payments ??
    (config.PAYMENTS_PROVIDER === 'stripe' && stripe ? stripeProvider(stripe) : manualProvider);
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  const mediaStorage = createMediaStorage(config, publicUrl);
  const mediaLinks = new MediaLinks(db, clock, mediaStorage);
  const vault = new Vault(vaultSettingsOf(config), clock, logger);
  const webhookOutbox = new WebhookOutbox(clock, queues.webhooks, logger);
  const drops = new DropsService(
    db,
    clock,
    new DropState(
      deps.redis,
      config.REDIS_PREFIX,
      scaledLimit(LIMITS.dropAttemptsPerMember, config.RATE_LIMIT_SCALE),
    ),
    queues.drops,
    publicUrl,
    logger,
    webhookOutbox,
    config.DROP_REPAIR_GRACE_MS,
  );
  const mail = new MailService(
    db,
    clock,
    queues.mail,
    config.SMTP_URL ? createMailTransport(config.SMTP_URL) : null,
    config.MAIL_FROM,
    logger,
    vault,
  );
  const notifications = new Notifications(db, mail, queues.mail, publicUrl);
  const orders = new OrdersService(
    db,
    clock,
    provider,
    queues.orders,
    {
      holdMinutes: config.ORDER_HOLD_MINUTES,
      platformFeeBps: config.PLATFORM_FEE_BPS,
    },
    logger,
    { hooks: drops.purchaseHooks(), notifier: notifications, events: webhookOutbox, vault },
  );
  const accounts: AccountsService = new AccountsService(
    db,
    clock,
    new SessionCache(deps.redis, config.REDIS_PREFIX),
    {
      listensForRevocations: true,
      vault,
      passwordHashCost: config.PASSWORD_HASH_COST,
      // The account exists either way; a mail that could not be kept is logged, not a failed signup.
      onSignup: (user): Promise<void> =>
        credentials
          .sendVerification(user)
          .catch((err: unknown) =>
            logger.error({ err, userId: user.id }, 'verification mail not kept'),
          ),
    },
  );
  const credentials = new CredentialsService(db, clock, accounts, mail, queues.mail, publicUrl);
  const ledger = new PointsLedger(db);
  const bufferWaits = new BufferWaitMetric();
  const moderatorRegions = new ModeratorRegions(db);
  const moderationPolicies = new ModerationPolicies(db, {
    countries: config.MODERATION_COUNTRIES,
    tags: config.MODERATION_TAGS,
  });
  const challengeBonus = new ChallengeBonus(db, ledger);
  const glossary = new GlossaryService(db, clock, ledger, {
    notePoints: config.NOTE_POINTS,
    moderation: moderationPolicies,
    regions: moderatorRegions,
  });
  const conversions = new ConversionsService(db, clock, ledger, queues.points, webhookOutbox);
  const moderation = new NoteModeration(
    db,
    clock,
    ledger,
    config.NOTE_POINTS,
    moderatorRegions,
    challengeBonus,
    bufferWaits.observe,
  );
  return {
    bufferWaits,
    bufferBacklog: new BufferBacklogMetric(
      { note: () => moderation.backlog(), explanation: () => glossary.backlog() },
      clock,
    ),
    vault,
    rights: new MemberRights(db, clock, vault, accounts, queues.exports),
    webhookOutbox,
    webhookEndpoints: new WebhookEndpoints(db, clock, config.WEBHOOKS_ALLOW_PRIVATE),
    webhookDispatcher: new WebhookDispatcher(
      db,
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
    challenges: new ChallengesService(db, clock),
    challengeBonus,
    notes: new NotesService(
      db,
      clock,
      ledger,
      {
        notePoints: config.NOTE_POINTS,
        moderation: moderationPolicies,
        publication: challengeBonus,
      },
      mediaLinks,
    ),
    moderation,
    moderatorRegions,
    mediaLinks,
    offers: new OffersService(db, clock),
    conversions,
    airdrops: new AirdropsService(db, clock, queues.points),
    listings: new ListingsService(db, clock, mediaLinks),
    media: new MediaService(
      db,
      clock,
      mediaStorage,
      { concurrency: config.MEDIA_CONCURRENCY },
      logger,
    ),
    finance: new FinanceService(db, clock, queues.exports, {
      databaseUrl: config.DATABASE_URL,
      exportDir: config.EXPORT_DIR,
      retentionDays: config.EXPORT_RETENTION_DAYS,
    }),
    accounts,
    credentials,
    mail,
    notifications,
    dropReminders: new DropReminders(db, clock),
    coupons: new CouponsService(db, clock, queues.coupons),
    orders,
    payouts: new PayoutsService(db, clock, provider, publicUrl),
    webhooks: new WebhooksService(
      db,
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
