import type { AuthContext } from '../http/auth-context';

interface Entry {
  auth: AuthContext | null;
  until: number;
}

/**
 * A short-lived, bounded in-process cache of resolved tokens, so hot endpoints (a drop's
 * opening burst) do not pay a MySQL round trip per request. A role granted from the CLI
 * shows within `ttlMs`. Unknown tokens are cached too, so a flood of bad tokens cannot
 * reach MySQL more than once per TTL each.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 50_000,
  ) {}

  get(tokenHash: string, now: number): AuthContext | null | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry.auth;
  }

  set(tokenHash: string, auth: AuthContext | null, now: number): void {
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(tokenHash, { auth, until: now + this.ttlMs });
  }

  forgetToken(tokenHash: string): void {
    this.entries.delete(tokenHash);
  }

  clear(): void {
    this.entries.clear();
  }

  forget(userId: string): void {
    for (const [hash, entry] of this.entries)
      if (entry.auth?.userId === userId) this.entries.delete(hash);
  }
}
