import type { Db } from '../db/db';
import type { Clock } from '../clock';
import { AppError } from '../http/app-error';
import { ROLES, type AuthContext, type Role } from '../http/auth-context';
import type { Tx } from '../db/sql';
import { newId } from '../ids';
import {
  insertBrand,
  insertUser,
  isDuplicateKey,
  setRoles,
  updateUser,
  userByEmail,
  userById,
  type UserRow,
} from './accounts.repository';
import {
  authTokenHashesOf,
  deleteAuthToken,
  deleteAuthTokens,
  deleteExpiredAuthTokens,
  insertAuthToken,
  sessionByTokenHash,
} from './auth-tokens.repository';
import type {
  LoginInput,
  PatchMeInput,
  ProfileView,
  SignupInput,
  UserView,
} from './accounts.schema';
import { decoyHash, hashPassword, PASSWORD_HASH_COST, verifyPassword } from './passwords';
import { readProfile } from './profile';
import type { SessionCache } from './session-cache';
import { TokenCache } from './token-cache';
import { hashToken, newToken } from './tokens';
import { isLocale, type Locale } from '../mail';
import type { RevocationBus } from './revocations';
import { DEVELOPMENT_HMAC_KEY, emailHmac, Vault } from '../vault';

const TOKEN_LIFETIME = { days: 30 };

export function parseRoles(text: string): Role[] {
  return text
    .split(',')
    .filter((role): role is Role => (ROLES as readonly string[]).includes(role));
}

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    country: row.country,
    timezone: row.timezone,
    roles: parseRoles(row.roles),
    ...(row.brandId ? { brandId: row.brandId } : {}),
    autoConvertPoints: Boolean(row.autoConvertPoints),
    emailVerified: row.emailVerifiedAt !== null && row.emailVerifiedAt !== undefined,
    locale: isLocale(row.locale) ? row.locale : 'en',
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

export interface AccountsOptions {
  /** Hear session revocations from other processes; without it (tools, one-off scripts) the in-process cache is never trusted. */
  listensForRevocations?: boolean;
  /** Where members of VAULT_COUNTRIES keep their email (src/vault); none in tools. */
  vault?: Vault;
  /** Runs after each signup commits (the verification mail). */
  onSignup?: (user: UserRow) => Promise<void>;
  /** scrypt's N for new password hashes (PASSWORD_HASH_COST). */
  passwordHashCost?: number;
}

