/**
 * HEAD on the streamed CSV routes answers GET's status and headers, checks included, without
 * running the export's query or reading a row (issue 19.10).
 */
import request from 'supertest';
import { signUp, signUpBrand, type TestUser } from '../support/fixtures';
import { useTestApp } from '../support/test-app';

const ctx = useTestApp();
let finance: TestUser;
let brand: TestUser;

beforeAll(async () => {
  finance = await signUp(ctx.app);
  await ctx.services.accounts.grantRole(finance.email, 'finance');
  brand = await signUpBrand(ctx.app);
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('GET /v1/finance/orders.csv', () => {
  const range = { from: '2026-11-01', to: '2026-11-30', timezone: 'Asia/Tokyo' };

  test('HEAD answers 200 with the CSV headers and runs no export query', async () => {
    const exportRows = jest.spyOn(ctx.services.finance, 'writeOrdersCsv');
    const head = await request(ctx.app)
      .head('/v1/finance/orders.csv')
      .set(finance.auth)
      .query(range);
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toMatch(/^text\/csv/);
    expect(head.headers['content-disposition']).toMatch(
      /attachment; filename="?orders-2026-11-01-2026-11-30\.csv/,
    );
    expect(exportRows).not.toHaveBeenCalled();
    const get = await request(ctx.app).get('/v1/finance/orders.csv').set(finance.auth).query(range);
    expect(get.status).toBe(200);
    expect(exportRows).toHaveBeenCalledTimes(1);
  });

  test('HEAD is refused as GET is: anonymous 401, not finance 403, a range too long 400', async () => {
    const exportRows = jest.spyOn(ctx.services.finance, 'writeOrdersCsv');
    expect((await request(ctx.app).head('/v1/finance/orders.csv').query(range)).status).toBe(401);
    expect(
      (await request(ctx.app).head('/v1/finance/orders.csv').set(brand.auth).query(range)).status,
    ).toBe(403);
    const long = await request(ctx.app)
      .head('/v1/finance/orders.csv')
      .set(finance.auth)
      .query({ ...range, from: '2020-01-01' });
    expect(long.status).toBe(400);
    expect(exportRows).not.toHaveBeenCalled();
  });

  test('HEAD on an unknown export download is 404', async () => {
    const res = await request(ctx.app)
      .head('/v1/finance/exports/exp_01jzzzzzzzzzzzzzzzzzzzzzzz/download')
      .set(finance.auth);
    expect(res.status).toBe(404);
  });
});

describe('GET /v1/brands/me/coupon-batches/:id/codes.csv', () => {
  test('HEAD answers 200 with the CSV headers and reads no code; an unknown batch is 404', async () => {
    const created = await request(ctx.app)
      .post('/v1/brands/me/coupon-batches')
      .set(brand.auth)
      .send({
        count: 3,
        discountType: 'percent',
        percentOff: 10,
        expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      });
    expect(created.status).toBe(201);
    await ctx.services.coupons.generateBatch(created.body.id, async () => {});
    const readCodes = jest.spyOn(ctx.services.coupons, 'codesCsv');
    const path = `/v1/brands/me/coupon-batches/${created.body.id}/codes.csv`;
    const head = await request(ctx.app).head(path).set(brand.auth);
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toMatch(/^text\/csv/);
    expect(head.headers['content-disposition']).toMatch(/attachment/);
    expect(readCodes).not.toHaveBeenCalled();
    const missing = await request(ctx.app)
      .head('/v1/brands/me/coupon-batches/cpb_01jzzzzzzzzzzzzzzzzzzzzzzz/codes.csv')
      .set(brand.auth);
    expect(missing.status).toBe(404);
    const get = await request(ctx.app).get(path).set(brand.auth);
    expect(get.status).toBe(200);
    expect(get.text.trim().split('\n')).toHaveLength(4);
  });
});
