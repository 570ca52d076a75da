import type { AuthContext, Role } from '../http/auth-context';
import { redisKey, type Redis } from '../redis/connection';
import { RevocationChannel } from './revocation-channel';
import { formatMessage, RevocationBus, type RevocationMessage } from './revocations';

/** How long a session stays in Redis after sign-in; past that it is read from MySQL again. */
const TTL_SECONDS = 24 * 3600;
/** A revoked token's key holds this for a while, so a lookup that raced the revocation cannot
 * put the session back (`put` only writes an absent key). */
const REVOKED = 'revoked';
const REVOKED_TTL_SECONDS = 300;

interface Stored {
  u: string;
  r: Role[];
  b: string | null;
  c: string;
  t: string;
}

/**
 * Signed-in sessions in Redis, written at sign-in, so every API process resolves a bearer token
 * with one Redis read instead of a MySQL join: a drop's opening burst comes from members who
 * signed in earlier. MySQL stays the source of truth; a miss (or Redis down) reads it there.
 * A member's sessions are listed under their id, so a role or time-zone change drops them all.
 */
export class SessionCache {
  private readonly revocations: RevocationChannel;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.revocations = new RevocationChannel(redis, prefix);
  }

  private key(tokenHash: string) {
    return redisKey(this.prefix, 'session', tokenHash);
  }

  private userKey(userId: string) {
    return redisKey(this.prefix, 'user-sessions', userId);
  }

  /** The session, null if Redis does not hold it or cannot be read, 'revoked' if signed out. */
  async get(tokenHash: string): Promise<AuthContext | null | 'revoked'> {
    let text: string | null;
    try {
      text = await this.redis.get(this.key(tokenHash));
    } catch {
      return null;
    }
    if (!text) return null;
    if (text === REVOKED) return 'revoked';
    const stored = JSON.parse(text) as Stored;
    return {
      userId: stored.u,
      roles: new Set(stored.r),
      brandId: stored.b,
      country: stored.c,
      timezone: stored.t,
    };
  }

  /** Best effort: a session Redis did not take is read from MySQL on its first use. */
  async put(tokenHash: string, auth: AuthContext, expiresAt: Date): Promise<void> {
    const seconds = Math.min(TTL_SECONDS, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
    if (seconds <= 0) return;
    const stored: Stored = {
      u: auth.userId,
      r: [...auth.roles],
      b: auth.brandId,
      c: auth.country,
      t: auth.timezone,
    };
    try {
      // Listed under the user before it can be read, so forgetUser always finds it. Two steps,
      // each on one key: the two keys hash to different slots of a Redis Cluster.
      await this.redis
        .multi()
        .sadd(this.userKey(auth.userId), tokenHash)
        .expire(this.userKey(auth.userId), TTL_SECONDS)
        .exec();
      await this.redis.set(this.key(tokenHash), JSON.stringify(stored), 'EX', seconds, 'NX');
    } catch {
      // Redis down: MySQL still answers.
    }
  }

  /** Drops every cached session of the user (roles or time zone changed). */
  async forgetUser(userId: string): Promise<void> {
    const hashes = await this.redis.smembers(this.userKey(userId));
    // One key per DEL: on a Redis Cluster the keys live in different slots.
    await Promise.all(
      [this.userKey(userId), ...hashes.map((hash) => this.key(hash))].map((key) =>
        this.redis.del(key),
      ),
    );
  }

  /**
   * Marks the tokens revoked (their MySQL rows already gone) and tells every API process to
   * drop them from its in-process cache. Fails if Redis cannot be reached, so the caller
   * answers an error rather than a sign-out that other processes might not have seen.
   */
  async revoke(userId: string, tokenHashes: readonly string[]): Promise<void> {
    await Promise.all(
      tokenHashes.map((hash) => this.redis.set(this.key(hash), REVOKED, 'EX', REVOKED_TTL_SECONDS)),
    );
    if (tokenHashes.length > 0) await this.redis.srem(this.userKey(userId), ...tokenHashes);
    await this.revocations.publish(
      tokenHashes.map((tokenHash) => formatMessage({ kind: 'token', tokenHash })),
    );
  }

  /** Tells every API process to drop the user's sessions from its in-process cache. */
  async announceUserChange(userId: string): Promise<void> {
    await this.revocations.publish([formatMessage({ kind: 'user', userId })]);
  }

  /** Listens for revocations, on a connection of its own (it only subscribes). */
  listen(onRevoked: (message: RevocationMessage) => void): RevocationBus {
    return new RevocationBus(this.revocations, onRevoked);
  }
}