export class AccountsService {
  private readonly tokenCache = new TokenCache();
  /** Without it (tools, one-off scripts) the in-process cache is never trusted. */
  private readonly revocations: RevocationBus | null;
  private readonly signedUp: (user: UserRow) => Promise<void>;
  /** Where members of VAULT_COUNTRIES keep their email (src/vault). */
  private readonly vault: Vault | null;
  private readonly passwordHashCost: number;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly sessions: SessionCache,
    options: AccountsOptions = {},
  ) {
    this.vault = options.vault ?? null;
    this.signedUp = options.onSignup ?? (async () => undefined);
    this.passwordHashCost = options.passwordHashCost ?? PASSWORD_HASH_COST;
    this.revocations = options.listensForRevocations
      ? sessions.listen((message) => {
          if (message.kind === 'token') this.tokenCache.forgetToken(message.tokenHash);
          else if (message.kind === 'user') this.tokenCache.forget(message.userId);
          else this.tokenCache.clear();
        })
      : null;
  }

  async close(): Promise<void> {
    await this.revocations?.close();
  }

  /** A new password's stored hash, at this deployment's cost. */
  hashPassword(password: string): Promise<string> {
    return hashPassword(password, this.passwordHashCost);
  }

  /** The keyed digest accounts are found by (users.email_hmac). */
  emailKey(email: string): string {
    return this.vault ? this.vault.emailHmac(email) : emailHmac(DEVELOPMENT_HMAC_KEY, email);
  }

  /** The user as shown to themselves: a vault member's email is read from the vault (logged). */
  private async viewOf(row: UserRow, purpose: string): Promise<UserView> {
    const member = Vault.memberOf(row.email);
    if (!member || !this.vault) return toUserView(row);
    const email = await this.vault.readEmail(member, { actorId: row.id, purpose });
    return toUserView({ ...row, email: email ?? '' });
  }

  async signup(
    input: SignupInput,
    locale: Locale = 'en',
  ): Promise<{ user: UserView; token: string }> {
    const now = this.clock.now().toJSDate();
    const passwordHash = await this.hashPassword(input.password);
    const userId = newId('usr', now.getTime());
    const brandId = input.accountType === 'brand' ? newId('brd', now.getTime()) : null;
    const session = newToken();
    // A vault member's email goes to the vault first: the main database only ever has its HMAC.
    const vaulted = this.vault?.holds(input.country) ? this.vault : null;
    if (vaulted) await vaulted.putEmail(userId, input.email);
    try {
      // A user, their brand and their first token exist together or not at all.
      const user = await this.db.transaction(async (transaction) => {
        const created = await insertUser(
          this.db,
          {
            id: userId,
            email: vaulted ? Vault.placeholderEmail(userId) : input.email,
            emailHmac: this.emailKey(input.email),
            passwordHash,
            displayName: input.displayName,
            country: input.country,
            timezone: input.timezone ?? 'UTC',
            roles: brandId ? 'member,brand' : 'member',
            brandId,
            autoConvertPoints: false,
            locale: input.locale ?? locale,
            emailVerifiedAt: null,
          },
          transaction,
        );
        if (brandId) {
          await insertBrand(
            this.db,
            { id: brandId, ownerId: userId, name: input.brandName ?? input.displayName },
            transaction,
          );
        }
        await this.storeToken(session.hash, userId, transaction);
        return created;
      });
      await this.cacheSession(session.hash, user);
      await this.signedUp(user);
      return { user: toUserView({ ...user, email: input.email }), token: session.token };
    } catch (error) {
      if (vaulted) await vaulted.forgetEmail(userId).catch(() => undefined);
      if (isDuplicateKey(error)) {
        throw AppError.conflict(
          'email_taken',
          'An account with this e-mail already exists.',
          'email',
        );
      }
      throw error;
    }
  }

  /** Unknown e-mail and wrong password give the same answer after the same work. */
  async login(input: LoginInput): Promise<{ user: UserView; token: string } | null> {
    const user = await this.findByEmail(input.email);
    const matches = await verifyPassword(
      input.password,
      user?.passwordHash ?? (await decoyHash(this.passwordHashCost)),
    );
    if (!user || !matches) return null;
    const session = newToken();
    await this.storeToken(session.hash, user.id);
    await this.cacheSession(session.hash, user);
    return { user: toUserView({ ...user, email: input.email }), token: session.token };
  }

  /** By the email's HMAC; rows from before the HMAC column by the address itself. */
  private findByEmail(email: string): Promise<UserRow | undefined> {
    const address = email.trim().toLowerCase();
    return userByEmail(this.db, this.emailKey(address), address);
  }

  async getUser(userId: string, purpose = 'account_view'): Promise<UserView> {
    const user = await userById(this.db, userId);
    if (!user) throw AppError.notFound('user');
    return this.viewOf(user, purpose);
  }

  /** Anyone's public profile. */
  profile(userId: string): Promise<ProfileView> {
    return readProfile(this.db, userId);
  }

  async updateMe(userId: string, input: PatchMeInput): Promise<UserView> {
    if (Object.values(input).some((value) => value !== undefined)) {
      await updateUser(this.db, userId, input);
      await this.forgetSessions(userId);
    }
    return this.getUser(userId);
  }

  /** Staff roles come only from the command line. */
  async grantRole(email: string, role: Role): Promise<UserView> {
    const user = await this.findByEmail(email);
    if (!user) throw AppError.notFound('user with that e-mail');
    const roles = new Set(parseRoles(user.roles));
    roles.add(role);
    await setRoles(this.db, user.id, [...roles].join(','));
    await this.forgetSessions(user.id);
    return this.getUser(user.id);
  }

  resolveToken(token: string): Promise<AuthContext | null> {
    return this.resolveTokenHash(hashToken(token));
  }

  /** A session by its token's hash: what a credential derived from a session keeps. */
  async resolveTokenHash(tokenHash: string): Promise<AuthContext | null> {
    const now = Date.now();
    const bus = this.revocations;
    if (bus?.isListening) {
      const cached = this.tokenCache.get(tokenHash, now);
      if (cached !== undefined) return cached;
    }
    const generation = bus?.generation;
    // Cached only if no revocation arrived while it was looked up: that one may be this token.
    const remember = (auth: AuthContext | null) => {
      if (bus?.isListening && bus.generation === generation)
        this.tokenCache.set(tokenHash, auth, now);
    };
    const shared = await this.sessions.get(tokenHash);
    if (shared === 'revoked') return null;
    if (shared) {
      remember(shared);
      return shared;
    }
    const found = await this.lookupToken(tokenHash);
    if (found) await this.sessions.put(tokenHash, found.auth, found.expiresAt);
    const auth = found?.auth ?? null;
    remember(auth);
    return auth;
  }

  /** Sign-in puts the session in Redis, where every API process resolves it. */
  private async cacheSession(tokenHash: string, user: UserRow): Promise<void> {
    await this.sessions.put(
      tokenHash,
      {
        userId: user.id,
        roles: new Set(parseRoles(user.roles)),
        brandId: user.brandId,
        country: user.country,
        timezone: user.timezone,
      },
      this.clock.now().plus(TOKEN_LIFETIME).toJSDate(),
    );
  }

  /**
   * After a change to what a session carries (roles, time zone): cached sessions are dropped
   * everywhere. If Redis cannot be reached this fails, so the caller retries rather than
   * leaving stale roles cached.
   */
  private async forgetSessions(userId: string): Promise<void> {
    this.tokenCache.forget(userId);
    await this.sessions.forgetUser(userId);
    await this.sessions.announceUserChange(userId);
  }

  /** Signs out one token: refused at once by every API process (src/accounts/revocations.ts). */
  async logout(userId: string, token: string): Promise<void> {
    const tokenHash = hashToken(token);
    await deleteAuthToken(this.db, tokenHash, userId);
    this.tokenCache.forgetToken(tokenHash);
    await this.sessions.revoke(userId, [tokenHash]);
  }

  /** Signs out every session of the user but `keepToken`'s, in MySQL first, then everywhere. */
  async revokeSessions(userId: string, keepToken?: string, transaction?: Tx): Promise<string[]> {
    const keep = keepToken ? hashToken(keepToken) : null;
    const hashes = await authTokenHashesOf(this.db, userId, keep, transaction);
    if (hashes.length > 0) await deleteAuthTokens(this.db, hashes, transaction);
    return hashes;
  }

  /** After `revokeSessions` committed: the revoked tokens stop working in every process. */
  async announceRevoked(userId: string, hashes: string[]): Promise<void> {
    for (const hash of hashes) this.tokenCache.forgetToken(hash);
    await this.sessions.revoke(userId, hashes);
    await this.forgetSessions(userId);
  }

  private async lookupToken(
    tokenHash: string,
  ): Promise<{ auth: AuthContext; expiresAt: Date } | null> {
    const row = await sessionByTokenHash(this.db, tokenHash, this.clock.now().toJSDate());
    if (!row) return null;
    return {
      auth: {
        userId: row.id,
        roles: new Set(parseRoles(row.roles)),
        brandId: row.brandId,
        country: row.country,
        timezone: row.timezone,
      },
      expiresAt: row.expiresAt,
    };
  }

  async purgeExpiredTokens(): Promise<number> {
    return deleteExpiredAuthTokens(this.db, this.clock.now().toJSDate());
  }

  private async storeToken(tokenHash: string, userId: string, transaction?: Tx) {
    const now = this.clock.now();
    await insertAuthToken(
      this.db,
      {
        tokenHash,
        userId,
        createdAt: now.toJSDate(),
        expiresAt: now.plus(TOKEN_LIFETIME).toJSDate(),
      },
      transaction,
    );
  }
}
