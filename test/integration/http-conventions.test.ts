import type { Server } from 'node:http';
import net from 'node:net';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { selectOne } from '../../src/db/sql';
import { errorHandler } from '../../src/http/error-handler';
import { requestId } from '../../src/http/request-id';
import { startService, type RunningService } from '../../src/service';
import { loadConfig } from '../../src/config';
import { signUp } from '../support/fixtures';
import { startTestContext, type TestContext } from '../support/harness';
import { MYSQL_SERVER_URL, TEST_REDIS_URL, uniqueTestName } from '../support/test-env';
import { dropDatabase } from '../../src/db/database';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await startTestContext({ env: { CORS_ORIGINS: 'https://shop.example' } });
});

afterAll(async () => {
  await ctx.close();
});

const signupBody = (
  email = `c${Date.now()}${Math.random().toString(36).slice(2)}@example.com`,
) => ({
  email,
  password: 'correct horse battery',
  displayName: 'Idem',
  country: 'FR',
  accountType: 'member',
});

const userCount = async () =>
  Number((await selectOne<{ n: number }>(ctx.sequelize, 'SELECT COUNT(*) AS n FROM users'))!.n);

describe('the error shape, everywhere', () => {
  test('an unknown route is a 404 in the API shape, with a request id', async () => {
    const res = await request(ctx.app).get('/v1/nowhere');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { type: 'not_found', code: 'route_not_found', message: expect.any(String) },
    });
    expect(res.headers['x-request-id']).toMatch(/.{8,}/);
  });

  test('malformed JSON is a 400 malformed_json', async () => {
    const res = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('content-type', 'application/json')
      .send('{"email": ');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request', code: 'malformed_json' });
  });

  test('a body over 256 KB is a 413 invalid_request', async () => {
    const res = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ displayName: 'x'.repeat(300 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ type: 'invalid_request', code: 'body_too_large' });
  });

  test('a body that is not JSON is a 415 in the API shape', async () => {
    const res = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('content-type', 'text/plain')
      .send('email=a@b.c');
    expect(res.status).toBe(415);
    expect(res.body.error).toMatchObject({
      type: 'invalid_request',
      code: 'unsupported_media_type',
    });
  });

  test('an incoming sane X-Request-Id is echoed; a wild one is replaced', async () => {
    const mine = await request(ctx.app).get('/healthz').set('X-Request-Id', 'trace-1234-abcd');
    expect(mine.headers['x-request-id']).toBe('trace-1234-abcd');
    const wild = await request(ctx.app).get('/healthz').set('X-Request-Id', 'bad id with spaces');
    expect(wild.headers['x-request-id']).not.toBe('bad id with spaces');
  });

  test('a crash is a 500 internal that tells nothing of the internals', async () => {
    const app = express();
    app.use(requestId);
    app.get('/boom', () => {
      throw new Error('secret table users_v2 exploded at db-host-7');
    });
    app.use(errorHandler(pino({ level: 'silent' })));
    const res = await request(app).get('/boom');
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ type: 'internal', code: 'internal_error' });
    expect(JSON.stringify(res.body)).not.toMatch(/secret|users_v2|db-host|at /);
    expect(res.body.error.message).toContain(res.headers['x-request-id']);
  });

  test('helmet headers are set', async () => {
    const res = await request(ctx.app).get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  test('CORS answers the configured origin only', async () => {
    const allowed = await request(ctx.app)
      .options('/v1/listings')
      .set('Origin', 'https://shop.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
    const other = await request(ctx.app).get('/v1/listings').set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('Idempotency-Key', () => {
  test('the same key and body replays the first answer, and there is one effect', async () => {
    const body = signupBody();
    const before = await userCount();
    const first = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('Idempotency-Key', 'signup-1')
      .send(body);
    const second = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('Idempotency-Key', 'signup-1')
      .send(body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await userCount()).toBe(before + 1);
  });

  test('the same key with another body is a 409 idempotency', async () => {
    await request(ctx.app)
      .post('/v1/auth/signup')
      .set('Idempotency-Key', 'signup-2')
      .send(signupBody());
    const res = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('Idempotency-Key', 'signup-2')
      .send(signupBody());
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ type: 'idempotency', code: 'idempotency_key_reused' });
  });

  test('8 requests with the same key at once: exactly one effect, 8 identical answers', async () => {
    const server: Server = ctx.app.listen(0);
    try {
      const body = signupBody();
      const before = await userCount();
      const answers = await Promise.all(
        Array.from({ length: 8 }, () =>
          request(server).post('/v1/auth/signup').set('Idempotency-Key', 'burst-8').send(body),
        ),
      );
      expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
      expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
      expect(await userCount()).toBe(before + 1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('keys are per user: two users may use the same key', async () => {
    const [a, b] = await Promise.all([signUp(ctx.app), signUp(ctx.app)]);
    const listing = {
      title: 'Same key',
      description: '',
      priceAmount: 100,
      currency: 'USD',
      quantity: 1,
      category: 'x',
      condition: 'new',
    };
    const first = await request(ctx.app)
      .post('/v1/listings')
      .set(a.auth)
      .set('Idempotency-Key', 'shared')
      .send(listing);
    const second = await request(ctx.app)
      .post('/v1/listings')
      .set(b.auth)
      .set('Idempotency-Key', 'shared')
      .send(listing);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body.sellerId).toBe(b.id);
  });

  test('a refused request is replayed as refused; an over-long key is a 400', async () => {
    const bad = { ...signupBody(), country: 'XX' };
    const first = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('Idempotency-Key', 'bad-1')
      .send(bad);
    const again = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('Idempotency-Key', 'bad-1')
      .send(bad);
    expect(first.status).toBe(400);
    expect(again.status).toBe(400);
    expect(again.body).toEqual(first.body);
    const long = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('Idempotency-Key', 'k'.repeat(256))
      .send(signupBody());
    expect(long.status).toBe(400);
    expect(long.body.error.param).toBe('Idempotency-Key');
  });
});

test('a request Node cannot even parse still gets the error shape', async () => {
  const name = uniqueTestName();
  const config = loadConfig({
    DATABASE_URL: `${MYSQL_SERVER_URL}/${name}`,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: name,
    PORT: '0',
    ROLE: 'api',
    LOG_LEVEL: 'silent',
    SHUTDOWN_DRAIN_MS: '0',
  });
  const service: RunningService = await startService(config, pino({ level: 'silent' }));
  try {
    const address = service.server!.address() as net.AddressInfo;
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(address.port, '127.0.0.1', () =>
        socket.write('GET /v1/listings?q=\u62b9 HTTP/1.1\r\nHost: x\r\n\r\n'),
      );
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({
      error: { type: 'invalid_request' },
    });
  } finally {
    await service.stop();
    await dropDatabase(config.DATABASE_URL);
  }
});
