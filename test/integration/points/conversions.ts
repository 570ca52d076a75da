import { DateTime } from 'luxon';
import request from 'supertest';
import { signUp, signUpBrand, type TestUser, createOffer } from '../../support/fixtures';
import { ID, COUPON_CODE, HOUR, pointsClient } from '../../support/points';
import { useTestApp } from '../../support/test-app';

/** Points turned into coupons: settlement, and the refusals a conversion gets at once. */
const ctx = useTestApp({ listen: true, workers: true });
const {
  earn,
  memberWith,
  points,
  balanceOf,
  couponsOf,
  getOffer,
  settled,
  convert,
  expectRefused,
  count,
  offerCoupons,
  entriesWith,
  expectLedgerMatchesBalances,
} = pointsClient(ctx);
let brand: TestUser;

beforeAll(async () => {
  brand = await signUpBrand(ctx.app, 'Kyoto Paper Co');
});

describe('conversions', () => {
  test('a conversion is 202 pending, then completed with a coupon of the offer brand, debited once in the ledger', async () => {
    const shop = await signUpBrand(ctx.app, 'Coupon Brand');
    const offer = await createOffer(ctx.server, shop, {
      pointsCost: 25,
      coupon: {
        discountType: 'fixed',
        amountOff: 500,
        currency: 'USD',
        minSpendAmount: 1000,
        validDays: 7,
      },
    });
    const member = await memberWith(30);

    const res = await request(ctx.server)
      .post('/v1/points/conversions')
      .set(member.auth)
      .send({ offerId: offer.id });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      id: expect.stringMatching(ID),
      offerId: offer.id,
      status: 'pending',
      reason: null,
      pointsCost: null,
      couponCode: null,
      createdAt: expect.any(String),
      settledAt: null,
    });
    expect(res.body.id.startsWith('cnv_')).toBe(true);

    const done = await settled(member, res.body.id);
    expect(done).toEqual({
      id: res.body.id,
      offerId: offer.id,
      status: 'completed',
      reason: null,
      pointsCost: 25,
      couponCode: expect.stringMatching(COUPON_CODE),
      createdAt: res.body.createdAt,
      settledAt: expect.any(String),
    });

    const coupons = await couponsOf(member);
    expect(coupons).toHaveLength(1);
    expect(coupons[0]).toMatchObject({
      code: done.couponCode,
      brandId: shop.brandId,
      discountType: 'fixed',
      percentOff: null,
      amountOff: 500,
      currency: 'USD',
      minSpendAmount: 1000,
      status: 'available',
      redeemedAt: null,
    });
    const expires = new Date(coupons[0]!.expiresAt as string).getTime();
    const expected = DateTime.fromISO(done.settledAt!).plus({ days: 7 }).toMillis();
    expect(Math.abs(expires - expected)).toBeLessThan(1000);

    const ledger = await points(member);
    expect(ledger.balance).toBe(5);
    expect(ledger.entries.data[0]).toMatchObject({
      amount: -25,
      reason: 'conversion',
      sourceId: res.body.id,
    });
    expect(ledger.entries.data.filter((e) => e.reason === 'conversion')).toHaveLength(1);
    expect((await getOffer(offer.id)).issued).toBe(1);
    expect(await offerCoupons(offer.id)).toBe(1);
    await expectLedgerMatchesBalances();
  });

  test('not enough points: 409 insufficient_points at once (10 of 20 is not 202), nothing debited, nothing issued', async () => {
    const offer = await createOffer(ctx.server, brand, { pointsCost: 25 });
    const member = await memberWith(20);
    await expectRefused(member, offer.id, 'insufficient_points');
    const refused = await request(ctx.server)
      .post('/v1/points/conversions')
      .set(member.auth)
      .send({ offerId: offer.id });
    expect(refused.body.error.message).toBe('This offer costs 25 points and you have 20.');
    expect(await balanceOf(member)).toBe(20);
    expect(await entriesWith(member.id, 'conversion')).toBe(0);
    expect(await couponsOf(member)).toEqual([]);
    expect((await getOffer(offer.id)).issued).toBe(0);

    const broke = await signUp(ctx.app);
    await expectRefused(broke, offer.id, 'insufficient_points');
    expect(await balanceOf(broke)).toBe(0);
  });

  test('over the per-member limit: 409 limit_reached at once, nothing debited', async () => {
    const offer = await createOffer(ctx.server, brand, { pointsCost: 20, perUserLimit: 2 });
    const member = await memberWith(30, 30);
    expect((await convert(member, offer.id)).status).toBe('completed');
    expect((await convert(member, offer.id)).status).toBe('completed');
    expect(await balanceOf(member)).toBe(20);
    await expectRefused(member, offer.id, 'limit_reached');
    expect(await balanceOf(member)).toBe(20);
    expect(await entriesWith(member.id, 'conversion')).toBe(2);
    expect(await couponsOf(member)).toHaveLength(2);
    expect((await getOffer(offer.id)).issued).toBe(2);
  });

  test('an offer not started yet: 409 offer_not_active at once, nothing debited', async () => {
    const offer = await createOffer(ctx.server, brand, {
      startsAt: new Date(Date.now() + HOUR).toISOString(),
    });
    const member = await memberWith(30);
    await expectRefused(member, offer.id, 'offer_not_active');
    expect(await balanceOf(member)).toBe(30);
    expect(await entriesWith(member.id, 'conversion')).toBe(0);
    expect(await couponsOf(member)).toEqual([]);
    expect((await getOffer(offer.id)).issued).toBe(0);
  });

  test('no coupons left: 409 budget_exhausted at once, nothing debited', async () => {
    const offer = await createOffer(ctx.server, brand, { budget: 1 });
    const first = await memberWith(30);
    const second = await memberWith(30);
    expect((await convert(first, offer.id)).status).toBe('completed');
    await expectRefused(second, offer.id, 'budget_exhausted');
    expect(await balanceOf(second)).toBe(30);
    expect(await entriesWith(second.id, 'conversion')).toBe(0);
    expect(await couponsOf(second)).toEqual([]);
    expect(await getOffer(offer.id)).toMatchObject({ issued: 1, status: 'exhausted' });
    expect(await offerCoupons(offer.id)).toBe(1);
  });

  test('refusals are checked in order: offer_not_active, insufficient_points, limit_reached, budget_exhausted', async () => {
    const scheduled = await createOffer(ctx.server, brand, {
      startsAt: new Date(Date.now() + HOUR).toISOString(),
    });
    const broke = await signUp(ctx.app);
    await expectRefused(broke, scheduled.id, 'offer_not_active');

    const single = await createOffer(ctx.server, brand, { budget: 1, pointsCost: 20 });
    const holder = await memberWith(30);
    expect((await convert(holder, single.id)).status).toBe('completed');
    // The holder is at the limit on an exhausted offer, and now short of points.
    expect(await balanceOf(holder)).toBe(10);
    await expectRefused(holder, single.id, 'insufficient_points');
    await earn(holder, 20);
    await expectRefused(holder, single.id, 'limit_reached');
    await expectRefused(broke, single.id, 'insufficient_points');
    expect(await balanceOf(holder)).toBe(30);
  });

  test('a conversion is private to its member: others 404, anonymous 401', async () => {
    const member = await memberWith(20);
    const offer = await createOffer(ctx.server, brand);
    const mine = await convert(member, offer.id);
    const other = await signUp(ctx.app);
    const path = `/v1/points/conversions/${mine.id}`;
    const theirs = await request(ctx.server).get(path).set(other.auth);
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.type).toBe('not_found');
    expect((await request(ctx.server).get(path).set(brand.auth)).status).toBe(404);
    expect((await request(ctx.server).get(path)).status).toBe(401);
    const missing = await request(ctx.server)
      .get('/v1/points/conversions/cnv_00000000000000000000000000')
      .set(member.auth);
    expect(missing.status).toBe(404);
  });

  test('an unknown offer is 404 and records nothing; bad bodies are 400; anonymous 401', async () => {
    const member = await memberWith(20);
    const unknown = await request(ctx.server)
      .post('/v1/points/conversions')
      .set(member.auth)
      .send({ offerId: 'pof_00000000000000000000000000' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.type).toBe('not_found');
    const extra = await request(ctx.server)
      .post('/v1/points/conversions')
      .set(member.auth)
      .send({ offerId: 'pof_00000000000000000000000000', points: 5 });
    expect(extra.status).toBe(400);
    expect(extra.body.error).toMatchObject({ type: 'invalid_request', param: 'points' });
    const none = await request(ctx.server).post('/v1/points/conversions').set(member.auth).send({});
    expect(none.status).toBe(400);
    expect(none.body.error.param).toBe('offerId');
    expect(
      await count('SELECT COUNT(*) AS n FROM point_conversions WHERE member_id = ?', [member.id]),
    ).toBe(0);
    expect(await balanceOf(member)).toBe(20);
    const offer = await createOffer(ctx.server, brand);
    const anonymous = await request(ctx.server)
      .post('/v1/points/conversions')
      .send({ offerId: offer.id });
    expect(anonymous.status).toBe(401);
  });
});
