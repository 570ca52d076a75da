import type { Clock } from '../clock';
import type { AuthContext } from '../http/auth-context';
import { hashToken, newToken } from '../accounts';
import { redisKey, type Redis } from '../redis/connection';

/** The cookie a browser carries to the queue dashboard, and the only path it is sent to. */
export const DASHBOARD_PASS_COOKIE = 'cs_admin_pass';
export const DASHBOARD_PASS_PATH = '/admin';
/** A working day; the admin opens the dashboard again from the console after that. */
const LIFETIME_SECONDS = 8 * 3600;
const PASS_SHAPE = /^cs_[A-Za-z0-9_-]{43}$/;

export interface DashboardPass {
  pass: string;
  expiresAt: Date;
  maxAgeSeconds: number;
}

/**
 * Browser access to /admin: the dashboard's own scripts cannot add a Bearer header, so a signed-in
 * admin trades their session for a pass kept in an HttpOnly cookie. The pass names the session it
 * came from and is worth only what that session is worth when it is used: signing out, an
 * expired session or a lost admin role closes the dashboard at once. Only the pass's hash is
 * stored, and it opens nothing under /v1.
 */
export class DashboardPasses {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly clock: Clock,
    private readonly resolveSession: (tokenHash: string) => Promise<AuthContext | null>,
  ) {}

  private key(passHash: string): string {
    return redisKey(this.prefix, 'dashboard-pass', passHash);
  }

  async issue(sessionToken: string): Promise<DashboardPass> {
    const { token, hash } = newToken();
    await this.redis.set(this.key(hash), hashToken(sessionToken), 'EX', LIFETIME_SECONDS);
    return {
      pass: token,
      expiresAt: this.clock.now().plus({ seconds: LIFETIME_SECONDS }).toJSDate(),
      maxAgeSeconds: LIFETIME_SECONDS,
    };
  }

  /** Who the pass lets in now, or null (unknown, expired, or its session is gone). */
  async resolve(pass: string): Promise<AuthContext | null> {
    if (!PASS_SHAPE.test(pass)) return null;
    const sessionHash = await this.redis.get(this.key(hashToken(pass)));
    return sessionHash ? this.resolveSession(sessionHash) : null;
  }
}

/**
 * `Secure` always: browsers keep it over https and on http://localhost or 127.0.0.1 (a
 * trustworthy origin), so development works while the pass never crosses a network in clear.
 * `SameSite=Strict`: no other site can make the browser send it (the dashboard's buttons retry
 * and delete jobs).
 */
export function passCookie({ pass, maxAgeSeconds }: DashboardPass): string {
  return [
    `${DASHBOARD_PASS_COOKIE}=${pass}`,
    `Path=${DASHBOARD_PASS_PATH}`,
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'Secure',
    'SameSite=Strict',
  ].join('; ');
}

/** The pass in a Cookie header, if any. */
export function passFromCookies(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === DASHBOARD_PASS_COOKIE)
      return part.slice(separator + 1).trim();
  }
  return undefined;
}
