import request from 'supertest';
import { selectOne, selectRows } from '../../src/db/sql';
import { signUp } from '../support/fixtures';
import { startTestContext, type TestContext } from '../support/harness';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await startTestContext({ env: { RATE_LIMIT_SCALE: '1' } });
});

afterAll(async () => {
  await ctx.close();
});

const login = (email: string, password: string, ip = '10.0.0.1') =>
  request(ctx.app).post('/v1/auth/login').set('X-Forwarded-For', ip).send({ email, password });

describe('sign-in', () => {
  test('login returns a working token; e-mail is case-insensitive', async () => {
    const user = await signUp(ctx.app);
    const res = await login(user.email.toUpperCase(), 'correct horse battery');
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(user.id);
    const me = await request(ctx.app)
      .get('/v1/me')
      .set('Authorization', `Bearer ${res.body.token}`);
    expect(me.body.email).toBe(user.email);
  });

  test('a wrong password and an unknown e-mail get the very same answer', async () => {
    const user = await signUp(ctx.app);
    const wrong = await login(user.email, 'not the password', '10.0.0.2');
    const unknown = await login('nobody-at-all@example.com', 'not the password', '10.0.0.2');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error).toMatchObject({ type: 'authentication', code: 'invalid_credentials' });
  });

  test('a duplicate e-mail is a 409', async () => {
    const user = await signUp(ctx.app);
    const res = await request(ctx.app).post('/v1/auth/signup').send({
      email: user.email,
      password: 'another long one',
      displayName: 'Dup',
      country: 'JP',
      accountType: 'member',
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ type: 'conflict', code: 'email_taken', param: 'email' });
  });

  test('roles cannot be chosen at signup; brands must name their brand', async () => {
    const base = {
      email: 'roles@example.com',
      password: 'long enough pass',
      displayName: 'R',
      country: 'JP',
    };
    const admin = await request(ctx.app)
      .post('/v1/auth/signup')
      .send({ ...base, accountType: 'member', roles: ['admin'] });
    expect(admin.status).toBe(400);
    const staff = await request(ctx.app)
      .post('/v1/auth/signup')
      .send({ ...base, accountType: 'admin' });
    expect(staff.body.error.param).toBe('accountType');
    const brand = await request(ctx.app)
      .post('/v1/auth/signup')
      .send({ ...base, accountType: 'brand' });
    expect(brand.body.error.param).toBe('brandName');
  });

  test('missing, garbage and malformed tokens are 401', async () => {
    expect((await request(ctx.app).get('/v1/me')).status).toBe(401);
    const garbage = await request(ctx.app)
      .get('/v1/me')
      .set('Authorization', 'Bearer cs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(garbage.status).toBe(401);
    expect(garbage.body.error.type).toBe('authentication');
    expect(
      (await request(ctx.app).get('/v1/me').set('Authorization', 'Basic dXNlcjpwYXNz')).status,
    ).toBe(401);
    expect(
      (await request(ctx.app).get('/v1/listings').set('Authorization', 'Bearer nope')).status,
    ).toBe(401);
  });

  test('tokens and passwords are stored only as hashes', async () => {
    const user = await signUp(ctx.app);
    const tokens = await selectRows<{ tokenHash: string }>(
      ctx.sequelize,
      'SELECT token_hash AS tokenHash FROM auth_tokens WHERE user_id = ?',
      [user.id],
    );
    expect(tokens.length).toBeGreaterThan(0);
    for (const row of tokens) expect(row.tokenHash).not.toContain(user.token.slice(3, 20));
    const stored = await selectOne<{ hash: string }>(
      ctx.sequelize,
      'SELECT password_hash AS hash FROM users WHERE id = ?',
      [user.id],
    );
    expect(stored!.hash).toMatch(/^scrypt\$/);
    expect(stored!.hash).not.toContain('correct horse');
  });
});

describe('the signed-in user', () => {
  test('PATCH /v1/me changes display name, time zone and auto-conversion', async () => {
    const user = await signUp(ctx.app);
    const res = await request(ctx.app)
      .patch('/v1/me')
      .set(user.auth)
      .send({ displayName: 'Mei K.', timezone: 'Europe/Paris', autoConvertPoints: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      displayName: 'Mei K.',
      timezone: 'Europe/Paris',
      autoConvertPoints: true,
    });
    const bad = await request(ctx.app)
      .patch('/v1/me')
      .set(user.auth)
      .send({ timezone: 'Europe/Atlantis' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('timezone');
    const unknown = await request(ctx.app)
      .patch('/v1/me')
      .set(user.auth)
      .send({ email: 'new@example.com' });
    expect(unknown.status).toBe(400);
  });

  test('a granted staff role shows on /v1/me', async () => {
    const user = await signUp(ctx.app);
    await ctx.services.accounts.grantRole(user.email, 'finance');
    const me = await request(ctx.app).get('/v1/me').set(user.auth);
    expect(me.body.roles).toEqual(['member', 'finance']);
  });
});

describe('login rate limits (Redis-backed)', () => {
  test('after 10 wrong passwords an e-mail is locked for a while, even with the right password; others are not', async () => {
    const victim = await signUp(ctx.app);
    const bystander = await signUp(ctx.app);
    for (let i = 0; i < 10; i += 1)
      expect((await login(victim.email, `wrong ${i}`, `10.1.0.${i}`)).status).toBe(401);
    const locked = await login(victim.email, 'correct horse battery', '10.1.1.1');
    expect(locked.status).toBe(429);
    expect(locked.body.error.type).toBe('rate_limited');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(bystander.email, 'correct horse battery', '10.1.1.1')).status).toBe(200);
  });

  test('one address gets 60 login attempts a minute', async () => {
    const user = await signUp(ctx.app);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i += 1)
      statuses.push((await login(user.email, 'correct horse battery', '10.9.9.9')).status);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses[60]).toBe(429);
  });
});
