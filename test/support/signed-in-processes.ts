import type { Cluster, Redis } from 'ioredis';
import { hashToken } from '../../src/accounts/tokens';
import type { Db } from '../../src/db/db';
import { execute } from '../../src/db/sql';
import { callJson, type E2eServices } from './e2e';

export const PASSWORD = 'signed-in-password';

/**
 * One member signed in to API processes a test started (E2eServices), with what it takes to
 * see a process's in-process token cache: the database and Redis the processes share.
 */
export class SignedInProcesses {
  constructor(
    private readonly services: E2eServices,
    private readonly db: Db,
    private readonly redis: Redis | Cluster,
    readonly email: string,
  ) {}

  async signUp(api: string): Promise<void> {
    const signup = await callJson(`${api}/v1/auth/signup`, 'POST', null, {
      email: this.email,
      password: PASSWORD,
      displayName: 'Signed in',
      country: 'JP',
      accountType: 'member',
    });
    if (signup.status !== 201) throw new Error(`signup answered ${signup.status}`);
  }

  async signIn(api: string): Promise<string> {
    const login = await callJson<{ token: string }>(`${api}/v1/auth/login`, 'POST', null, {
      email: this.email,
      password: PASSWORD,
    });
    if (login.status !== 200) throw new Error(`login answered ${login.status}`);
    return login.body.token;
  }

  /** The status GET /v1/me answers with `token`. */
  async me(api: string, token: string): Promise<number> {
    const res = await fetch(`${api}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    return res.status;
  }

  async logout(api: string, token: string): Promise<number> {
    const res = await fetch(`${api}/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    await res.arrayBuffer();
    return res.status;
  }

  /**
   * True when `api` answers a token from its in-process cache: the token's MySQL row and Redis
   * session are removed behind its back, so only that cache can still sign it in. A process
   * trusts its cache only while its revocation subscription is up.
   */
  async servesFromItsCache(api: string): Promise<boolean> {
    const token = await this.signIn(api);
    if ((await this.me(api, token)) !== 200) return false;
    await execute(this.db, 'DELETE FROM auth_tokens WHERE token_hash = ?', [hashToken(token)]);
    await this.redis.del(`${this.services.env.REDIS_PREFIX}:session:${hashToken(token)}`);
    return (await this.me(api, token)) === 200;
  }
}
