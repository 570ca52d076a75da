import { DateTime } from 'luxon';
import request from 'supertest';
import { selectRows } from '../../../src/db/sql';
import { newId } from '../../../src/ids';
import { bulkMembers } from '../../support/drops';
import {
  ADDRESS,
  createListing,
  signUp,
  signUpBrand,
  type TestUser,
  createOffer,
} from '../../support/fixtures';
import {
  ID,
  COUPON_CODE,
  HOUR,
  type Conversion,
  postNote,
  pointsClient,
} from '../../support/points';
import { useTestApp } from '../../support/test-app';

/** Points turned into coupons: refusals, settlement, limits, budgets and races. */
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
  conversionOutcome,
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

  test('the same Idempotency-Key on POST /v1/points/conversions makes one conversion', async () => {
    const offer = await createOffer(ctx.server, brand, { perUserLimit: 5 });
    const member = await memberWith(30, 30);
    const post = () =>
      request(ctx.server)
        .post('/v1/points/conversions')
        .set(member.auth)
        .set('Idempotency-Key', 'convert-once')
        .send({ offerId: offer.id });
    const first = await post();
    expect(first.status).toBe(202);
    const replay = await post();
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual(first.body);
    await settled(member, first.body.id);
    expect(
      await count('SELECT COUNT(*) AS n FROM point_conversions WHERE member_id = ?', [member.id]),
    ).toBe(1);
    expect(await balanceOf(member)).toBe(40);
    expect(await couponsOf(member)).toHaveLength(1);
  });

  test('settle() run again on a settled conversion changes nothing', async () => {
    const offer = await createOffer(ctx.server, brand, { perUserLimit: 5 });
    const member = await memberWith(30);
    const done = await convert(member, offer.id);
    expect(done.status).toBe('completed');
    // Accepted while it could still succeed, then short of points when settled (the job's race).
    const lateId = newId('cnv');
    await ctx.db.query(
      `INSERT INTO point_conversions (id, offer_id, member_id, status, created_at) VALUES (?, ?, ?, 'pending', ?)`,
      [lateId, offer.id, member.id, new Date()],
    );
    const failed = (await ctx.services.conversions.settle(lateId)) as Conversion;
    expect(failed.reason).toBe('insufficient_points');

    const snapshot = async () => ({
      points: await points(member),
      coupons: await couponsOf(member),
      offer: await getOffer(offer.id),
      couponRows: await offerCoupons(offer.id),
    });
    const before = await snapshot();
    expect(await ctx.services.conversions.settle(done.id)).toEqual(done);
    expect(await ctx.services.conversions.settle(done.id)).toEqual(done);
    expect(await ctx.services.conversions.settle(failed.id)).toEqual(failed);
    expect(await snapshot()).toEqual(before);
    expect(before.points.balance).toBe(10);
    expect(before.offer.issued).toBe(1);
  });

  test('one member converting twice at once with perUserLimit 1 gets exactly one coupon', async () => {
    const offer = await createOffer(ctx.server, brand, { pointsCost: 20, perUserLimit: 1 });
    const member = await memberWith(30, 30);
    // Each is refused at once if another has already settled, else failed by its job.
    const results = await Promise.all(
      Array.from({ length: 4 }, () => conversionOutcome(member, offer.id)),
    );
    expect(results.filter((r) => r.status === 'completed')).toHaveLength(1);
    expect(results.filter((r) => r.reason === 'limit_reached')).toHaveLength(3);
    expect(await balanceOf(member)).toBe(40);
    expect(await couponsOf(member)).toHaveLength(1);
    expect((await getOffer(offer.id)).issued).toBe(1);
  });

  test('10 × B members converting at once against budget B: exactly B coupons, every other conversion budget_exhausted, points debited only for the B', async () => {
    const B = 5;
    const shop = await signUpBrand(ctx.app, 'Race Brand');
    const members = await bulkMembers(ctx.db, 10 * B);
    await Promise.all(members.map((m) => postNote(ctx.server, m, 20)));
    const offer = await createOffer(ctx.server, shop, { pointsCost: 20, budget: B });

    // Asked once the budget is gone: refused at once; while it may still be there: the job decides.
    const results = await Promise.all(
      members.map(async (member) => ({
        member,
        result: await conversionOutcome(member, offer.id),
      })),
    );
    const winners = results.filter((r) => r.result.status === 'completed');
    const losers = results.filter((r) => r.result.status !== 'completed');
    expect(winners).toHaveLength(B);
    expect(losers).toHaveLength(9 * B);
    expect(
      losers.every(
        (r) =>
          (r.result.status === 'failed' || r.result.status === 'refused') &&
          r.result.reason === 'budget_exhausted',
      ),
    ).toBe(true);
    expect(winners.every((r) => COUPON_CODE.test(r.result.couponCode ?? ''))).toBe(true);

    expect(await getOffer(offer.id)).toMatchObject({ issued: B, status: 'exhausted' });
    const owners = await selectRows<{ ownerId: string }>(
      ctx.db,
      'SELECT owner_id AS ownerId FROM coupons WHERE offer_id = ? ORDER BY owner_id',
      [offer.id],
    );
    expect(owners.map((o) => o.ownerId)).toEqual(winners.map((w) => w.member.id).sort());

    const balances = await selectRows<{ memberId: string; balance: number }>(
      ctx.db,
      'SELECT member_id AS memberId, balance FROM point_balances WHERE member_id IN (?)',
      [members.map((m) => m.id)],
    );
    const balance = new Map(balances.map((b) => [b.memberId, Number(b.balance)]));
    for (const w of winners) expect(balance.get(w.member.id)).toBe(0);
    for (const l of losers) expect(balance.get(l.member.id)).toBe(20);
    const debited = await selectRows<{ memberId: string; amount: number; sourceId: string }>(
      ctx.db,
      `SELECT member_id AS memberId, amount, source_id AS sourceId FROM point_entries
        WHERE reason = 'conversion' AND member_id IN (?) ORDER BY member_id`,
      [members.map((m) => m.id)],
    );
    expect(debited).toEqual(
      winners
        .map((w) => ({ memberId: w.member.id, amount: -20, sourceId: w.result.id }))
        .sort((a, b) => (a.memberId < b.memberId ? -1 : 1)),
    );
    await expectLedgerMatchesBalances();
  });

  test("a converted coupon pays for the brand's listing at checkout, and only for its owner", async () => {
    const shop = await signUpBrand(ctx.app, 'Checkout Brand');
    const listing = await createListing(ctx.app, shop, { priceAmount: 2000, currency: 'USD' });
    const offer = await createOffer(ctx.server, shop, {
      coupon: { discountType: 'percent', percentOff: 10, validDays: 30 },
    });
    const owner = await memberWith(20);
    const { couponCode } = await convert(owner, offer.id);
    expect(couponCode).toMatch(COUPON_CODE);
    const order = (buyer: TestUser, listingId: string) =>
      request(ctx.server)
        .post('/v1/orders')
        .set(buyer.auth)
        .send({ items: [{ listingId, quantity: 1 }], couponCode, shippingAddress: ADDRESS });

    const stranger = await signUp(ctx.app);
    const stolen = await order(stranger, listing.id);
    expect(stolen.status).toBeGreaterThanOrEqual(400);
    expect(stolen.status).toBeLessThan(500);
    expect(stolen.body.error.code).toBe('coupon_not_applicable');

    const elsewhere = await createListing(ctx.app, await signUp(ctx.app));
    const wrongShop = await order(owner, elsewhere.id);
    expect(wrongShop.status).toBeGreaterThanOrEqual(400);
    expect(wrongShop.status).toBeLessThan(500);
    expect(wrongShop.body.error.code).toBe('coupon_not_applicable');

    const res = await order(owner, listing.id);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      subtotalAmount: 2000,
      discountAmount: 200,
      totalAmount: 1800,
      couponCode,
    });
    const paid = await request(ctx.server).post(`/v1/orders/${res.body.id}/pay`).set(owner.auth);
    expect(paid.status).toBe(200);
    const [coupon] = await couponsOf(owner);
    expect(coupon).toMatchObject({ code: couponCode, status: 'redeemed' });
  });
});
