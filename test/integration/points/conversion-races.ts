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
import { COUPON_CODE, type Conversion, postNote, pointsClient } from '../../support/points';
import { useTestApp } from '../../support/test-app';

/** Points turned into coupons again and at once: idempotency, settling twice, races, then checkout. */
const ctx = useTestApp({ listen: true, workers: true });
const {
  memberWith,
  points,
  balanceOf,
  couponsOf,
  getOffer,
  settled,
  convert,
  conversionOutcome,
  count,
  offerCoupons,
  expectLedgerMatchesBalances,
} = pointsClient(ctx);
let brand: TestUser;

beforeAll(async () => {
  brand = await signUpBrand(ctx.app, 'Kyoto Paper Co');
});

describe('conversions', () => {
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
