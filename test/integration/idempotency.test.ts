import { createHash, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import express from 'express';
import request from 'supertest';
import { idempotency, IdempotencyKeys } from '../../src/http/idempotency';
import { selectOne } from '../../src/db/sql';
import { scanKeys } from '../../src/redis/connection';
import { signUp } from '../support/fixtures';
import { useTestApp } from '../support/test-app';

const LEASE_MS = 300;

// Rate limits on, so a 429 can be shown not to be kept; each test signs up from its own address.
// A short lease, so a crashed request's claim lapses within the test (renewed while it runs).
const ctx = useTestApp({ env: { RATE_LIMIT_SCALE: '1', IDEMPOTENCY_LEASE_MS: `${LEASE_MS}` } });

let nextAddress = 0;
/** A client address of the test's own (trusted X-Forwarded-For from loopback), so per-IP limits never meet. */
const freshIp = () => `10.20.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`;

const signupBody = () => ({
  email: `i${randomBytes(6).toString('hex')}@example.com`,
  password: 'correct horse battery',
  displayName: 'Idem',
  // Outside the data vault's countries, so the email stays in users.email for the counts below.
  country: 'JP',
  accountType: 'member',
});

const userCount = async () =>
  Number((await selectOne<{ n: number }>(ctx.db, 'SELECT COUNT(*) AS n FROM users'))!.n);

const usersWithEmail = async (email: string) =>
  Number(
    (await selectOne<{ n: number }>(ctx.db, 'SELECT COUNT(*) AS n FROM users WHERE email = ?', [
      email,
    ]))!.n,
  );

describe('Idempotency-Key on POST', () => {
  test('the same key and body replays the first answer, and there is one effect', async () => {
    const ip = freshIp();
    const body = signupBody();
    const before = await userCount();
    const first = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('X-Forwarded-For', ip)
      .set('Idempotency-Key', 'signup-1')
      .send(body);
    const second = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('X-Forwarded-For', ip)
      .set('Idempotency-Key', 'signup-1')
      .send(body);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect(await userCount()).toBe(before + 1);
    expect(await usersWithEmail(body.email)).toBe(1);
  });

  test('the same key with another body is a 409 idempotency, and the other body has no effect', async () => {
    const ip = freshIp();
    await request(ctx.app)
      .post('/v1/auth/signup')
      .set('X-Forwarded-For', ip)
      .set('Idempotency-Key', 'signup-2')
      .send(signupBody());
    const other = signupBody();
    const res = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('X-Forwarded-For', ip)
      .set('Idempotency-Key', 'signup-2')
      .send(other);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      type: 'idempotency',
      code: 'idempotency_key_reused',
      param: 'Idempotency-Key',
    });
    expect(await usersWithEmail(other.email)).toBe(0);
  });

  test('8 requests with the same key at once: exactly one user, 8 identical answers', async () => {
    const server: Server = ctx.app.listen(0);
    try {
      const ip = freshIp();
      const body = signupBody();
      const before = await userCount();
      const answers = await Promise.all(
        Array.from({ length: 8 }, () =>
          request(server)
            .post('/v1/auth/signup')
            .set('X-Forwarded-For', ip)
            .set('Idempotency-Key', 'burst-8')
            .send(body),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
      expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
      expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(7);
      expect(await userCount()).toBe(before + 1);
      expect(await usersWithEmail(body.email)).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('keys are per user: two signed-in users may use the same key with different bodies', async () => {
    const [a, b] = await Promise.all([
      signUp(ctx.app, { password: 'password of a!' }),
      signUp(ctx.app, { password: 'password of b!' }),
    ]);
    const first = await request(ctx.app)
      .post('/v1/auth/login')
      .set(a.auth)
      .set('Idempotency-Key', 'shared-key')
      .send({ email: a.email, password: 'password of a!' });
    const second = await request(ctx.app)
      .post('/v1/auth/login')
      .set(b.auth)
      .set('Idempotency-Key', 'shared-key')
      .send({ email: b.email, password: 'password of b!' });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(first.body.user.id).toBe(a.id);
    expect(second.body.user.id).toBe(b.id);
    // A's key still replays A's answer to A.
    const again = await request(ctx.app)
      .post('/v1/auth/login')
      .set(a.auth)
      .set('Idempotency-Key', 'shared-key')
      .send({ email: a.email, password: 'password of a!' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  test('anonymous keys are per client address: another address with the same key runs anew', async () => {
    const first = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('X-Forwarded-For', freshIp())
      .set('Idempotency-Key', 'anon-shared')
      .send(signupBody());
    const second = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('X-Forwarded-For', freshIp())
      .set('Idempotency-Key', 'anon-shared')
      .send(signupBody());
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.user.id).not.toBe(first.body.user.id);
  });

  test('a refused (400) answer is replayed as refused', async () => {
    const ip = freshIp();
    const bad = { ...signupBody(), country: 'XX' };
    const first = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('X-Forwarded-For', ip)
      .set('Idempotency-Key', 'bad-1')
      .send(bad);
    const again = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('X-Forwarded-For', ip)
      .set('Idempotency-Key', 'bad-1')
      .send(bad);
    expect(first.status).toBe(400);
    expect(first.body.error.param).toBe('country');
    expect(again.status).toBe(400);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  test('a 429 is not kept: once the limit clears, the same key runs the request', async () => {
    const ip = freshIp();
    // Use up the signup allowance of this address (LIMITS.signupPerIp: 20 an hour).
    const signups = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(ctx.app).post('/v1/auth/signup').set('X-Forwarded-For', ip).send(signupBody()),
      ),
    );
    expect(signups.every((s) => s.status === 201)).toBe(true);
    const body = signupBody();
    const limited = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('X-Forwarded-For', ip)
      .set('Idempotency-Key', 'after-limit')
      .send(body);
    expect(limited.status).toBe(429);
    // The hour passes.
    expect(await ctx.redis.del(`${ctx.config.REDIS_PREFIX}:rl:signup-ip:${ip}`)).toBe(1);
    const retried = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('X-Forwarded-For', ip)
      .set('Idempotency-Key', 'after-limit')
      .send(body);
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await usersWithEmail(body.email)).toBe(1);
  });

  test('a key is kept at least 24 hours', async () => {
    const user = await signUp(ctx.app);
    const key = `ttl-${randomBytes(4).toString('hex')}`;
    await request(ctx.app)
      .post('/v1/auth/login')
      .set(user.auth)
      .set('Idempotency-Key', key)
      .send({ email: user.email, password: 'correct horse battery' });
    const stored = `${ctx.config.REDIS_PREFIX}:idem:${user.id}:${createHash('sha256').update(key).digest('hex')}`;
    expect(JSON.parse((await ctx.redis.get(stored))!)).toMatchObject({
      state: 'done',
      status: 200,
    });
    expect(await ctx.redis.pttl(stored)).toBeGreaterThan(24 * 3600 * 1000 - 60_000);
  });

  test.each([
    ['over 255 characters', 'k'.repeat(256)],
    ['with a space', 'two words'],
    ['with non-ASCII', 'clé-1'],
  ])('an Idempotency-Key %s is a 400 naming the header', async (_what, key) => {
    const body = signupBody();
    const res = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('X-Forwarded-For', freshIp())
      .set('Idempotency-Key', key)
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      type: 'invalid_request',
      code: 'idempotency_key_invalid',
      param: 'Idempotency-Key',
    });
    expect(await usersWithEmail(body.email)).toBe(0);
  });

  test('a key of exactly 255 characters is accepted', async () => {
    const res = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('X-Forwarded-For', freshIp())
      .set('Idempotency-Key', 'k'.repeat(255))
      .send(signupBody());
    expect(res.status).toBe(201);
  });
});

/** The Redis key and fingerprint the middleware uses for an anonymous signup from `ip`. */
function claimOf(ip: string, key: string, body: object) {
  return {
    storeKey: `${ctx.config.REDIS_PREFIX}:idem:anon:${ip}:${createHash('sha256').update(key).digest('hex')}`,
    fingerprint: createHash('sha256')
      .update('POST /v1/auth/signup\n')
      .update(JSON.stringify(body))
      .digest('hex'),
  };
}

describe('a request that died mid-flight', () => {
  test('its claim lapses with its lease: a retry with the same key runs and succeeds once', async () => {
    const ip = freshIp();
    const body = signupBody();
    const { storeKey, fingerprint } = claimOf(ip, 'crashed-1', body);
    // What a process killed while running the request leaves behind: its pending claim.
    await ctx.redis.set(
      storeKey,
      JSON.stringify({ state: 'pending', fingerprint, claim: 'dead-process' }),
      'PX',
      LEASE_MS,
    );
    const started = Date.now();
    const retry = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('X-Forwarded-For', ip)
      .set('Idempotency-Key', 'crashed-1')
      .send(body);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await usersWithEmail(body.email)).toBe(1);
    // The retry's answer is now what the key replays.
    const again = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('X-Forwarded-For', ip)
      .set('Idempotency-Key', 'crashed-1')
      .send(body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(retry.body);
  });

  test('a claim stranded with the whole 24 h lifetime is taken over at once', async () => {
    const ip = freshIp();
    const body = signupBody();
    const { storeKey, fingerprint } = claimOf(ip, 'crashed-2', body);
    await ctx.redis.set(
      storeKey,
      JSON.stringify({ state: 'pending', fingerprint }),
      'PX',
      24 * 3600 * 1000,
    );
    const started = Date.now();
    const retry = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('X-Forwarded-For', ip)
      .set('Idempotency-Key', 'crashed-2')
      .send(body);
    expect(retry.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await usersWithEmail(body.email)).toBe(1);
    expect(JSON.parse((await ctx.redis.get(storeKey))!)).toMatchObject({ state: 'done' });
  });

  test('a claim of another body still answers 409 idempotency, crashed or not', async () => {
    const ip = freshIp();
    const body = signupBody();
    const { storeKey } = claimOf(ip, 'crashed-3', body);
    await ctx.redis.set(
      storeKey,
      JSON.stringify({ state: 'pending', fingerprint: 'another body', claim: 'x' }),
      'PX',
      60_000,
    );
    const res = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('X-Forwarded-For', ip)
      .set('Idempotency-Key', 'crashed-3')
      .send(body);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('idempotency_key_reused');
  });
});

describe('a request running longer than its lease', () => {
  test('keeps its claim renewed: a twin waits for it and replays its answer; one effect', async () => {
    let runs = 0;
    const app = express();
    app.use(express.json({ verify: (req, _res, buf) => ((req as express.Request).rawBody = buf) }));
    app.use(
      idempotency(
        new IdempotencyKeys({
          redis: ctx.redis,
          prefix: `${ctx.config.REDIS_PREFIX}:slow`,
          // Renewed every 200 ms; short enough that the request outlives it five times over, long
          // enough that a loaded host's timer delays (a Redis Cluster and Galera on two cores
          // beside the tests) do not let it lapse between renewals.
          leaseMs: 600,
        }),
      ),
    );
    app.post('/slow', async (_req, res) => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      res.status(201).json({ run: runs });
    });
    const server: Server = app.listen(0);
    try {
      const first = request(server).post('/slow').set('Idempotency-Key', 'slow-1').send({ a: 1 });
      const firstAnswer = first.then((r) => r);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // Mid-flight, the claim lives a lease (renewed), not the key's 24 h.
      // Every master's keys: on a Redis Cluster KEYS would ask one node only.
      let claimKey: string | undefined;
      for await (const { keys } of scanKeys(ctx.redis, `${ctx.config.REDIS_PREFIX}:slow:idem:*`))
        claimKey ??= keys[0];
      expect(JSON.parse((await ctx.redis.get(claimKey!))!)).toMatchObject({ state: 'pending' });
      expect(await ctx.redis.pttl(claimKey!)).toBeLessThanOrEqual(600);
      const twin = await request(server)
        .post('/slow')
        .set('Idempotency-Key', 'slow-1')
        .send({ a: 1 });
      const original = await firstAnswer;
      expect(original.status).toBe(201);
      expect(twin.status).toBe(201);
      expect(twin.headers['idempotent-replayed']).toBe('true');
      expect(twin.body).toEqual(original.body);
      expect(runs).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
