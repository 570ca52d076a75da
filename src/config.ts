import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { normaliseTag } from './notes/note-rules';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

const nonNegativeNumber = z.coerce.number().finite().nonnegative();

/** The EU's 27 members and the EEA's other three (Iceland, Liechtenstein, Norway). */
const EU_AND_EEA =
  'AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,RO,SK,SI,ES,SE,IS,LI,NO';

/** Environment variables of API.md's Configuration table, plus a few operational ones. */
const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** ROLE=worker: a port answering /healthz and /readyz (unset: none); the API has them on PORT. */
  HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  /** HTTP processes sharing PORT (node:cluster); 1 serves from the main process itself. */
  API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /** Several `host:port`s, comma-separated, for a Galera cluster: src/db/nodes.ts. */
  DATABASE_URL: z
    .string()
    .regex(
      /^mysql:\/\/[^/]+\/[A-Za-z0-9_]+(\?.*)?$/,
      'expected mysql://user[:pass]@host[:port][,host[:port]...]/database',
    )
    .default('mysql://root@127.0.0.1:3306/cyberstall'),
  /** Which of DATABASE_URL's hosts (0-based) this process tries first; unset: spread by process. */
  DATABASE_FIRST_NODE: z.coerce.number().int().min(0).max(63).optional(),
  /** Of several hosts: `process` (one node per process, failing over) or `connection` (each new one on the next). */
  DATABASE_NODE_SPREAD: z.enum(['process', 'connection']).default('process'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected redis://host:port')
    .default('redis://127.0.0.1:6379'),
  /** A Redis Cluster's `host:port` seeds, comma-separated; when set, REDIS_URL is not used. */
  REDIS_CLUSTER_NODES: commaList
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d{1,5}$/, 'expected host:port,host:port,...')))
    .default([]),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - only')
    .default('cyberstall'),
  PAYMENTS_PROVIDER: z.enum(['manual', 'stripe']).default('manual'),
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  STRIPE_API_BASE: z.url().optional(),
  /** pk_...: the key Stripe's Payment Element runs with in the web app's order page. */
  STRIPE_PUBLISHABLE_KEY: z
    .string()
    .regex(/^pk_(test|live)_[A-Za-z0-9]+$/, 'expected pk_test_... or pk_live_...')
    .optional(),
  /** Seconds a signed-out visitor's listing or stall page is kept rendered (0: never). */
  WEB_PAGE_CACHE_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  PLATFORM_FEE_BPS: z.coerce.number().int().min(0).max(10000).default(0),
  ORDER_HOLD_MINUTES: z.coerce
    .number()
    .positive()
    .max(7 * 24 * 60)
    .default(15),
  MODERATION_COUNTRIES: commaList.default([]),
  MODERATION_TAGS: commaList.default([]),
  NOTE_POINTS: z.coerce.number().int().min(0).max(10_000).default(20),
  DEMO_SEED: booleanFromEnv.default(false),
  RATE_LIMIT_SCALE: nonNegativeNumber.default(1),
  /**
   * scrypt's N for new password hashes, a power of 2 (src/accounts/passwords.ts; above 2^15 it
   * needs more than its 64 MiB maxmem). Tests lower it: at the default a hash costs a core tens of
   * milliseconds, and the suites make about a thousand.
   */
  PASSWORD_HASH_COST: z.coerce
    .number()
    .int()
    .min(1024)
    .max(32_768)
    .refine((n) => (n & (n - 1)) === 0, 'a power of 2')
    .default(16384),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.url().optional(),
  /** `smtp://user:pass@host:587`: mails are sent by a queue job; unset, they stay in the outbox. */
  SMTP_URL: z.url().optional(),
  MAIL_FROM: z.string().min(3).default('cyberstall <no-reply@cyberstall.local>'),
  EXPORT_DIR: z.string().min(1).default('var/exports'),
  EXPORT_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(7),
  CORS_ORIGINS: commaList.default([]),
  BODY_LIMIT_KB: z.coerce.number().int().positive().max(10240).default(256),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(15000),
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(60000).default(1000),
  DB_POOL_MAX: z.coerce.number().int().positive().max(500).default(20),
  /** Local folder of uploaded photos' variants, when no S3_BUCKET is set. */
  MEDIA_DIR: z.string().min(1).default('var/media'),
  /** Photos a member may upload per hour (times RATE_LIMIT_SCALE). */
  MEDIA_UPLOADS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(60),
  /** Per brand, times RATE_LIMIT_SCALE (campaigns/quotas.ts): coupon codes a day, in any batches. */
  COUPON_CODES_PER_DAY: z.coerce.number().int().min(1).max(100_000_000).default(200_000),
  COUPON_BATCHES_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
  DROPS_PER_DAY: z.coerce.number().int().min(1).max(100_000).default(50),
  OFFERS_PER_DAY: z.coerce.number().int().min(1).max(100_000).default(50),
  AIRDROPS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(10),
  /** A live drop's member is repaired from MySQL once their last claim or release is this old. */
  DROP_REPAIR_GRACE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
  /**
   * Photos resized at once per process (default: half the cores): the rest wait, so the event
   * loop keeps a core and libuv's pool keeps threads for file and crypto work.
   */
  MEDIA_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(16)
    .default(Math.max(1, Math.floor(availableParallelism() / 2))),
  /** S3-compatible storage for photos instead of MEDIA_DIR; credentials: the AWS SDK's chain. */
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** Another S3-compatible service (MinIO, R2...), e.g. http://127.0.0.1:9000. */
  S3_ENDPOINT: z.url().optional(),
  /** Where the bucket's objects are public (a CDN); unset: served through GET /media/... */
  S3_PUBLIC_URL: z.url().optional(),
  /** How long a job's lock lives unrenewed: a killed worker's job is picked up again after it. */
  JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** The data vault's database (src/vault); unset: `<DATABASE_URL's name>_vault` on the same server. */
  VAULT_DATABASE_URL: z
    .string()
    .regex(
      /^mysql:\/\/[^/]+\/[A-Za-z0-9_]+(\?.*)?$/,
      'expected mysql://user[:pass]@host[:port]/database',
    )
    .optional(),
  /** Members from these countries keep their email, names and addresses only in the vault. */
  VAULT_COUNTRIES: commaList.default(EU_AND_EEA.split(',')),
  /** Keys the email HMAC the main database signs in with; required in production. */
  VAULT_EMAIL_HMAC_KEY: z.string().min(32, 'at least 32 characters').optional(),
  /** Webhooks to private and loopback addresses (local development, tests); link-local never. */
  WEBHOOKS_ALLOW_PRIVATE: booleanFromEnv.default(false),
  /** First wait before a failed webhook delivery is retried; doubled each time, at most 1 h. */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(10_000),
  /** How long a webhook receiver has to answer before the attempt counts as failed. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** How long an Idempotency-Key claim outlives a request that stopped renewing it (a crash). */
  IDEMPOTENCY_LEASE_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`invalid configuration: ${variable}: ${detail}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.keys(configSchema.shape)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? 'environment'), issue?.message ?? 'invalid');
  }
  const config = parsed.data;
  if (config.PAYMENTS_PROVIDER === 'stripe') {
    for (const key of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const) {
      if (!config[key]) throw new ConfigError(key, 'required when PAYMENTS_PROVIDER=stripe');
    }
  }
  // A demo (DEMO_SEED) holds only made-up people: the development key will do for it.
  if (env.NODE_ENV === 'production' && !config.DEMO_SEED && !config.VAULT_EMAIL_HMAC_KEY)
    throw new ConfigError('VAULT_EMAIL_HMAC_KEY', 'required when NODE_ENV=production');
  return {
    ...config,
    VAULT_COUNTRIES: config.VAULT_COUNTRIES.map((c) => c.toUpperCase()),
    MODERATION_COUNTRIES: config.MODERATION_COUNTRIES.map((c) => c.toUpperCase()),
    MODERATION_TAGS: config.MODERATION_TAGS.map(normaliseTag),
  };
}

let cached: Config | undefined;

/** The process-wide config, read on first use. */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}

/** Tests change the environment between cases; this forgets the cached copy. */
export function resetConfigForTests(): void {
  cached = undefined;
}
