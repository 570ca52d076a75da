import request from 'supertest';
import { hashToken } from '../../../src/accounts/tokens';
import { createApp, createServices } from '../../../src/app';
import { redisKey } from '../../../src/redis/connection';
import { signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await startTestContext();
});

afterAll(async () => {
  await ctx.close();
});

async function staff(role: 'admin' | 'moderator' | 'finance'): Promise<TestUser> {
  const user = await signUp(ctx.app);
  await ctx.services.accounts.grantRole(user.email, role);
  return user;
}

/** An admin's pass, as the console asks for it: the Set-Cookie line and the cookie itself. */
async function passOf(user: TestUser): Promise<{ setCookie: string; cookie: string }> {
  const res = await request(ctx.app).post('/v1/admin/queue-dashboard/passes').set(user.auth);
  expect(res.status).toBe(201);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0] ?? '';
  return { setCookie, cookie: setCookie.split(';')[0]! };
}

const board = (cookie: string, path = '/admin/queues/api/queues') =>
  request(ctx.app).get(path).set('Cookie', cookie);

test('an admin trades their session for an HttpOnly, Secure, SameSite=Strict cookie on /admin that opens the dashboard', async () => {
  const admin = await staff('admin');
  const res = await request(ctx.app).post('/v1/admin/queue-dashboard/passes').set(admin.auth);
  expect(res.status).toBe(201);
  expect(res.body.url).toBe('/admin/queues');
  const hoursLeft = (Date.parse(res.body.expiresAt) - Date.now()) / 3600_000;
  expect(hoursLeft).toBeGreaterThan(7.9);
  expect(hoursLeft).toBeLessThanOrEqual(8);

  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  expect(setCookie).toHaveLength(1);
  const attributes = setCookie[0]!.split(';').map((part) => part.trim());
  expect(attributes[0]).toMatch(/^cs_admin_pass=cs_[A-Za-z0-9_-]{43}$/);
  expect(attributes.slice(1).sort()).toEqual(
    ['HttpOnly', 'Max-Age=28800', 'Path=/admin', 'SameSite=Strict', 'Secure'].sort(),
  );
  // Only the pass's hash is kept, for the pass's lifetime.
  const pass = attributes[0]!.slice('cs_admin_pass='.length);
  const ttl = await ctx.redis.ttl(
    redisKey(ctx.config.REDIS_PREFIX, 'dashboard-pass', hashToken(pass)),
  );
  expect(ttl).toBeGreaterThan(28_700);
  expect(ttl).toBeLessThanOrEqual(28_800);

  // The page, its API calls and its static files all take the cookie alone, with no Bearer.
  const page = await board(attributes[0]!, '/admin/queues');
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toMatch(/text\/html/);
  const queues = await board(attributes[0]!);
  expect(queues.status).toBe(200);
  expect(JSON.stringify(queues.body)).toMatch(/orders/);
});

test('members, brands, moderators and finance get no pass, and anonymous callers neither', async () => {
  for (const user of [
    await signUp(ctx.app),
    await signUpBrand(ctx.app),
    await staff('moderator'),
    await staff('finance'),
  ]) {
    const res = await request(ctx.app).post('/v1/admin/queue-dashboard/passes').set(user.auth);
    expect(res.status).toBe(403);
    expect(res.body.error.type).toBe('permission');
    expect(res.headers['set-cookie']).toBeUndefined();
  }
  const anonymous = await request(ctx.app).post('/v1/admin/queue-dashboard/passes');
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers['set-cookie']).toBeUndefined();
});

test('a session token, a made-up pass or a malformed cookie in its place opens nothing', async () => {
  const admin = await staff('admin');
  const member = await signUp(ctx.app);
  const forged = `cs_${'A'.repeat(43)}`;
  for (const cookie of [
    `cs_admin_pass=${admin.token}`,
    `cs_admin_pass=${member.token}`,
    `cs_admin_pass=${forged}`,
    'cs_admin_pass=',
    `cs_session=${admin.token}`,
  ]) {
    const res = await board(cookie);
    expect(res.status).toBe(401);
    expect(res.body.error.type).toBe('authentication');
  }
});

test('the pass is no bearer token: it opens nothing under /v1', async () => {
  const { cookie } = await passOf(await staff('admin'));
  const pass = cookie.slice('cs_admin_pass='.length);
  expect((await request(ctx.app).get('/v1/me').set('Cookie', cookie)).status).toBe(401);
  const asBearer = await request(ctx.app).get('/v1/me').set('Authorization', `Bearer ${pass}`);
  expect(asBearer.status).toBe(401);
  const asBearerOnBoard = await request(ctx.app)
    .get('/admin/queues/api/queues')
    .set('Authorization', `Bearer ${pass}`);
  expect(asBearerOnBoard.status).toBe(401);
});

test('signing out closes the dashboard at once; the other session’s pass still works', async () => {
  const admin = await staff('admin');
  const first = await passOf(admin);
  const second = await request(ctx.app)
    .post('/v1/auth/login')
    .send({ email: admin.email, password: 'correct horse battery' });
  const other = await passOf({ ...admin, auth: { Authorization: `Bearer ${second.body.token}` } });
  expect((await board(first.cookie)).status).toBe(200);

  expect((await request(ctx.app).post('/v1/auth/logout').set(admin.auth)).status).toBe(204);
  const after = await board(first.cookie);
  expect(after.status).toBe(401);
  expect(after.body.error.message).toMatch(/signed out/);
  expect((await board(other.cookie)).status).toBe(200);
});

test('a pass of an expired session opens nothing', async () => {
  const admin = await staff('admin');
  const { cookie } = await passOf(admin);
  expect((await board(cookie)).status).toBe(200);
  // What a session's end looks like to the service: its row is past expiry and the Redis copy,
  // kept no longer than the session, is gone.
  const tokenHash = hashToken(admin.token);
  await ctx.db.query(
    'UPDATE auth_tokens SET expires_at = NOW() - INTERVAL 1 MINUTE WHERE token_hash = ?',
    [tokenHash],
  );
  await ctx.redis.del(redisKey(ctx.config.REDIS_PREFIX, 'session', tokenHash));
  // Another API process (no in-process cache of this one's) resolves it afresh.
  const services = createServices(ctx.deps);
  try {
    const res = await request(createApp(ctx.deps, services))
      .get('/admin/queues/api/queues')
      .set('Cookie', cookie);
    expect(res.status).toBe(401);
  } finally {
    await services.accounts.close();
  }
});

test('requests another site starts are refused even with the pass; the dashboard’s own go through', async () => {
  const { cookie } = await passOf(await staff('admin'));
  const queues = await board(cookie);
  const name = (queues.body.queues as { name: string }[])[0]!.name;
  const clean = `/admin/queues/api/queues/${encodeURIComponent(name)}/clean/completed`;

  const fromElsewhere = await request(ctx.app)
    .put(clean)
    .set('Cookie', cookie)
    .set('Origin', 'https://evil.example')
    .set('Sec-Fetch-Site', 'cross-site');
  expect(fromElsewhere.status).toBe(403);
  const otherOrigin = await request(ctx.app)
    .put(clean)
    .set('Cookie', cookie)
    .set('Origin', 'https://evil.example');
  expect(otherOrigin.status).toBe(403);

  const ownPage = await request(ctx.app)
    .put(clean)
    .set('Cookie', cookie)
    .set('Host', 'shop.example')
    .set('Origin', 'https://shop.example')
    .set('Sec-Fetch-Site', 'same-origin');
  expect(ownPage.status).toBe(200);
});
