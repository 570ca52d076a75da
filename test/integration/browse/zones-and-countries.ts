/**
 * Time zones are IANA names, not offsets, and countries are assigned ISO 3166-1 codes, not
 * every region ICU can name (issue 19.10), wherever they are taken.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { COUNTRY_CODES } from '../../../src/http/country-codes';
import { signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';

let ctx: TestContext;
let member: TestUser;

beforeAll(async () => {
  ctx = await startTestContext();
  member = await signUp(ctx.app);
});

afterAll(async () => {
  await ctx.close();
});

const signupBody = (fields: Record<string, unknown>) => ({
  email: `z${randomBytes(6).toString('hex')}@example.com`,
  password: 'correct horse battery',
  displayName: 'Zone',
  country: 'JP',
  accountType: 'member',
  ...fields,
});

describe('time zones', () => {
  test.each(['+05:30', '-05:00', '+0530', '-05', '+14:00', 'UTC+5', 'Mars/Olympus', 'Asia/Tokyo '])(
    '%p is refused at signup, on PATCH /v1/me and for a drop',
    async (zone) => {
      const signup = await request(ctx.app)
        .post('/v1/auth/signup')
        .send(signupBody({ timezone: zone }));
      expect(signup.status).toBe(400);
      expect(signup.body.error.param).toBe('timezone');
      const patch = await request(ctx.app)
        .patch('/v1/me')
        .set(member.auth)
        .send({ timezone: zone });
      expect(patch.status).toBe(400);
      expect(patch.body.error.param).toBe('timezone');
      const brand = await signUpBrand(ctx.app);
      const drop = await request(ctx.app)
        .post('/v1/campaigns/drops')
        .set(brand.auth)
        .send({
          title: 'T',
          listingId: 'lst_x',
          stock: 1,
          startsAt: '2027-01-01T10:00:00',
          timezone: zone,
          puzzle: { question: { en: 'Q' }, answers: ['a'] },
        });
      expect(drop.status).toBe(400);
      expect(
        drop.body.error.details?.map((d: { param: string }) => d.param) ?? [drop.body.error.param],
      ).toContain('timezone');
    },
  );

  test.each([
    'UTC',
    'Asia/Kolkata',
    'America/Argentina/Buenos_Aires',
    'Etc/GMT+5',
    'Asia/Calcutta',
  ])('%p is a zone', async (zone) => {
    const patch = await request(ctx.app).patch('/v1/me').set(member.auth).send({ timezone: zone });
    expect(patch.status).toBe(200);
    expect(patch.body.timezone).toBe(zone);
  });

  test('the finance export refuses an offset as its zone', async () => {
    const finance = await signUp(ctx.app);
    await ctx.services.accounts.grantRole(finance.email, 'finance');
    const res = await request(ctx.app)
      .get('/v1/finance/orders.csv')
      .set(finance.auth)
      .query({ from: '2026-11-01', to: '2026-11-02', timezone: '+05:30' });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe('timezone');
  });
});

describe('countries', () => {
  test.each([
    'ZZ',
    'EU',
    'UN',
    'XK',
    'QO',
    'XA',
    'EZ',
    'UK',
    'SU',
    'YU',
    'AN',
    'AC',
    'IC',
    'TA',
    'DG',
    'CP',
  ])('%p is not an assigned ISO 3166-1 code: refused at signup', async (country) => {
    const res = await request(ctx.app).post('/v1/auth/signup').send(signupBody({ country }));
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe('country');
  });

  test('an unassigned code is refused as a shipping country and as a listing filter', async () => {
    const order = await request(ctx.app)
      .post('/v1/orders')
      .set(member.auth)
      .send({
        items: [{ listingId: 'lst_01jzzzzzzzzzzzzzzzzzzzzzzz', quantity: 1 }],
        shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'ZZ' },
      });
    expect(order.status).toBe(400);
    expect(order.body.error.param).toBe('shippingAddress.country');
    const browse = await request(ctx.app).get('/v1/listings').query({ shipsTo: 'ZZ' });
    expect(browse.status).toBe(400);
    expect(browse.body.error.param).toBe('shipsTo');
  });

  test('all 249 assigned codes are countries, in any case', async () => {
    expect(COUNTRY_CODES.size).toBe(249);
    for (const country of ['JP', 'fr', 'Br', 'AQ', 'BQ', 'SS', 'CW', 'SX']) {
      const res = await request(ctx.app).post('/v1/auth/signup').send(signupBody({ country }));
      expect({ country, status: res.status }).toEqual({ country, status: 201 });
      expect(res.body.user.country).toBe(country.toUpperCase());
    }
  });
});
