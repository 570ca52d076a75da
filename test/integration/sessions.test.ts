import type { App } from '../../src/http/front-door';
import request from 'supertest';
import { AccountsService } from '../../src/accounts/accounts.service';
import { SessionCache } from '../../src/accounts/session-cache';
import { hashToken } from '../../src/accounts/tokens';
import { createApp, createServices } from '../../src/app';
import { execute } from '../../src/db/sql';
import { Redis } from 'ioredis';
import { signUp } from '../support/fixtures';
import { useTestApp } from '../support/test-app';

const ctx = useTestApp();

const sessionKey = (token: string) => `${ctx.config.REDIS_PREFIX}:session:${hashToken(token)}`;

/** Another API process: same MySQL and Redis, its own in-process token cache. */
function anotherProcess(): App {
  return createApp(ctx.deps, createServices(ctx.deps));
}

describe('signed-in sessions shared through Redis', () => {
  test('signup and login put the session in Redis with the roles and zone it resolves to', async () => {
    const user = await signUp(ctx.app, { timezone: 'America/Sao_Paulo' });
    const stored = JSON.parse((await ctx.redis.get(sessionKey(user.token)))!);
    expect(stored).toEqual({
      u: user.id,
      r: ['member'],
      b: null,
      c: 'JP',
      t: 'America/Sao_Paulo',
    });
    const ttl = await ctx.redis.ttl(sessionKey(user.token));
    expect(ttl).toBeGreaterThan(23 * 3600);
    expect(ttl).toBeLessThanOrEqual(24 * 3600);

    const login = await request(ctx.app)
      .post('/v1/auth/login')
      .send({ email: user.email, password: 'correct horse battery' });
    expect(await ctx.redis.exists(sessionKey(login.body.token))).toBe(1);
  });

  test('another process resolves the token from Redis without reading MySQL', async () => {
    const user = await signUp(ctx.app);
    // With the MySQL row gone, only the Redis session can sign this request in.
    await execute(ctx.db, 'DELETE FROM auth_tokens WHERE token_hash = ?', [hashToken(user.token)]);
    const res = await request(anotherProcess()).get('/v1/me').set(user.auth);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(user.id);
  });

  test('a session missing from Redis is read from MySQL and cached for the next process', async () => {
    const user = await signUp(ctx.app);
    await ctx.redis.del(sessionKey(user.token));
    const res = await request(anotherProcess()).get('/v1/me').set(user.auth);
    expect(res.status).toBe(200);
    expect(await ctx.redis.exists(sessionKey(user.token))).toBe(1);
  });

  test('a role granted drops every cached session of the user; the next request sees the role', async () => {
    const user = await signUp(ctx.app);
    const second = await request(ctx.app)
      .post('/v1/auth/login')
      .send({ email: user.email, password: 'correct horse battery' });
    const other = anotherProcess();
    expect((await request(other).get('/v1/moderation/notes').set(user.auth)).status).toBe(403);

    await ctx.services.accounts.grantRole(user.email, 'moderator');
    expect(await ctx.redis.exists(sessionKey(user.token))).toBe(0);
    expect(await ctx.redis.exists(sessionKey(second.body.token))).toBe(0);
    // A process that never cached the token reads the new roles.
    const fresh = anotherProcess();
    expect((await request(fresh).get('/v1/moderation/notes').set(user.auth)).status).toBe(200);
    const me = await request(fresh)
      .get('/v1/me')
      .set('Authorization', `Bearer ${second.body.token}`);
    expect(me.body.roles).toEqual(['member', 'moderator']);
  });

  test('changing the time zone drops cached sessions, so the zone in every session is current', async () => {
    const user = await signUp(ctx.app, { timezone: 'Asia/Tokyo' });
    const patched = await request(ctx.app)
      .patch('/v1/me')
      .set(user.auth)
      .send({ timezone: 'Europe/Lisbon' });
    expect(patched.status).toBe(200);
    expect(await ctx.redis.exists(sessionKey(user.token))).toBe(0);
    await request(anotherProcess()).get('/v1/me').set(user.auth);
    expect(JSON.parse((await ctx.redis.get(sessionKey(user.token)))!).t).toBe('Europe/Lisbon');
  });

  test('an unknown token is refused and nothing is cached for it in Redis', async () => {
    const token = `cs_${'x'.repeat(43)}`;
    const res = await request(ctx.app).get('/v1/me').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(await ctx.redis.exists(sessionKey(token))).toBe(0);
  });

  test('with Redis unreachable, tokens still resolve from MySQL', async () => {
    const user = await signUp(ctx.app);
    // Nothing listens on port 1; the client never connects and every command fails at once.
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    try {
      const accounts = new AccountsService(
        ctx.db,
        ctx.clock,
        new SessionCache(dead, ctx.config.REDIS_PREFIX),
      );
      const auth = await accounts.resolveToken(user.token);
      expect(auth?.userId).toBe(user.id);
    } finally {
      dead.disconnect();
    }
  });
});
