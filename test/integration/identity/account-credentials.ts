import type { App } from '../../../src/http/front-door';
import request from 'supertest';
import { SEND_PASSWORD_RESET } from '../../../src/accounts/credentials.service';
import { createApp, createServices, type Services } from '../../../src/app';
import { selectRows } from '../../../src/db/sql';
import { signUp, until } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const ctx = useTestApp({ env: { PUBLIC_URL: 'https://stall.example' }, workers: true });
const others: Services[] = [];

afterAll(async () => {
  await Promise.all(others.map((services) => services.accounts.close()));
});

/** Another API process: same MySQL and Redis, its own in-process token cache. */
async function anotherProcess(): Promise<App> {
  const services = createServices(ctx.deps);
  others.push(services);
  await until('the revocation subscription', async () => listening(services));
  return createApp(ctx.deps, services);
}

function listening(services: Services): boolean {
  return (services.accounts as unknown as { revocations: { isListening: boolean } }).revocations
    .isListening;
}

interface OutboxRow {
  kind: string;
  subject: string;
  textBody: string;
  toAddress: string;
}

function mailsTo(email: string): Promise<OutboxRow[]> {
  return selectRows<OutboxRow>(
    ctx.db,
    `SELECT kind, subject, text_body AS textBody, to_address AS toAddress
       FROM mail_outbox WHERE to_address = ? ORDER BY id`,
    [email],
  );
}

function tokenIn(text: string, page: string): string {
  const match = new RegExp(`https://stall\\.example/${page}\\?token=([A-Za-z0-9_-]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${page} link in: ${text}`);
  return match[1];
}

describe('logout', () => {
  test('a token signed out in one process is refused at once by another that cached it', async () => {
    await until('the revocation subscription', async () => listening(ctx.services));
    const other = await anotherProcess();
    const user = await signUp(ctx.app);
    // Both processes have the token in their in-process cache (a few seconds long).
    for (const app of [ctx.app, other, ctx.app, other])
      expect((await request(app).get('/v1/me').set(user.auth)).status).toBe(200);

    expect((await request(ctx.app).post('/v1/auth/logout').set(user.auth)).status).toBe(204);

    const there = await request(other).get('/v1/me').set(user.auth);
    expect(there.status).toBe(401);
    expect(there.body.error.type).toBe('authentication');
    expect((await request(ctx.app).get('/v1/me').set(user.auth)).status).toBe(401);
  });

  test('signing out one token leaves the same member signed in elsewhere', async () => {
    const user = await signUp(ctx.app);
    const login = await request(ctx.app)
      .post('/v1/auth/login')
      .send({ email: user.email, password: 'correct horse battery' });
    expect((await request(ctx.app).post('/v1/auth/logout').set(user.auth)).status).toBe(204);
    const me = await request(ctx.app)
      .get('/v1/me')
      .set('Authorization', `Bearer ${login.body.token}`);
    expect(me.status).toBe(200);
  });
});

