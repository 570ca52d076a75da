import request from 'supertest';
import { selectOne, selectRows } from '../../../src/db/sql';
import { LIMITS } from '../../../src/http/rate-limit';
import { signUp } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const ctx = useTestApp({ env: { RATE_LIMIT_SCALE: '1' } });

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
    expect(admin.body.error).toMatchObject({ type: 'invalid_request', param: 'roles' });
    const count = await selectOne<{ n: number }>(
      ctx.db,
      "SELECT COUNT(*) AS n FROM users WHERE email = 'roles@example.com'",
    );
    expect(Number(count!.n)).toBe(0);
    const staff = await request(ctx.app)
      .post('/v1/auth/signup')
      .send({ ...base, accountType: 'admin' });
    expect(staff.body.error.param).toBe('accountType');
    const brand = await request(ctx.app)
      .post('/v1/auth/signup')
      .send({ ...base, accountType: 'brand' });
    expect(brand.body.error.param).toBe('brandName');
  });

  test('the Bearer scheme is case-insensitive', async () => {
    const user = await signUp(ctx.app);
    const me = await request(ctx.app).get('/v1/me').set('Authorization', `bearer ${user.token}`);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(user.id);
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
    const login = await request(ctx.app)
      .post('/v1/auth/login')
      .send({ email: user.email, password: 'correct horse battery' });
    const tokens = [user.token, login.body.token as string];
    const rows = await selectRows<Record<string, unknown>>(
      ctx.db,
      'SELECT * FROM auth_tokens WHERE user_id = ?',
      [user.id],
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      for (const value of Object.values(row))
        for (const token of tokens) {
          expect(String(value)).not.toBe(token);
          expect(String(value)).not.toContain(token.slice(3, 20));
        }
    }
    const stored = await selectOne<{ hash: string }>(
      ctx.db,
      'SELECT password_hash AS hash FROM users WHERE id = ?',
      [user.id],
    );
    expect(stored!.hash).toMatch(/^scrypt\$/);
    expect(stored!.hash).not.toContain('correct horse');
    const everything = await ctx.db.query('SELECT * FROM users WHERE id = ?', [user.id]);
    expect(JSON.stringify(everything)).not.toContain('correct horse');
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
      .send({ displayName: 'Sneaky', email: 'new@example.com' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ type: 'invalid_request', param: 'email' });
    const roles = await request(ctx.app)
      .patch('/v1/me')
      .set(user.auth)
      .send({ roles: ['admin'] });
    expect(roles.body.error.param).toBe('roles');
    const me = await request(ctx.app).get('/v1/me').set(user.auth);
    expect(me.body).toMatchObject({
      email: user.email,
      displayName: 'Mei K.',
      timezone: 'Europe/Paris',
      roles: ['member'],
    });
  });

  test('a granted staff role shows on /v1/me', async () => {
    const user = await signUp(ctx.app);
    await ctx.services.accounts.grantRole(user.email, 'finance');
    const me = await request(ctx.app).get('/v1/me').set(user.auth);
    expect(me.body.roles).toEqual(['member', 'finance']);
  });
});

describe('login rate limits (Redis-backed)', () => {
  const perAddress = LIMITS.loginFailuresPerAddress.points;
  const perEmail = LIMITS.loginFailuresPerEmail.points;

  test('10 wrong passwords from one address lock that address out for the e-mail; the owner elsewhere signs in', async () => {
    const victim = await signUp(ctx.app);
    const bystander = await signUp(ctx.app);
    for (let i = 0; i < perAddress; i += 1)
      expect((await login(victim.email, `wrong ${i}`, '10.1.0.1')).status).toBe(401);
    const eleventh = await login(victim.email, 'wrong 10', '10.1.0.1');
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error).toMatchObject({ type: 'rate_limited', code: 'rate_limited' });
    const retryAfter = Number(eleventh.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Even the right password waits at the guessing address...
    const locked = await login(victim.email.toUpperCase(), 'correct horse battery', '10.1.0.1');
    expect(locked.status).toBe(429);
    // ...but the stranger cannot deny the owner, who signs in from another address.
    const owner = await login(victim.email, 'correct horse battery', '10.1.1.1');
    expect(owner.status).toBe(200);
    expect((await login(bystander.email, 'correct horse battery', '10.1.0.1')).status).toBe(200);
  });

  test('guesses spread over many addresses stop at the per-e-mail allowance; the owner at a known address still signs in', async () => {
    const victim = await signUp(ctx.app);
    // The owner has signed in from home before the attack.
    expect((await login(victim.email, 'correct horse battery', '10.2.9.9')).status).toBe(200);
    for (let i = 0; i < perEmail; i += 1)
      expect((await login(victim.email, `wrong ${i}`, `10.2.${i >> 8}.${i & 255}`)).status).toBe(
        401,
      );
    // A fresh address is refused before its password is even checked, right or wrong.
    expect((await login(victim.email, 'wrong again', '10.2.8.1')).status).toBe(429);
    expect((await login(victim.email, 'correct horse battery', '10.2.8.2')).status).toBe(429);
    // The owner's own address: the right password works, a typo is a plain 401.
    expect((await login(victim.email, 'correct horse battery', '10.2.9.9')).status).toBe(200);
    expect((await login(victim.email, 'typo', '10.2.9.9')).status).toBe(401);
    expect((await login(victim.email, 'correct horse battery', '10.2.9.9')).status).toBe(200);
  });

  test('30 wrong passwords sent at once from one address: at most 10 are checked, the rest are 429', async () => {
    const victim = await signUp(ctx.app);
    const server = ctx.app.listen(0);
    try {
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          request(server)
            .post('/v1/auth/login')
            .set('X-Forwarded-For', '10.3.0.1')
            .send({ email: victim.email, password: `guess ${i}` }),
        ),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(perAddress);
      expect(statuses.filter((s) => s === 429)).toHaveLength(30 - perAddress);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('wrong passwords sent at once from many addresses: at most the per-e-mail allowance is checked', async () => {
    const victim = await signUp(ctx.app);
    const server = ctx.app.listen(0);
    try {
      const answers = await Promise.all(
        Array.from({ length: perEmail + 10 }, (_, i) =>
          request(server)
            .post('/v1/auth/login')
            .set('X-Forwarded-For', `10.5.${i >> 8}.${i & 255}`)
            .send({ email: victim.email, password: `guess ${i}` }),
        ),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(perEmail);
      expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);

  test('successful logins do not use up the wrong-password allowance', async () => {
    const user = await signUp(ctx.app);
    for (let i = 0; i < perAddress - 1; i += 1)
      expect((await login(user.email, `wrong ${i}`, '10.4.0.1')).status).toBe(401);
    for (let i = 0; i < 5; i += 1)
      expect((await login(user.email, 'correct horse battery', '10.4.0.1')).status).toBe(200);
    expect((await login(user.email, 'wrong 9', '10.4.0.1')).status).toBe(401);
    expect((await login(user.email, 'correct horse battery', '10.4.0.1')).status).toBe(429);
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
