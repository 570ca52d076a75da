import type { App } from '../../../src/http/front-door';
import request from 'supertest';
import { createApp, createServices } from '../../../src/app';
import { signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';

let ctx: TestContext;
/** The same database and queues, as deployed: private targets refused (the default). */
let strict: App;
let seller: TestUser;

beforeAll(async () => {
  ctx = await startTestContext({ env: { WEBHOOKS_ALLOW_PRIVATE: 'true' } });
  const deps = { ...ctx.deps, config: { ...ctx.config, WEBHOOKS_ALLOW_PRIVATE: false } };
  strict = createApp(deps, createServices(deps));
  seller = await signUp(ctx.app);
});

afterAll(async () => {
  await ctx.close();
});

const register = (app: App, user: TestUser, body: object) =>
  request(app).post('/v1/webhook-endpoints').set(user.auth).send(body);

describe('webhook endpoints', () => {
  test('the secret is shown once; the owner lists, reads and deletes; others find nothing', async () => {
    const created = await register(ctx.app, seller, {
      url: 'http://127.0.0.1:9/hooks',
      events: ['order.paid', 'order.created', 'order.paid'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^we_/),
      url: 'http://127.0.0.1:9/hooks',
      events: ['order.paid', 'order.created'],
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
      createdAt: expect.any(String),
    });
    const id = created.body.id as string;
    const read = await request(ctx.app).get(`/v1/webhook-endpoints/${id}`).set(seller.auth);
    expect(read.status).toBe(200);
    expect(read.body.secret).toBeUndefined();
    const list = await request(ctx.app).get('/v1/webhook-endpoints').set(seller.auth);
    expect(list.body.data.map((e: { id: string }) => e.id)).toContain(id);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');

    const other = await signUp(ctx.app);
    for (const path of [`/v1/webhook-endpoints/${id}`, `/v1/webhook-endpoints/${id}/deliveries`])
      expect((await request(ctx.app).get(path).set(other.auth)).status).toBe(404);
    expect(
      (await request(ctx.app).delete(`/v1/webhook-endpoints/${id}`).set(other.auth)).status,
    ).toBe(404);
    expect((await request(ctx.app).get('/v1/webhook-endpoints')).status).toBe(401);

    expect(
      (await request(ctx.app).delete(`/v1/webhook-endpoints/${id}`).set(seller.auth)).status,
    ).toBe(204);
    expect(
      (await request(ctx.app).get(`/v1/webhook-endpoints/${id}`).set(seller.auth)).status,
    ).toBe(404);
  });

  test.each([
    ['no url', { events: ['order.paid'] }, 'url'],
    ['a url that is not one', { url: 'not a url', events: ['order.paid'] }, 'url'],
    ['ftp', { url: 'ftp://example.com/x', events: ['order.paid'] }, 'url'],
    ['credentials in the url', { url: 'http://u:p@127.0.0.1:9/', events: ['order.paid'] }, 'url'],
    ['no events', { url: 'http://127.0.0.1:9/', events: [] }, 'events'],
    ['an unknown event', { url: 'http://127.0.0.1:9/', events: ['order.eaten'] }, 'events.0'],
    ['events not a list', { url: 'http://127.0.0.1:9/', events: 'order.paid' }, 'events'],
    ['an unknown field', { url: 'http://127.0.0.1:9/', events: ['order.paid'], x: 1 }, 'x'],
  ])('%s is a 400 naming the field, and nothing is written', async (_case, body, param) => {
    const before = await request(ctx.app).get('/v1/webhook-endpoints').set(seller.auth);
    const res = await register(ctx.app, seller, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request', param });
    const after = await request(ctx.app).get('/v1/webhook-endpoints').set(seller.auth);
    expect(after.body.data).toEqual(before.body.data);
  });

  test.each([
    ['RFC 1918', 'http://10.0.0.5/hook'],
    ['RFC 1918, 192.168', 'https://192.168.1.10/hook'],
    ['loopback', 'http://127.0.0.1:8080/hook'],
    ['loopback, elsewhere in 127/8', 'http://127.1.2.3/hook'],
    ['cloud metadata (link-local)', 'http://169.254.169.254/latest/meta-data/'],
    ['IPv6 loopback', 'http://[::1]:8080/hook'],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/hook'],
    ['IPv6 link-local', 'http://[fe80::1]/hook'],
    ['IPv6 unique-local', 'http://[fd12:3456::1]/hook'],
    ['CGNAT', 'http://100.64.0.1/hook'],
    ['multicast', 'http://224.0.0.1/hook'],
    ['unspecified', 'http://0.0.0.0:8080/hook'],
    ['a name resolving to loopback', 'http://localhost:8080/hook'],
    ['a decimal IPv4 (2130706433 is 127.0.0.1)', 'http://2130706433/hook'],
  ])('%s is refused with a 400 on url', async (_case, url) => {
    const res = await register(strict, seller, { url, events: ['order.paid'] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      type: 'invalid_request',
      code: 'url_not_allowed',
      param: 'url',
    });
  });

  test('link-local stays refused where private targets are allowed', async () => {
    for (const url of [
      'http://169.254.169.254/',
      'http://[fe80::1]/',
      'http://[::ffff:a9fe:a9fe]/',
    ]) {
      const res = await register(ctx.app, seller, { url, events: ['order.paid'] });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('url_not_allowed');
    }
  });

  test('a host that resolves nowhere is refused', async () => {
    const res = await register(strict, seller, {
      url: 'https://nothing-here.invalid/hook',
      events: ['order.paid'],
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'url_unresolvable', param: 'url' });
  });

  test('a public address is taken', async () => {
    const res = await register(strict, seller, {
      url: 'https://8.8.8.8:9/hook',
      events: ['order.paid'],
    });
    expect(res.status).toBe(201);
  });

  test('an account has at most 16 endpoints', async () => {
    const brand = await signUpBrand(ctx.app);
    const body = { url: 'http://127.0.0.1:9/many', events: ['drop.live'] };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => register(ctx.app, brand, body)),
    );
    expect(answers.filter((res) => res.status === 201)).toHaveLength(16);
    for (const res of answers.filter((r) => r.status !== 201)) {
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('too_many_endpoints');
    }
  });
});
