import request from 'supertest';
import { startTestContext, type TestContext } from '../../support/harness';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await startTestContext();
});

afterAll(async () => {
  await ctx.close();
});

const signup = (overrides: Record<string, unknown> = {}) =>
  request(ctx.app)
    .post('/v1/auth/signup')
    .send({
      email: `m${Math.random().toString(36).slice(2)}@example.com`,
      password: 'correct horse battery',
      displayName: 'Mei',
      country: 'jp',
      timezone: 'Asia/Tokyo',
      accountType: 'member',
      ...overrides,
    });

describe('accounts', () => {
  test('signup returns the user and a token that works on /v1/me', async () => {
    const res = await signup();
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({
      country: 'JP',
      timezone: 'Asia/Tokyo',
      roles: ['member'],
      autoConvertPoints: false,
    });
    expect(res.body.token).toMatch(/^cs_/);
    const me = await request(ctx.app)
      .get('/v1/me')
      .set('Authorization', `Bearer ${res.body.token}`);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(res.body.user.id);
    expect(me.headers['x-request-id']).toBeDefined();
  });

  test('brand signup creates a brand', async () => {
    const res = await signup({ accountType: 'brand', brandName: 'Kyoto Tea' });
    expect(res.status).toBe(201);
    expect(res.body.user.roles).toEqual(['member', 'brand']);
    expect(res.body.user.brandId).toMatch(/^brd_/);
  });

  test('validation names the failing field', async () => {
    const res = await signup({ country: 'XX' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request', param: 'country' });
  });
});
