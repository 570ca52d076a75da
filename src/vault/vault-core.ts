import { createHmac } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { Clock } from '../clock';
import type { Config } from '../config';
import { dropDatabase, ensureDatabase, parseDatabaseUrl } from '../db/database';
import { AppError } from '../http/app-error';
import type { Logger } from '../logger';
import { migrateVault } from './vault-migrations.repository';

/**
 * The vault database's connection; src/vault/vault.repository.ts reads and writes the data.
 * For a vault member the main database holds an HMAC of the email and `<userId>@vault.invalid`
 * in place of the address, and orders hold a reference to the vault's copy of their address.
 */

/** Used outside production when VAULT_EMAIL_HMAC_KEY is unset (src/config.ts refuses that in production). */
export const DEVELOPMENT_HMAC_KEY = 'cyberstall-development-only-vault-email-hmac-key';
const PLACEHOLDER = /^(usr_[0-9a-z]{26})@vault\.invalid$/;

export interface PostalAddress {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
}

/** Who reads (a user id; null: the service itself, e.g. the mailer) and why. */
export interface Access {
  actorId: string | null;
  purpose: string;
}

export interface VaultSettings {
  url: string;
  countries: readonly string[];
  hmacKey: string;
}

/** VAULT_DATABASE_URL, or DATABASE_URL's server with `<name>_vault` as the database. */
export function vaultUrlOf(config: Pick<Config, 'DATABASE_URL' | 'VAULT_DATABASE_URL'>): string {
  if (config.VAULT_DATABASE_URL) return config.VAULT_DATABASE_URL;
  return config.DATABASE_URL.replace(/\/([A-Za-z0-9_]+)(\?.*)?$/, '/$1_vault$2');
}

export function vaultSettingsOf(config: Config): VaultSettings {
  return {
    url: vaultUrlOf(config),
    countries: config.VAULT_COUNTRIES,
    hmacKey: config.VAULT_EMAIL_HMAC_KEY ?? DEVELOPMENT_HMAC_KEY,
  };
}

/** The keyed digest the main database finds an account by; the address itself is not in it. */
export function emailHmac(key: string, email: string): string {
  return createHmac('sha256', key).update(email.trim().toLowerCase()).digest('hex');
}

export function vaultUnavailable(): AppError {
  return new AppError(
    503,
    'unavailable',
    'vault_unavailable',
    'Personal data is stored in a vault that cannot be reached right now; try again shortly.',
  );
}

export type Row = Record<string, unknown>;

export class VaultCore {
  protected pool: mysql.Pool | null = null;
  private readiness: Promise<void> | null = null;
  private readonly countries: Set<string>;

  constructor(
    readonly settings: VaultSettings,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.countries = new Set(settings.countries.map((c) => c.toUpperCase()));
  }

  /** Whether a member from this country keeps their personal data in the vault. */
  holds(country: string | null | undefined): boolean {
    return !!country && this.countries.has(country.toUpperCase());
  }

  emailHmac(email: string): string {
    return emailHmac(this.settings.hmacKey, email);
  }

  /** What the main database keeps in `users.email` for a vault member. */
  static placeholderEmail(userId: string): string {
    return `${userId}@vault.invalid`;
  }

  /** The member a placeholder address stands for; null for a real address. */
  static memberOf(address: string): string | null {
    return PLACEHOLDER.exec(address)?.[1] ?? null;
  }

  /** Creates and migrates the vault database once; a failure is tried again on the next call. */
  ready(): Promise<void> {
    this.readiness ??= this.open().catch((error: unknown) => {
      this.readiness = null;
      throw error;
    });
    return this.readiness;
  }

  private async open(): Promise<void> {
    await ensureDatabase(this.settings.url);
    const target = parseDatabaseUrl(this.settings.url);
    const pool =
      this.pool ??
      mysql.createPool({
        ...target.server,
        database: target.database,
        connectionLimit: 8,
        connectTimeout: 3000,
        charset: 'utf8mb4',
        timezone: 'Z',
      });
    this.pool = pool;
    const connection = await pool.getConnection();
    try {
      const applied = await migrateVault(connection);
      if (applied.length > 0) this.logger.info({ migrations: applied }, 'vault migrations applied');
    } finally {
      connection.release();
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    this.readiness = null;
    await pool?.end();
  }

  /** Drops the vault database (tests, like the main database's dropDatabase). */
  async destroy(): Promise<void> {
    await this.close();
    await dropDatabase(this.settings.url);
  }

  /**
   * Runs `work` on the vault; the vault not answering is a 503 in API.md's shape. A driver
   * error is logged by its code only: its message may quote the statement's values.
   */
  protected async use<T>(work: (pool: mysql.Pool) => Promise<T>): Promise<T> {
    try {
      await this.ready();
      return await work(this.pool!);
    } catch (error) {
      if (error instanceof AppError) throw error;
      const code = (error as { code?: unknown }).code;
      this.logger.warn({ code: typeof code === 'string' ? code : 'unknown' }, 'vault unavailable');
      throw vaultUnavailable();
    }
  }

  protected now(): Date {
    return this.clock.now().toJSDate();
  }
}
