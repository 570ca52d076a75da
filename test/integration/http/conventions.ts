import net from 'node:net';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { errorHandler } from '../../../src/http/error-handler';
import { requestId } from '../../../src/http/request-id';
import { startService, type RunningService } from '../../../src/service';
import { loadConfig } from '../../../src/config';
import { startTestContext, type TestContext } from '../../support/harness';
import { MYSQL_SERVER_URL, TEST_REDIS_URL, uniqueTestName } from '../../support/test-env';
import { removeTestNamespace } from '../../support/test-namespace';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await startTestContext({ env: { CORS_ORIGINS: 'https://shop.example' } });
});

afterAll(async () => {
  await ctx.close();
});

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

  test('a body of exactly 256 KB is read (and validated), one byte more is a 413', async () => {
    const sized = (bytes: number) => {
      const shell = JSON.stringify({ displayName: '' });
      return JSON.stringify({ displayName: 'x'.repeat(bytes - shell.length) });
    };
    const atLimit = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('content-type', 'application/json')
      .send(sized(256 * 1024));
    expect(atLimit.status).toBe(400);
    expect(atLimit.body.error.code).toBe('parameter_invalid');
    const over = await request(ctx.app)
      .post('/v1/auth/signup')
      .set('content-type', 'application/json')
      .send(sized(256 * 1024 + 1));
    expect(over.status).toBe(413);
  });

  test('a JSON body in a charset other than UTF-8 is a 415', async () => {
    const res = await request(ctx.app)
      .post('/v1/auth/login')
      .set('content-type', 'application/json; charset=latin1')
      .send('{"email":"a@example.com","password":"x"}');
    expect(res.status).toBe(415);
    expect(res.body.error).toMatchObject({
      type: 'invalid_request',
      code: 'unsupported_encoding',
    });
  });

  test('a path that is not valid percent-encoding is a 400, not a crash', async () => {
    const res = await request(ctx.app).get('/v1/listings/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request', code: 'malformed_url' });
  });

  test.each(['gzip', 'deflate'])(
    'a %s body that does not inflate is a 400, not a crash',
    async (encoding) => {
      const res = await request(ctx.app)
        .post('/v1/auth/login')
        .set('content-type', 'application/json')
        .set('content-encoding', encoding)
        .send(Buffer.from('this is not compressed'));
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request', code: 'malformed_body' });
      expect(res.body.error.message).not.toMatch(/header check|zlib/i);
    },
  );

  test('every answer, success or error, carries an X-Request-Id and errors are JSON', async () => {
    const answers = await Promise.all([
      request(ctx.app).get('/healthz'),
      request(ctx.app).get('/v1/nowhere'),
      request(ctx.app).get('/v1/me'),
      request(ctx.app).get('/v1/me').set('Authorization', 'Token abc'),
      request(ctx.app)
        .post('/v1/auth/login')
        .set('content-type', 'application/json')
        .send('{"email"'),
      request(ctx.app).post('/v1/auth/login').set('content-type', 'text/plain').send('x'),
      request(ctx.app)
        .post('/v1/auth/login')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ password: 'x'.repeat(300 * 1024) })),
      request(ctx.app).post('/v1/auth/login').send({ email: 'not-an-email', password: 'x' }),
      request(ctx.app)
        .options('/v1/auth/login')
        .set('Origin', 'https://shop.example')
        .set('Access-Control-Request-Method', 'POST'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 404, 401, 401, 400, 415, 413, 400, 204]);
    const ids = answers.map((a) => a.headers['x-request-id']);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    expect(new Set(ids).size).toBe(ids.length);
    for (const error of answers.filter((a) => a.status >= 400)) {
      expect(error.headers['content-type']).toMatch(/^application\/json/);
      expect(error.body.error).toEqual(
        expect.objectContaining({
          type: expect.any(String),
          code: expect.any(String),
          message: expect.any(String),
        }),
      );
    }
  });

  test('an incoming sane X-Request-Id is echoed; a wild one is replaced', async () => {
    const mine = await request(ctx.app).get('/healthz').set('X-Request-Id', 'trace-1234-abcd');
    expect(mine.headers['x-request-id']).toBe('trace-1234-abcd');
    const wild = await request(ctx.app).get('/healthz').set('X-Request-Id', 'bad id with spaces');
    expect(wild.headers['x-request-id']).not.toBe('bad id with spaces');
  });

  test('a crash is a 500 internal that tells nothing of the internals, and is logged with its request id', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino(
      { level: 'error' },
      { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    const app = express();
    app.use(requestId);
    app.get('/boom', () => {
      throw new Error('secret table users_v2 exploded at db-host-7');
    });
    app.get('/boom-async', async () => {
      await Promise.resolve();
      throw new TypeError("Cannot read properties of undefined (reading 'priceAmount')");
    });
    app.use(errorHandler(logger));
    for (const path of ['/boom', '/boom-async']) {
      const res = await request(app).get(path);
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        error: { type: 'internal', code: 'internal_error', message: expect.any(String) },
      });
      expect(JSON.stringify(res.body)).not.toMatch(/secret|users_v2|db-host|priceAmount|at /);
      expect(res.body.error.message).toContain(res.headers['x-request-id']);
      expect(lines.at(-1)).toMatchObject({ requestId: res.headers['x-request-id'] });
    }
    expect(JSON.stringify(lines)).toMatch(/users_v2/);
  });

  test('JSON answers carry the API security headers (OWASP REST), no ETag, no X-Powered-By', async () => {
    for (const res of [
      await request(ctx.app).get('/healthz'),
      await request(ctx.app).get('/v1/listings'),
      await request(ctx.app).post('/v1/auth/login').send({}),
    ]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'none';frame-ancestors 'none'",
      );
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers.etag).toBeUndefined();
    }
  });

  test('HTML pages (Swagger UI) get browser headers with a CSP that lets the page load', async () => {
    const res = await request(ctx.app).get('/docs/');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res.headers['content-security-policy']).toMatch(/style-src 'self' 'unsafe-inline'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  test('CORS answers the configured origin only', async () => {
    const allowed = await request(ctx.app)
      .options('/v1/listings')
      .set('Origin', 'https://shop.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
    const allowedGet = await request(ctx.app).get('/healthz').set('Origin', 'https://shop.example');
    expect(allowedGet.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(allowedGet.headers['access-control-expose-headers']).toMatch(/X-Request-Id/i);
    const otherPreflight = await request(ctx.app)
      .options('/v1/listings')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(otherPreflight.headers['access-control-allow-origin']).toBeUndefined();
    const other = await request(ctx.app).get('/v1/listings').set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
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
  let service: RunningService | undefined;
  try {
    // The web app's build is an ES module jest cannot load; this is about the API's answer.
    service = await startService(config, pino({ level: 'silent' }), { web: false });
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
    await service?.stop();
    // Its queues wrote their `meta` keys (a failed start leaves its tables): both go.
    await removeTestNamespace(name);
  }
});
