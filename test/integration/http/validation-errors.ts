import request from 'supertest';
import { selectOne } from '../../../src/db/sql';
import { createListing, signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const ctx = useTestApp();
let seller: TestUser;
let brand: TestUser;

beforeAll(async () => {
  seller = await signUp(ctx.app);
  brand = await signUpBrand(ctx.app);
});

const NO_DROP = `drp_${'0'.repeat(26)}`;

describe('unknown query parameters are refused by name', () => {
  test('?sort=price on the listings is a 400 naming sort', async () => {
    const res = await request(ctx.app).get('/v1/listings?sort=price');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      type: 'invalid_request',
      code: 'parameter_invalid',
      message: 'sort is not a known query parameter',
      param: 'sort',
      details: [
        {
          param: 'sort',
          code: 'parameter_unknown',
          message: 'sort is not a known query parameter',
        },
      ],
    });
  });

  test('declared parameters still work beside it, and each unknown one is listed', async () => {
    const res = await request(ctx.app).get('/v1/listings?limit=5&sort=price&order=asc');
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { param: string }) => d.param)).toEqual([
      'sort',
      'order',
    ]);
    expect((await request(ctx.app).get('/v1/listings?limit=5')).status).toBe(200);
  });

  test('a parameter given twice is named as sent, whatever is wrong with it', async () => {
    const twice = await request(ctx.app).get('/v1/campaigns/drops?status=live&status=ended');
    expect(twice.status).toBe(400);
    expect(twice.body.error).toMatchObject({
      param: 'status',
      message: 'status must be given once',
    });
    const withNul = await request(ctx.app).get('/v1/campaigns/drops?status=live&status=a%00b');
    expect(withNul.status).toBe(400);
    expect(withNul.body.error.param).toBe('status');
  });

  test('a route that declares no query takes none', async () => {
    const res = await request(ctx.app).get('/v1/me?verbose=1').set(seller.auth);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ param: 'verbose', code: 'parameter_invalid' });
    expect((await request(ctx.app).get('/v1/me').set(seller.auth)).status).toBe(200);
  });

  test('a hot route refuses one as the others do (the query takes it to Express)', async () => {
    const attempt = (url: string) =>
      request(ctx.app).post(url).set(seller.auth).send({ answer: 'tea' });
    const res = await attempt(`/v1/campaigns/drops/${NO_DROP}/attempts?fast=1`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      message: 'fast is not a known query parameter',
      param: 'fast',
    });
    expect((await attempt(`/v1/campaigns/drops/${NO_DROP}/attempts`)).status).toBe(404);
  });
});

describe('currency codes in any case', () => {
  test('a listing in "usd" is stored and answered as USD, and found by ?currency=usd', async () => {
    const listing = await createListing(ctx.app, seller, {
      currency: 'usd',
      shipsTo: ['jp', 'De'],
    });
    expect(listing.currency).toBe('USD');
    const read = await request(ctx.app).get(`/v1/listings/${listing.id}`);
    expect(read.body).toMatchObject({ currency: 'USD', shipsTo: ['JP', 'DE'] });
    const found = await request(ctx.app).get(
      `/v1/listings?sellerId=${seller.id}&currency=usd&minPrice=0&maxPrice=999999`,
    );
    expect(found.status).toBe(200);
    expect(found.body.data.map((l: { id: string }) => l.id)).toContain(listing.id);
  });

  test('a coupon batch with a fixed discount in "eur" is made in EUR', async () => {
    const res = await request(ctx.app)
      .post('/v1/brands/me/coupon-batches')
      .set(brand.auth)
      .send({
        count: 1,
        discountType: 'fixed',
        amountOff: 500,
        currency: 'eur',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
    expect(res.status).toBe(201);
    const batch = await selectOne<{ currency: string }>(
      ctx.db,
      'SELECT currency FROM coupon_batches WHERE id = ?',
      [res.body.id],
    );
    expect(batch?.currency).toBe('EUR');
  });

  test('a code that is not ISO 4217 is refused with a sentence', async () => {
    const res = await request(ctx.app).get('/v1/listings?currency=dollars');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      param: 'currency',
      message: 'currency must be a 3-letter ISO 4217 code, e.g. USD',
    });
  });
});

describe('validation errors are sentences, every failing field listed', () => {
  test('a listing with four problems names all four, the first as param', async () => {
    const res = await request(ctx.app).post('/v1/listings').set(seller.auth).send({
      description: 'D',
      priceAmount: 19.99,
      currency: 'US',
      quantity: 1,
      category: 'ceramics',
      condition: 'new',
      fee: 100,
    });
    expect(res.status).toBe(400);
    const { error } = res.body;
    expect(error.details).toEqual(
      expect.arrayContaining([
        { param: 'title', code: 'parameter_missing', message: 'title is required' },
        {
          param: 'priceAmount',
          code: 'parameter_invalid',
          message: 'priceAmount must be a whole number of minor units',
        },
        {
          param: 'currency',
          code: 'parameter_invalid',
          message: 'currency must be a 3-letter ISO 4217 code, e.g. USD',
        },
        { param: 'fee', code: 'parameter_unknown', message: 'fee is not a known field' },
      ]),
    );
    expect(error.details).toHaveLength(4);
    expect(error.param).toBe(error.details[0].param);
    expect(error.message).toMatch(/^\S+ .* \(and 3 more problems, listed in error\.details\)$/);
  });

  test('a sign-up says which e-mail is wrong, and which is missing', async () => {
    const signup = (email?: string) =>
      request(ctx.app)
        .post('/v1/auth/signup')
        .send({
          ...(email !== undefined ? { email } : {}),
          password: 'correct horse battery',
          displayName: 'Test',
          country: 'jp',
          accountType: 'member',
        });
    expect((await signup('not-an-email')).body.error).toMatchObject({
      param: 'email',
      message: 'email must be a valid email address',
    });
    expect((await signup()).body.error).toMatchObject({
      param: 'email',
      message: 'email is required',
      details: [{ param: 'email', code: 'parameter_missing', message: 'email is required' }],
    });
  });

  test('minPrice=abc says minPrice must be a number, not the validator wording', async () => {
    const res = await request(ctx.app).get('/v1/listings?currency=USD&minPrice=abc');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      param: 'minPrice',
      message: 'minPrice must be a number',
    });
    expect(JSON.stringify(res.body)).not.toMatch(/Invalid input|NaN/);
  });

  test('an error a service raises about a field lists that field in details', async () => {
    const res = await request(ctx.app)
      .post('/v1/brands/me/coupon-batches')
      .set(brand.auth)
      .send({
        count: 1,
        discountType: 'percent',
        percentOff: 10,
        expiresAt: new Date(Date.now() - 86_400_000).toISOString(),
      });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      param: 'expiresAt',
      details: [{ param: 'expiresAt', code: res.body.error.code, message: res.body.error.message }],
    });
  });

  test('the hot path answers a bad body with the same details as Express', async () => {
    const hot = await request(ctx.app)
      .post(`/v1/campaigns/drops/${NO_DROP}/attempts`)
      .set(seller.auth)
      .send({ answer: 3, guess: 'x' });
    const viaExpress = await request(ctx.app)
      .post(`/v1/campaigns/drops/${NO_DROP}/attempts`)
      .set(seller.auth)
      .set('Idempotency-Key', `k-${Date.now()}`)
      .send({ answer: 3, guess: 'x' });
    expect(hot.status).toBe(400);
    expect(hot.body.error.details.length).toBe(2);
    expect(hot.body).toEqual(viaExpress.body);
  });
});