describe('changing the password', () => {
  test('signs out every other session, keeps this one, and needs the current password', async () => {
    const other = await anotherProcess();
    const user = await signUp(ctx.app);
    const second = await request(ctx.app)
      .post('/v1/auth/login')
      .send({ email: user.email, password: 'correct horse battery' });
    const secondAuth = { Authorization: `Bearer ${second.body.token}` };
    expect((await request(other).get('/v1/me').set(secondAuth)).status).toBe(200);

    const wrong = await request(ctx.app)
      .post('/v1/me/password')
      .set(user.auth)
      .send({ currentPassword: 'not it at all', newPassword: 'a brand new secret' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.param).toBe('currentPassword');

    const changed = await request(ctx.app)
      .post('/v1/me/password')
      .set(user.auth)
      .send({ currentPassword: 'correct horse battery', newPassword: 'a brand new secret' });
    expect(changed.status).toBe(204);
    expect((await request(other).get('/v1/me').set(secondAuth)).status).toBe(401);
    expect((await request(ctx.app).get('/v1/me').set(user.auth)).status).toBe(200);
    const old = await request(ctx.app)
      .post('/v1/auth/login')
      .send({ email: user.email, password: 'correct horse battery' });
    expect(old.status).toBe(401);
  });
});

describe('password reset', () => {
  test('a reset job queued with the address itself, before jobs carried its digest, still mails', async () => {
    const user = await signUp(ctx.app);
    await ctx.queues.mail.add(
      SEND_PASSWORD_RESET,
      { email: user.email.toUpperCase(), eventId: 'evt_queued_before_digests' },
      { jobId: 'password-reset-evt_queued_before_digests' },
    );
    await until('the reset mail', async () =>
      (await mailsTo(user.email)).some((mail) => mail.kind === 'password-reset'),
    );
  });

  test('unknown and known e-mails get the same answer; only the known one is mailed', async () => {
    const user = await signUp(ctx.app);
    const unknown = `nobody${Date.now()}@example.com`;
    const a = await request(ctx.app).post('/v1/auth/password-reset').send({ email: unknown });
    const b = await request(ctx.app).post('/v1/auth/password-reset').send({ email: user.email });
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.text).toBe(b.text);
    expect(Object.keys(a.headers).sort()).toEqual(Object.keys(b.headers).sort());
    await until('the reset mail', async () =>
      (await mailsTo(user.email)).some((mail) => mail.kind === 'password-reset'),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await mailsTo(unknown)).toEqual([]);
  });

  test('the one-hour link works once and signs out every session', async () => {
    const user = await signUp(ctx.app);
    await request(ctx.app)
      .post('/v1/auth/password-reset')
      .send({ email: user.email.toUpperCase() });
    await request(ctx.app).post('/v1/auth/password-reset').send({ email: user.email });
    const [mail, otherMail] = await until('both reset mails', async () => {
      const resets = (await mailsTo(user.email)).filter((row) => row.kind === 'password-reset');
      return resets.length === 2 ? resets : undefined;
    });
    if (!mail || !otherMail) throw new Error('two reset mails expected');
    expect(mail.textBody).toContain('https://stall.example/reset-password?token=');
    const token = tokenIn(mail.textBody, 'reset-password');
    const stored = await selectRows<{ n: number }>(
      ctx.db,
      'SELECT COUNT(*) AS n FROM account_tokens WHERE token_hash = ?',
      [token],
    );
    expect(Number(stored[0]?.n)).toBe(0); // only its digest is kept

    const confirm = await request(ctx.app)
      .post('/v1/auth/password-reset/confirm')
      .send({ token, newPassword: 'reset and renewed' });
    expect(confirm.status).toBe(204);
    expect((await request(ctx.app).get('/v1/me').set(user.auth)).status).toBe(401);

    const again = await request(ctx.app)
      .post('/v1/auth/password-reset/confirm')
      .send({ token, newPassword: 'a third password' });
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({ code: 'token_invalid', param: 'token' });
    // The other link sent before it died with it.
    const other = await request(ctx.app)
      .post('/v1/auth/password-reset/confirm')
      .send({ token: tokenIn(otherMail.textBody, 'reset-password'), newPassword: 'a third one' });
    expect(other.status).toBe(400);
    const login = await request(ctx.app)
      .post('/v1/auth/login')
      .send({ email: user.email, password: 'reset and renewed' });
    expect(login.status).toBe(200);
  });
});

describe('e-mail verification and locale', () => {
  test('signup mails a verification link in the Accept-Language; the token verifies once', async () => {
    const email = `v${Date.now()}@example.com`;
    const res = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('Accept-Language', 'fr;q=0.9, ja-JP, en;q=0.5')
      .send({
        email,
        password: 'correct horse battery',
        displayName: '花子',
        country: 'JP',
        timezone: 'Asia/Tokyo',
        accountType: 'member',
      });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ locale: 'ja', emailVerified: false });
    const [mail] = await mailsTo(email);
    expect(mail).toMatchObject({ kind: 'verify-email', subject: 'メールアドレスの確認' });
    const token = tokenIn(mail!.textBody, 'verify-email');
    const auth = { Authorization: `Bearer ${res.body.token}` };

    expect((await request(ctx.app).post('/v1/auth/verify-email').send({ token })).status).toBe(204);
    expect((await request(ctx.app).get('/v1/me').set(auth)).body.emailVerified).toBe(true);
    expect((await request(ctx.app).post('/v1/auth/verify-email').send({ token })).status).toBe(400);
  });

  test('locale is set at signup or by PATCH /v1/me, and only to a supported language', async () => {
    const user = await signUp(ctx.app, { locale: 'pt-BR' });
    expect((await request(ctx.app).get('/v1/me').set(user.auth)).body.locale).toBe('pt-BR');
    const patched = await request(ctx.app)
      .patch('/v1/me')
      .set(user.auth)
      .send({ locale: 'zh-Hans' });
    expect(patched.body.locale).toBe('zh-Hans');
    const bad = await request(ctx.app).patch('/v1/me').set(user.auth).send({ locale: 'fr' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('locale');
  });

  test('an admin reads the outbox, newest first, page by page', async () => {
    const admin = await signUp(ctx.app);
    await ctx.services.accounts.grantRole(admin.email, 'admin');
    const first = await request(ctx.app).get('/v1/admin/outbox?limit=1').set(admin.auth);
    expect(first.status).toBe(200);
    expect(first.body.data[0]).toMatchObject({
      kind: 'verify-email',
      to: admin.email,
      status: 'kept',
    });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await request(ctx.app)
      .get(`/v1/admin/outbox?limit=1&cursor=${first.body.nextCursor}`)
      .set(admin.auth);
    expect(next.body.data[0].id < first.body.data[0].id).toBe(true);
    const member = await signUp(ctx.app);
    expect((await request(ctx.app).get('/v1/admin/outbox').set(member.auth)).status).toBe(403);
  });
});
