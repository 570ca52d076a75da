import pino from 'pino';
import request from 'supertest';
import { createQueues } from '../../../jobs/queues';
import { createApp, createServices, type AppDependencies } from '../../../src/app';
import { systemClock } from '../../../src/clock';
import { Db } from '../../../src/db/db';
import { createRedis } from '../../../src/redis/connection';
import { signUp } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await startTestContext();
});

afterAll(async () => {
  await ctx.close();
});

test('/healthz and /readyz answer when MySQL and Redis do', async () => {
  expect((await request(ctx.app).get('/healthz')).body).toEqual({ status: 'ok' });
  const ready = await request(ctx.app).get('/readyz');
  expect(ready.status).toBe(200);
  expect(ready.body).toEqual({ status: 'ready', checks: { mysql: 'ok', redis: 'ok' } });
});

test('/readyz is 503 when Redis does not answer, requests needing Redis are 503 in the error shape, and /metrics still answers', async () => {
  const deadRedis = createRedis('redis://127.0.0.1:1', { name: 'dead' });
  deadRedis.on('error', () => undefined);
  const deadQueues = createRedis('redis://127.0.0.1:1', { forBullmq: true, name: 'dead-queues' });
  deadQueues.on('error', () => undefined);
  const deps: AppDependencies = {
    ...ctx.deps,
    redis: deadRedis,
    queues: createQueues(deadQueues, ctx.config.REDIS_PREFIX),
    logger: pino({ level: 'silent' }),
    clock: systemClock,
  };
  const services = createServices(deps);
  const app = createApp(deps, services);
  try {
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toEqual({ mysql: 'ok', redis: 'down' });
    const signup = await request(app)
      .post('/v1/auth/signup')
      .set('Idempotency-Key', 'needs-redis')
      .send({
        email: 'down@example.com',
        password: 'long enough pass',
        displayName: 'D',
        country: 'JP',
        accountType: 'member',
      });
    expect(signup.status).toBe(503);
    expect(signup.body.error).toMatchObject({ type: 'unavailable', code: 'service_unavailable' });
    const started = Date.now();
    const metrics = await request(app).get('/metrics').timeout(5_000);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/http_request_duration_seconds_bucket/);
    expect(metrics.text).not.toMatch(/queue_jobs\{/);
  } finally {
    // The services' revocation subscriber (a duplicate of deadRedis) would retry port 1 every
    // second for as long as the jest worker lives.
    await services.accounts.close();
    deadRedis.disconnect();
    deadQueues.disconnect();
  }
});

test('/readyz is 503 when MySQL does not answer, within its own time limit', async () => {
  const deadDb = new Db('mysql://root@127.0.0.1:1/nothing_here');
  const deps: AppDependencies = {
    ...ctx.deps,
    db: deadDb,
    logger: pino({ level: 'silent' }),
  };
  const services = createServices(deps);
  const app = createApp(deps, services);
  try {
    const started = Date.now();
    const ready = await request(app).get('/readyz');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'unavailable', checks: { mysql: 'down', redis: 'ok' } });
    expect((await request(app).get('/healthz')).status).toBe(200);
  } finally {
    await services.accounts.close();
    await deadDb.close();
  }
});

test('/metrics exposes request latency by route pattern and queue depths', async () => {
  const user = await signUp(ctx.app);
  await request(ctx.app).get('/v1/me').set(user.auth);
  await request(ctx.app).get('/v1/listings/lst_00000000000000000000000000');
  const res = await request(ctx.app).get('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/text\/plain/);
  expect(res.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/v1\/me"/);
  expect(res.text).toMatch(/route="\/v1\/listings\/:id"/);
  expect(res.text).not.toMatch(/lst_0000/);
  // Unknown paths are one label, so scanners cannot blow up the series count.
  await request(ctx.app).get('/wp-admin/probe-8f3a1c');
  const after = await request(ctx.app).get('/metrics');
  expect(after.text).toMatch(/route="unmatched",status="404"/);
  expect(after.text).not.toMatch(/probe-8f3a1c|wp-admin/);
  expect(res.text).toMatch(/queue_jobs\{queue="orders",state="delayed"\}/);
  expect(res.text).toMatch(/process_cpu_user_seconds_total/);
});

test('/openapi.json is generated from the request schemas', async () => {
  const res = await request(ctx.app).get('/openapi.json');
  expect(res.status).toBe(200);
  expect(res.body.openapi).toBe('3.1.0');
  for (const path of [
    '/v1/auth/signup',
    '/v1/me',
    '/v1/listings',
    '/v1/listings/{id}',
    '/v1/orders',
    '/v1/campaigns/drops/{id}/attempts',
    '/v1/webhooks/stripe',
  ]) {
    expect(res.body.paths[path]).toBeDefined();
  }
  expect(res.body.components.schemas.Error).toBeDefined();
  const signup =
    res.body.paths['/v1/auth/signup'].post.requestBody.content['application/json'].schema;
  const resolved = signup.$ref ? res.body.components.schemas[signup.$ref.split('/').pop()] : signup;
  expect(resolved.properties.email).toBeDefined();
  expect(res.body.paths['/v1/me'].get.responses['401']).toBeDefined();
});

test('/docs serves Swagger UI', async () => {
  const bare = await request(ctx.app).get('/docs');
  expect([200, 301, 302]).toContain(bare.status);
  const res = await request(ctx.app).get('/docs/');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/text\/html/);
  expect(res.text).toMatch(/swagger/i);
});

test('/admin/queues is for admins only', async () => {
  const member = await signUp(ctx.app);
  const admin = await signUp(ctx.app);
  await ctx.services.accounts.grantRole(admin.email, 'admin');
  expect((await request(ctx.app).get('/admin/queues')).status).toBe(401);
  const denied = await request(ctx.app).get('/admin/queues').set(member.auth);
  expect(denied.status).toBe(403);
  expect(denied.body.error.type).toBe('permission');
  const allowed = await request(ctx.app).get('/admin/queues/api/queues').set(admin.auth);
  expect(allowed.status).toBe(200);
  expect(JSON.stringify(allowed.body)).toMatch(/orders/);
});
