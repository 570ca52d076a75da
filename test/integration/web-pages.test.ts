import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import express, { type Express, type Request, type Response } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app';
import { isApiPath } from '../../src/web/api-paths';
import { precompressedAssets } from '../../src/web/precompressed';
import type { App } from '../../src/http/front-door';
import { loadWebApp } from '../../src/web/web-app';
import { startTestContext, type TestContext } from '../support/harness';

let ctx: TestContext;
let withPages: App;
const seen: string[] = [];

beforeAll(async () => {
  ctx = await startTestContext();
  // Stands in for the React Router handler: records what reached it.
  const pages = (req: Request, res: Response) => {
    seen.push(`${req.method} ${req.path}`);
    res.type('html').send('<p>page</p>');
  };
  withPages = createApp({ ...ctx.deps, web: pages }, ctx.services);
});

afterAll(async () => {
  await ctx.close();
});

describe('the web app mounted after the API', () => {
  test('paths the API does not own are pages, API routes still win', async () => {
    await request(withPages).get('/listings/lst_x').expect(200, '<p>page</p>');
    await request(withPages).get('/').expect(200);
    const listings = await request(withPages).get('/v1/listings').expect(200);
    expect(listings.body).toHaveProperty('data');
    await request(withPages).get('/healthz').expect(200);
    expect(seen).toEqual(['GET /listings/lst_x', 'GET /']);
  });

  test('an unknown /v1 path is still the API’s JSON 404, never a page', async () => {
    const response = await request(withPages).get('/v1/no-such-thing').expect(404);
    expect(response.body).toMatchObject({ error: { type: 'not_found', code: 'route_not_found' } });
    expect(seen).not.toContain('GET /v1/no-such-thing');
  });

  test('a JSON post to a page reaches the page unread (the API parser leaves it alone)', async () => {
    // Stands in for a React Router action, which reads the request stream itself.
    const echo = (req: Request, res: Response) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => res.type('text').send(Buffer.concat(chunks).toString('utf8')));
    };
    const app = createApp({ ...ctx.deps, web: echo }, ctx.services);
    await request(app)
      .post('/notes/outbox')
      .set('content-type', 'application/json')
      .send('{"notes":[]}')
      .timeout(5000)
      .expect(200, '{"notes":[]}');
    const api = await request(app).post('/v1/auth/login').send({ email: 'x' }).expect(400);
    expect(api.body).toMatchObject({ error: { type: 'invalid_request' } });
  });

  test('pages take HTML form posts; API paths still refuse a body that is not JSON', async () => {
    await request(withPages)
      .post('/signin')
      .type('form')
      .send({ email: 'a@example.test', password: 'x' })
      .expect(200, '<p>page</p>');
    const refused = await request(withPages)
      .post('/v1/auth/login')
      .type('form')
      .send({ email: 'a@example.test', password: 'x' })
      .expect(415);
    expect(refused.body).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  test('the server build is loaded by the first page asked for, not at start', async () => {
    const buildDir = mkdtempSync(join(tmpdir(), 'web-build-'));
    try {
      mkdirSync(join(buildDir, 'server'));
      mkdirSync(join(buildDir, 'client', 'assets'), { recursive: true });
      const flag = `webBuildLoaded${Date.now()}`;
      writeFileSync(
        join(buildDir, 'server', 'index.js'),
        `globalThis.${flag} = true; module.exports = { entry: { module: { createLoadContext: () => ({}) } }, routes: {} };`,
      );
      const web = await loadWebApp({ buildDir });
      const app = createApp({ ...ctx.deps, web }, ctx.services);
      await request(app).get('/v1/listings').expect(200);
      expect((globalThis as Record<string, unknown>)[flag]).toBeUndefined();
      // A stand-in build with no routes: what it answers does not matter, that it was loaded does.
      await request(app).get('/');
      expect((globalThis as Record<string, unknown>)[flag]).toBe(true);
    } finally {
      rmSync(buildDir, { recursive: true, force: true });
    }
  });

  test('a server build that fails to load is loaded again by the next page', async () => {
    const buildDir = mkdtempSync(join(tmpdir(), 'web-build-'));
    try {
      mkdirSync(join(buildDir, 'server'));
      mkdirSync(join(buildDir, 'client', 'assets'), { recursive: true });
      const loads = `webBuildLoads${Date.now()}`;
      // Counts its evaluations; the first one fails, as an import that hits a passing fault would.
      writeFileSync(
        join(buildDir, 'server', 'index.js'),
        `globalThis.${loads} = (globalThis.${loads} ?? 0) + 1;
         if (globalThis.${loads} === 1) throw new Error('first load fails');
         module.exports = { entry: { module: { createLoadContext: () => ({}) } }, routes: {} };`,
      );
      const loadCount = () => (globalThis as Record<string, unknown>)[loads];
      const web = await loadWebApp({ buildDir });
      const app = createApp({ ...ctx.deps, web }, ctx.services);
      await request(app).get('/').expect(500);
      expect(loadCount()).toBe(1);
      // The next page loads the build again, and that load is kept.
      await request(app).get('/');
      expect(loadCount()).toBe(2);
      await request(app).get('/');
      expect(loadCount()).toBe(2);
    } finally {
      rmSync(buildDir, { recursive: true, force: true });
    }
  });

  test('without a web build the app is the API alone, as before', async () => {
    expect(await loadWebApp({ buildDir: join(tmpdir(), 'no-such-web-build') })).toBeUndefined();
    await request(ctx.app).get('/listings/lst_x').expect(404);
    await request(ctx.app).post('/signin').type('form').send({ a: 'b' }).expect(415);
  });
});

test.each([
  ['/v1', true],
  ['/v1/listings', true],
  ['/media/x/thumb.webp', true],
  ['/docs', true],
  ['/openapi.json', true],
  ['/healthz', true],
  ['/readyz', true],
  ['/metrics', true],
  ['/admin/queues', true],
  ['/', false],
  ['/v1x', false],
  ['/listings/lst_1', false],
  ['/drops/drp_1/checkout', false],
])('isApiPath(%s) is %s', (path, expected) => {
  expect(isApiPath(path)).toBe(expected);
});

describe('precompressed assets', () => {
  let dir: string;
  let assets: Express;
  const source = 'console.log("hello");'.repeat(50);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'web-assets-'));
    writeFileSync(join(dir, 'app-1.js'), source);
    writeFileSync(join(dir, 'app-1.js.br'), brotliCompressSync(source));
    writeFileSync(join(dir, 'plain-2.css'), 'body{}');
    assets = express();
    assets.use(precompressedAssets(dir), express.static(dir));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a browser that takes brotli gets the brotli file, typed as the original', async () => {
    const response = await request(assets)
      .get('/app-1.js')
      .set('Accept-Encoding', 'br, gzip')
      .expect(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers.vary).toContain('Accept-Encoding');
    expect(response.text).toBe(source);
  });

  test('no compressed copy, or not accepted: the file itself', async () => {
    const plain = await request(assets).get('/app-1.js').set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe(source);
    const css = await request(assets).get('/plain-2.css').set('Accept-Encoding', 'br');
    expect(css.headers['content-encoding']).toBeUndefined();
  });

  test('only files listed at start-up are candidates', async () => {
    await request(assets).get('/..%2Fapp-1.js').set('Accept-Encoding', 'br').expect(404);
  });
});
