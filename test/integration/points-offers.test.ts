import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { DateTime } from 'luxon';
import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../jobs/worker';
import { ManualClock } from '../../src/clock';
import { selectOne, selectRows } from '../../src/db/sql';
import { newId } from '../../src/ids';
import { bulkMembers } from '../support/drops';
import {
  ADDRESS,
  createListing,
  eventually,
  signUp,
  signUpBrand,
  type TestUser,
  createOffer,
  offerBody,
} from '../support/fixtures';
import { startTestContext, type TestContext } from '../support/harness';

let ctx: TestContext;
let server: Server;
let workers: RunningWorkers;
let brand: TestUser;

beforeAll(async () => {
  ctx = await startTestContext();
  server = ctx.app.listen(0);
  workers = await startWorkers(ctx.deps, ctx.services);
  brand = await signUpBrand(ctx.app, 'Kyoto Paper Co');
});

afterAll(async () => {
  await workers.close();
  await new Promise((resolve) => server.close(resolve));
  await ctx.close();
});

const ID = /^[a-z]{3}_[0-9a-hjkmnp-tv-z]{26}$/;
const COUPON_CODE = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;
const HOUR = 3600_000;

interface Conversion {
  id: string;
  offerId: string;
  status: 'pending' | 'completed' | 'failed';
  reason: string | null;
  pointsCost: number | null;
  couponCode: string | null;
  createdAt: string;
  settledAt: string | null;
}

/** A note through the API: two languages earn 30 points, one language and no tags 20. */
async function postNote(app: Express | Server, member: TestUser, award: 20 | 30): Promise<void> {
  const res = await request(app)
    .post('/v1/notes')
    .set(member.auth)
    .send({
      clientId: randomUUID(),
      title: 'Tea in Uji',
      body: 'How the first flush is picked.',
      languages: award === 30 ? ['ja', 'en'] : ['ja'],
    });
  if (res.status !== 201 || res.body.status !== 'published')
    throw new Error(`note failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Posts one note per award, and checks the balance they made. */
async function earn(member: TestUser, ...awards: Array<20 | 30>): Promise<void> {
  const before = await balanceOf(member);
  for (const award of awards) await postNote(server, member, award);
  expect(await balanceOf(member)).toBe(before + awards.reduce((sum, a) => sum + a, 0));
}

async function memberWith(...awards: Array<20 | 30>): Promise<TestUser> {
  const member = await signUp(ctx.app);
  await earn(member, ...awards);
  return member;
}

async function points(member: TestUser) {
  const res = await request(server).get('/v1/me/points?limit=100').set(member.auth);
  expect(res.status).toBe(200);
  return res.body as {
    balance: number;
    entries: {
      data: Array<{ id: string; amount: number; reason: string; sourceId: string }>;
      nextCursor: string | null;
    };
  };
}

const balanceOf = async (member: TestUser) => (await points(member)).balance;

async function couponsOf(member: TestUser) {
  const res = await request(server).get('/v1/me/coupons?limit=100').set(member.auth);
  expect(res.status).toBe(200);
  return res.body.data as Array<Record<string, unknown> & { code: string; brandId: string }>;
}

const getOffer = async (id: string) =>
  (await request(server).get(`/v1/campaigns/points-offers/${id}`)).body as {
    issued: number;
    status: string;
  };

async function requestConversion(member: TestUser, offerId: string): Promise<Conversion> {
  const res = await request(server)
    .post('/v1/points/conversions')
    .set(member.auth)
    .send({ offerId });
  expect(res.status).toBe(202);
  return res.body as Conversion;
}

function settled(member: TestUser, id: string, ms = 10_000): Promise<Conversion> {
  return eventually(async () => {
    const res = await request(server).get(`/v1/points/conversions/${id}`).set(member.auth);
    expect(res.status).toBe(200);
    return res.body.status === 'pending' ? undefined : (res.body as Conversion);
  }, ms);
}

async function convert(member: TestUser, offerId: string): Promise<Conversion> {
  return settled(member, (await requestConversion(member, offerId)).id);
}

/** A conversion asked for: refused at once (409, its code), or accepted (202) and settled. */
async function conversionOutcome(
  member: TestUser,
  offerId: string,
  asked?: Promise<request.Response>,
): Promise<{ status: string; reason: string | null; id?: string; couponCode?: string | null }> {
  const res = await (asked ??
    request(server).post('/v1/points/conversions').set(member.auth).send({ offerId }));
  if (res.status === 409) return { status: 'refused', reason: res.body.error.code as string };
  expect(res.status).toBe(202);
  return settled(member, res.body.id as string);
}

/** A refusal at once: 409 with the reason as its code, naming offerId, and nothing recorded. */
async function expectRefused(member: TestUser, offerId: string, reason: string): Promise<void> {
  const before = await count('SELECT COUNT(*) AS n FROM point_conversions WHERE member_id = ?', [
    member.id,
  ]);
  const res = await request(server)
    .post('/v1/points/conversions')
    .set(member.auth)
    .send({ offerId });
  expect(res.status).toBe(409);
  expect(res.body.error).toMatchObject({ type: 'conflict', code: reason, param: 'offerId' });
  expect(res.body.error.message).toEqual(expect.any(String));
  expect(
    await count('SELECT COUNT(*) AS n FROM point_conversions WHERE member_id = ?', [member.id]),
  ).toBe(before);
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const row = await selectOne<{ n: number }>(ctx.sequelize, sql, params);
  return Number(row!.n);
}

const offerCoupons = (offerId: string) =>
  count('SELECT COUNT(*) AS n FROM coupons WHERE offer_id = ?', [offerId]);

const entriesWith = (memberId: string, reason: string) =>
  count('SELECT COUNT(*) AS n FROM point_entries WHERE member_id = ? AND reason = ?', [
    memberId,
    reason,
  ]);

/** Every member's balance is the sum of their ledger. */
async function expectLedgerMatchesBalances(): Promise<void> {
  const drift = await selectRows<{ memberId: string }>(
    ctx.sequelize,
    `SELECT b.member_id AS memberId FROM point_balances b
       LEFT JOIN (SELECT member_id, SUM(amount) AS total FROM point_entries GROUP BY member_id) e
         ON e.member_id = b.member_id
      WHERE b.balance <> COALESCE(e.total, 0)`,
  );
  expect(drift).toEqual([]);
}

describe('points offers', () => {
  test('a brand creates an offer: 201 with its terms, defaults and status; GET by id answers the same', async () => {
    const res = await request(server)
      .post('/v1/campaigns/points-offers')
      .set(brand.auth)
      .send({
        title: 'Fixed 5 USD off',
        pointsCost: 150,
        coupon: {
          discountType: 'fixed',
          amountOff: 500,
          currency: 'USD',
          minSpendAmount: 2000,
          validDays: 14,
        },
        budget: 1000,
        startsAt: '2020-01-01T09:00:00+09:00',
        endsAt: '2099-01-01T09:00:00+09:00',
      });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(ID),
      brandId: brand.brandId,
      brandName: 'Kyoto Paper Co',
      title: 'Fixed 5 USD off',
      pointsCost: 150,
      coupon: {
        discountType: 'fixed',
        percentOff: null,
        amountOff: 500,
        currency: 'USD',
        minSpendAmount: 2000,
        validDays: 14,
      },
      budget: 1000,
      issued: 0,
      perUserLimit: 1,
      startsAt: '2020-01-01T00:00:00.000Z',
      endsAt: '2099-01-01T00:00:00.000Z',
      status: 'active',
      createdAt: expect.stringMatching(/Z$/),
    });
    expect(res.body.id.startsWith('pof_')).toBe(true);
    const fetched = await request(server).get(`/v1/campaigns/points-offers/${res.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(res.body);

    const percent = await createOffer(server, brand, { perUserLimit: 3 });
    expect(percent).toMatchObject({
      perUserLimit: 3,
      coupon: {
        discountType: 'percent',
        percentOff: 10,
        amountOff: null,
        currency: null,
        minSpendAmount: null,
        validDays: 30,
      },
    });

    const unknown = await request(server).get(
      '/v1/campaigns/points-offers/pof_00000000000000000000000000',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.type).toBe('not_found');
    expect((await request(server).get('/v1/campaigns/points-offers/nope')).status).toBe(404);
  });

  test('bad offers are 400s in the API error shape naming the field, and write nothing', async () => {
    const own = await signUpBrand(ctx.app, 'Strict Brand');
    const past = new Date(Date.now() - 2 * HOUR).toISOString();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ coupon: { discountType: 'percent', validDays: 30 } }, 'coupon.percentOff'],
      [{ coupon: { discountType: 'fixed', amountOff: 500, validDays: 30 } }, 'coupon.currency'],
      [
        {
          startsAt: new Date(Date.now() + 2 * HOUR).toISOString(),
          endsAt: new Date(Date.now() + HOUR).toISOString(),
        },
        'endsAt',
      ],
      [
        {
          startsAt: new Date(Date.now() - 3 * HOUR).toISOString(),
          endsAt: past,
        },
        'endsAt',
      ],
      [{ colour: 'red' }, 'colour'],
      [{ coupon: { discountType: 'percent', percentOff: 10, validDays: 30, x: 1 } }, 'coupon.x'],
      [{ pointsCost: 0 }, 'pointsCost'],
      [{ budget: 0 }, 'budget'],
      [{ perUserLimit: 0 }, 'perUserLimit'],
      [{ coupon: { discountType: 'percent', percentOff: 10, validDays: 0 } }, 'coupon.validDays'],
      [{ coupon: { discountType: 'percent', percentOff: 101, validDays: 5 } }, 'coupon.percentOff'],
      [{ startsAt: '2030-01-01T09:00:00' }, 'startsAt'],
      [{ title: '' }, 'title'],
    ];
    for (const [overrides, param] of cases) {
      const res = await request(server)
        .post('/v1/campaigns/points-offers')
        .set(own.auth)
        .send(offerBody(overrides));
      expect({ param, status: res.status }).toEqual({ param, status: 400 });
      expect(res.body).toEqual({
        error: {
          type: 'invalid_request',
          code: expect.any(String),
          message: expect.any(String),
          param,
          details: expect.any(Array),
        },
      });
      // Every failing field is listed, the first being `param`.
      expect(res.body.error.details[0]).toEqual({
        param,
        code: expect.any(String),
        message: expect.any(String),
      });
    }
    const { pointsCost: _omitted, ...noCost } = offerBody();
    const missing = await request(server)
      .post('/v1/campaigns/points-offers')
      .set(own.auth)
      .send(noCost);
    expect(missing.status).toBe(400);
    expect(missing.body.error.param).toBe('pointsCost');
    expect(
      await count('SELECT COUNT(*) AS n FROM points_offers WHERE brand_id = ?', [own.brandId]),
    ).toBe(0);
  });

  test('only brands create offers: a member is 403, anonymous 401', async () => {
    const member = await signUp(ctx.app);
    const asMember = await request(server)
      .post('/v1/campaigns/points-offers')
      .set(member.auth)
      .send(offerBody());
    expect(asMember.status).toBe(403);
    expect(asMember.body.error.type).toBe('permission');
    const anonymous = await request(server).post('/v1/campaigns/points-offers').send(offerBody());
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.type).toBe('authentication');
  });

  test('statuses scheduled, active, exhausted, ended; the public list shows only open offers with coupons left', async () => {
    const shop = await signUpBrand(ctx.app, 'Status Brand');
    const active = await createOffer(server, shop, { title: 'active' });
    const second = await createOffer(server, shop, { title: 'also active' });
    const scheduled = await createOffer(server, shop, {
      title: 'later',
      startsAt: new Date(Date.now() + HOUR).toISOString(),
    });
    const endsAt = Date.now() + 1500;
    const ending = await createOffer(server, shop, {
      title: 'ending',
      endsAt: new Date(endsAt).toISOString(),
    });
    const exhausted = await createOffer(server, shop, { title: 'one coupon', budget: 1 });
    const member = await memberWith(20);
    expect((await convert(member, exhausted.id)).status).toBe('completed');

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, endsAt - Date.now() + 50)));
    expect((await getOffer(active.id)).status).toBe('active');
    expect((await getOffer(scheduled.id)).status).toBe('scheduled');
    expect((await getOffer(ending.id)).status).toBe('ended');
    expect(await getOffer(exhausted.id)).toMatchObject({ status: 'exhausted', issued: 1 });

    await expectRefused(member, ending.id, 'offer_not_active');
    expect(await balanceOf(member)).toBe(0);
    const endedAirdrop = await request(server)
      .post(`/v1/campaigns/points-offers/${ending.id}/airdrop`)
      .set(shop.auth);
    expect(endedAirdrop.status).toBe(409);
    expect(endedAirdrop.body.error.code).toBe('offer_not_active');

    const list = await request(server).get(`/v1/campaigns/points-offers?brandId=${shop.brandId}`);
    expect(list.status).toBe(200);
    expect(list.body.data.map((o: { id: string }) => o.id)).toEqual([second.id, active.id]);
    expect(list.body.nextCursor).toBeNull();
    expect(list.body.data.every((o: { status: string }) => o.status === 'active')).toBe(true);

    const first = await request(server).get(
      `/v1/campaigns/points-offers?brandId=${shop.brandId}&limit=1`,
    );
    expect(first.body.data.map((o: { id: string }) => o.id)).toEqual([second.id]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await request(server).get(
      `/v1/campaigns/points-offers?brandId=${shop.brandId}&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(next.body.data.map((o: { id: string }) => o.id)).toEqual([active.id]);
    expect(next.body.nextCursor).toBeNull();

    const all = await request(server).get('/v1/campaigns/points-offers?limit=100');
    const ids = all.body.data.map((o: { id: string }) => o.id);
    expect(ids).toEqual(expect.arrayContaining([active.id, second.id]));
    for (const closed of [scheduled.id, ending.id, exhausted.id]) expect(ids).not.toContain(closed);
  });
});

describe('conversions', () => {
  test('a conversion is 202 pending, then completed with a coupon of the offer brand, debited once in the ledger', async () => {
    const shop = await signUpBrand(ctx.app, 'Coupon Brand');
    const offer = await createOffer(server, shop, {
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

    const res = await request(server)
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
    const offer = await createOffer(server, brand, { pointsCost: 25 });
    const member = await memberWith(20);
    await expectRefused(member, offer.id, 'insufficient_points');
    const refused = await request(server)
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
    const offer = await createOffer(server, brand, { pointsCost: 20, perUserLimit: 2 });
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
    const offer = await createOffer(server, brand, {
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
    const offer = await createOffer(server, brand, { budget: 1 });
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
    const scheduled = await createOffer(server, brand, {
      startsAt: new Date(Date.now() + HOUR).toISOString(),
    });
    const broke = await signUp(ctx.app);
    await expectRefused(broke, scheduled.id, 'offer_not_active');

    const single = await createOffer(server, brand, { budget: 1, pointsCost: 20 });
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
    const offer = await createOffer(server, brand);
    const mine = await convert(member, offer.id);
    const other = await signUp(ctx.app);
    const path = `/v1/points/conversions/${mine.id}`;
    const theirs = await request(server).get(path).set(other.auth);
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.type).toBe('not_found');
    expect((await request(server).get(path).set(brand.auth)).status).toBe(404);
    expect((await request(server).get(path)).status).toBe(401);
    const missing = await request(server)
      .get('/v1/points/conversions/cnv_00000000000000000000000000')
      .set(member.auth);
    expect(missing.status).toBe(404);
  });

  test('an unknown offer is 404 and records nothing; bad bodies are 400; anonymous 401', async () => {
    const member = await memberWith(20);
    const unknown = await request(server)
      .post('/v1/points/conversions')
      .set(member.auth)
      .send({ offerId: 'pof_00000000000000000000000000' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.type).toBe('not_found');
    const extra = await request(server)
      .post('/v1/points/conversions')
      .set(member.auth)
      .send({ offerId: 'pof_00000000000000000000000000', points: 5 });
    expect(extra.status).toBe(400);
    expect(extra.body.error).toMatchObject({ type: 'invalid_request', param: 'points' });
    const none = await request(server).post('/v1/points/conversions').set(member.auth).send({});
    expect(none.status).toBe(400);
    expect(none.body.error.param).toBe('offerId');
    expect(
      await count('SELECT COUNT(*) AS n FROM point_conversions WHERE member_id = ?', [member.id]),
    ).toBe(0);
    expect(await balanceOf(member)).toBe(20);
    const offer = await createOffer(server, brand);
    const anonymous = await request(server)
      .post('/v1/points/conversions')
      .send({ offerId: offer.id });
    expect(anonymous.status).toBe(401);
  });

  test('the same Idempotency-Key on POST /v1/points/conversions makes one conversion', async () => {
    const offer = await createOffer(server, brand, { perUserLimit: 5 });
    const member = await memberWith(30, 30);
    const post = () =>
      request(server)
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
    const offer = await createOffer(server, brand, { perUserLimit: 5 });
    const member = await memberWith(30);
    const done = await convert(member, offer.id);
    expect(done.status).toBe('completed');
    // Accepted while it could still succeed, then short of points when settled (the job's race).
    const lateId = newId('cnv');
    await ctx.sequelize.query(
      `INSERT INTO point_conversions (id, offer_id, member_id, status, created_at) VALUES (?, ?, ?, 'pending', ?)`,
      { replacements: [lateId, offer.id, member.id, new Date()] },
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
    const offer = await createOffer(server, brand, { pointsCost: 20, perUserLimit: 1 });
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
    const members = await bulkMembers(ctx.sequelize, 10 * B);
    await Promise.all(members.map((m) => postNote(server, m, 20)));
    const offer = await createOffer(server, shop, { pointsCost: 20, budget: B });

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
      ctx.sequelize,
      'SELECT owner_id AS ownerId FROM coupons WHERE offer_id = ? ORDER BY owner_id',
      [offer.id],
    );
    expect(owners.map((o) => o.ownerId)).toEqual(winners.map((w) => w.member.id).sort());

    const balances = await selectRows<{ memberId: string; balance: number }>(
      ctx.sequelize,
      'SELECT member_id AS memberId, balance FROM point_balances WHERE member_id IN (?)',
      [members.map((m) => m.id)],
    );
    const balance = new Map(balances.map((b) => [b.memberId, Number(b.balance)]));
    for (const w of winners) expect(balance.get(w.member.id)).toBe(0);
    for (const l of losers) expect(balance.get(l.member.id)).toBe(20);
    const debited = await selectRows<{ memberId: string; amount: number; sourceId: string }>(
      ctx.sequelize,
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
    const offer = await createOffer(server, shop, {
      coupon: { discountType: 'percent', percentOff: 10, validDays: 30 },
    });
    const owner = await memberWith(20);
    const { couponCode } = await convert(owner, offer.id);
    expect(couponCode).toMatch(COUPON_CODE);
    const order = (buyer: TestUser, listingId: string) =>
      request(server)
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
    const paid = await request(server).post(`/v1/orders/${res.body.id}/pay`).set(owner.auth);
    expect(paid.status).toBe(200);
    const [coupon] = await couponsOf(owner);
    expect(coupon).toMatchObject({ code: couponCode, status: 'redeemed' });
  });
});

describe('airdrops', () => {
  // Airdrops reach every opted-in member of the database: each test starts from nobody opted in.
  afterEach(async () => {
    await ctx.sequelize.query('UPDATE users SET auto_convert_points = 0');
  });

  async function optIn(member: TestUser, on = true) {
    const res = await request(server)
      .patch('/v1/me')
      .set(member.auth)
      .send({ autoConvertPoints: on });
    expect(res.status).toBe(200);
    expect(res.body.autoConvertPoints).toBe(on);
  }

  async function startAirdrop(owner: TestUser, offerId: string): Promise<string> {
    const res = await request(server)
      .post(`/v1/campaigns/points-offers/${offerId}/airdrop`)
      .set(owner.auth);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ jobId: expect.stringMatching(ID) });
    expect(res.body.jobId.startsWith('adr_')).toBe(true);
    return res.body.jobId as string;
  }

  function finished(owner: TestUser, jobId: string) {
    return eventually(async () => {
      const res = await request(server).get(`/v1/jobs/${jobId}`).set(owner.auth);
      expect(res.status).toBe(200);
      return res.body.state === 'completed' ? res.body : undefined;
    }, 20_000);
  }

  test('one coupon for each opted-in member with enough points; opted-out, poor and at-limit members get none', async () => {
    const shop = await signUpBrand(ctx.app, 'Airdrop Brand');
    const offer = await createOffer(server, shop, { pointsCost: 25, perUserLimit: 1 });
    const rich = [await memberWith(30), await memberWith(30), await memberWith(30)];
    const optedOut = await memberWith(30);
    const poor = await memberWith(20);
    const holder = await memberWith(30, 30);
    expect((await convert(holder, offer.id)).status).toBe('completed');
    for (const m of [...rich, poor, holder]) await optIn(m);
    await optIn(optedOut, false);

    const jobId = await startAirdrop(shop, offer.id);
    const job = await finished(shop, jobId);
    expect(job).toEqual({
      id: jobId,
      kind: 'airdrop',
      state: 'completed',
      progress: { done: 3, total: 3 },
      result: { issued: 3, stoppedBy: null },
    });

    for (const m of rich) {
      const coupons = await couponsOf(m);
      expect(coupons).toHaveLength(1);
      expect(coupons[0]).toMatchObject({ brandId: shop.brandId, percentOff: 10 });
      const ledger = await points(m);
      expect(ledger.balance).toBe(5);
      expect(ledger.entries.data[0]).toMatchObject({
        amount: -25,
        reason: 'airdrop',
        sourceId: jobId,
      });
    }
    expect(await couponsOf(optedOut)).toEqual([]);
    expect(await couponsOf(poor)).toEqual([]);
    expect(await couponsOf(holder)).toHaveLength(1);
    expect(await balanceOf(optedOut)).toBe(30);
    expect(await balanceOf(poor)).toBe(20);
    expect(await balanceOf(holder)).toBe(35);
    expect(await entriesWith(holder.id, 'airdrop')).toBe(0);
    expect((await getOffer(offer.id)).issued).toBe(4);
    expect(await offerCoupons(offer.id)).toBe(4);

    // Running the finished airdrop again changes nothing.
    const snapshot = async () => ({
      coupons: await offerCoupons(offer.id),
      offer: await getOffer(offer.id),
      balances: await Promise.all(rich.map(balanceOf)),
      entries: await count('SELECT COUNT(*) AS n FROM point_entries WHERE source_id = ?', [jobId]),
    });
    const before = await snapshot();
    expect(await ctx.services.airdrops.run(jobId, async () => {})).toEqual({
      issued: 3,
      stoppedBy: null,
    });
    expect(await snapshot()).toEqual(before);
    expect(before.entries).toBe(3);

    // A second airdrop of the same offer finds everyone at their limit.
    const again = await finished(shop, await startAirdrop(shop, offer.id));
    expect(again.result).toEqual({ issued: 0, stoppedBy: null });
    expect(await offerCoupons(offer.id)).toBe(4);
    await expectLedgerMatchesBalances();
  });

  test('a budget smaller than the eligible members stops the airdrop: stoppedBy budget_exhausted, issued == budget, members in id order', async () => {
    const shop = await signUpBrand(ctx.app, 'Small Budget Brand');
    const offer = await createOffer(server, shop, { pointsCost: 20, budget: 2 });
    const members = [];
    for (let i = 0; i < 4; i += 1) {
      const m = await memberWith(20);
      await optIn(m);
      members.push(m);
    }
    const jobId = await startAirdrop(shop, offer.id);
    const job = await finished(shop, jobId);
    expect(job.result).toEqual({ issued: 2, stoppedBy: 'budget_exhausted' });
    expect(job.progress.done).toBe(2);
    expect(job.progress.total).toBe(4);
    expect(await getOffer(offer.id)).toMatchObject({ issued: 2, status: 'exhausted' });
    expect(await offerCoupons(offer.id)).toBe(2);

    const byId = [...members].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const m of byId.slice(0, 2)) {
      expect(await couponsOf(m)).toHaveLength(1);
      expect(await balanceOf(m)).toBe(0);
    }
    for (const m of byId.slice(2)) {
      expect(await couponsOf(m)).toEqual([]);
      expect(await balanceOf(m)).toBe(20);
      expect(await entriesWith(m.id, 'airdrop')).toBe(0);
    }

    const exhausted = await request(server)
      .post(`/v1/campaigns/points-offers/${offer.id}/airdrop`)
      .set(shop.auth);
    expect(exhausted.status).toBe(409);
    expect(exhausted.body.error).toMatchObject({ type: 'conflict', code: 'budget_exhausted' });
    await expectLedgerMatchesBalances();
  });

  test('an airdrop and single conversions racing for one budget: never over budget, one coupon per member, each paid once', async () => {
    const shop = await signUpBrand(ctx.app, 'Contested Brand');
    const offer = await createOffer(server, shop, { pointsCost: 20, budget: 25, perUserLimit: 1 });
    const optedIn = await bulkMembers(ctx.sequelize, 30);
    const others = await bulkMembers(ctx.sequelize, 10);
    const everyone = [...optedIn, ...others];
    await Promise.all(everyone.map((m) => postNote(server, m, 20)));
    await Promise.all(optedIn.map((m) => optIn(m)));
    // Ten opted-in members and ten others ask for themselves while the airdrop runs.
    const askers = [...optedIn.slice(0, 10), ...others];
    const [jobId, results] = await Promise.all([
      startAirdrop(shop, offer.id),
      Promise.all(askers.map((member) => conversionOutcome(member, offer.id))),
    ]);
    const job = await finished(shop, jobId);
    const completed = results.filter((r) => r.status === 'completed').length;
    expect(results.every((r) => r.status === 'completed' || r.reason !== null)).toBe(true);
    expect(job.result.issued + completed).toBe(25);
    expect(await getOffer(offer.id)).toMatchObject({ issued: 25, status: 'exhausted' });

    const owners = await selectRows<{ ownerId: string; n: number }>(
      ctx.sequelize,
      'SELECT owner_id AS ownerId, COUNT(*) AS n FROM coupons WHERE offer_id = ? GROUP BY owner_id',
      [offer.id],
    );
    expect(owners).toHaveLength(25);
    expect(owners.every((o) => Number(o.n) === 1)).toBe(true);
    const debits = await selectRows<{ memberId: string; n: number; total: number }>(
      ctx.sequelize,
      `SELECT member_id AS memberId, COUNT(*) AS n, SUM(amount) AS total FROM point_entries
        WHERE member_id IN (?) AND reason IN ('conversion', 'airdrop') GROUP BY member_id`,
      [everyone.map((m) => m.id)],
    );
    expect(debits.map((d) => d.memberId).sort()).toEqual(owners.map((o) => o.ownerId).sort());
    expect(debits.every((d) => Number(d.n) === 1 && Number(d.total) === -20)).toBe(true);
    const paid = new Set(owners.map((o) => o.ownerId));
    const balances = await selectRows<{ memberId: string; balance: number }>(
      ctx.sequelize,
      'SELECT member_id AS memberId, balance FROM point_balances WHERE member_id IN (?)',
      [everyone.map((m) => m.id)],
    );
    expect(balances).toHaveLength(40);
    for (const b of balances) expect(Number(b.balance)).toBe(paid.has(b.memberId) ? 0 : 20);
    // Every member left without a coupon was opted out or asked too late, never skipped wrongly.
    for (const m of optedIn.slice(10)) {
      if (!paid.has(m.id)) expect(job.result.stoppedBy).toBe('budget_exhausted');
    }
    await expectLedgerMatchesBalances();
  });

  test('GET /v1/jobs/:id: the owner brand and an admin see it; another brand and a member 404; anonymous 401', async () => {
    const shop = await signUpBrand(ctx.app, 'Job Owner Brand');
    const offer = await createOffer(server, shop);
    const jobId = await startAirdrop(shop, offer.id);
    await finished(shop, jobId);
    const path = `/v1/jobs/${jobId}`;

    const admin = await signUp(ctx.app);
    await ctx.services.accounts.grantRole(admin.email, 'admin');
    const asAdmin = await request(server).get(path).set(admin.auth);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body).toMatchObject({ id: jobId, kind: 'airdrop', state: 'completed' });

    const rival = await signUpBrand(ctx.app, 'Rival Brand');
    const asRival = await request(server).get(path).set(rival.auth);
    expect(asRival.status).toBe(404);
    expect(asRival.body.error.type).toBe('not_found');
    const member = await signUp(ctx.app);
    expect((await request(server).get(path).set(member.auth)).status).toBe(404);
    const anonymous = await request(server).get(path);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.type).toBe('authentication');
    expect(
      (await request(server).get('/v1/jobs/adr_00000000000000000000000000').set(shop.auth)).status,
    ).toBe(404);
  });

  test("only the offer's brand airdrops it (403 not_owner); a not-open offer is 409 offer_not_active; unknown 404", async () => {
    const shop = await signUpBrand(ctx.app, 'Owner Brand');
    const offer = await createOffer(server, shop);
    const rival = await signUpBrand(ctx.app, 'Other Brand');
    const byRival = await request(server)
      .post(`/v1/campaigns/points-offers/${offer.id}/airdrop`)
      .set(rival.auth);
    expect(byRival.status).toBe(403);
    expect(byRival.body.error).toMatchObject({ type: 'permission', code: 'not_owner' });
    const member = await signUp(ctx.app);
    const byMember = await request(server)
      .post(`/v1/campaigns/points-offers/${offer.id}/airdrop`)
      .set(member.auth);
    expect(byMember.status).toBe(403);
    expect(
      (await request(server).post(`/v1/campaigns/points-offers/${offer.id}/airdrop`)).status,
    ).toBe(401);

    const scheduled = await createOffer(server, shop, {
      startsAt: new Date(Date.now() + HOUR).toISOString(),
    });
    const notOpen = await request(server)
      .post(`/v1/campaigns/points-offers/${scheduled.id}/airdrop`)
      .set(shop.auth);
    expect(notOpen.status).toBe(409);
    expect(notOpen.body.error).toMatchObject({ type: 'conflict', code: 'offer_not_active' });

    const unknown = await request(server)
      .post('/v1/campaigns/points-offers/pof_00000000000000000000000000/airdrop')
      .set(shop.auth);
    expect(unknown.status).toBe(404);
    expect(
      await count('SELECT COUNT(*) AS n FROM airdrops WHERE brand_id IN (?)', [
        [shop.brandId, rival.brandId],
      ]),
    ).toBe(0);
  });
});

describe('lost conversion jobs (manual clock, workers started late)', () => {
  let late: TestContext;
  let clock: ManualClock;
  let lateWorkers: RunningWorkers | undefined;

  beforeAll(async () => {
    clock = new ManualClock();
    late = await startTestContext({ clock });
  });

  afterAll(async () => {
    await lateWorkers?.close();
    await late.close();
  });

  test('a pending conversion whose job was lost is enqueued again by sweepStuck after 30 s, and settles', async () => {
    const shop = await signUpBrand(late.app, 'Sweep Brand');
    const offerRes = await request(late.app)
      .post('/v1/campaigns/points-offers')
      .set(shop.auth)
      .send({
        ...offerBody(),
        startsAt: clock.now().minus({ seconds: 1 }).toISO(),
        endsAt: clock.now().plus({ days: 1 }).toISO(),
      });
    expect(offerRes.status).toBe(201);
    const member = await signUp(late.app);
    await postNote(late.app, member, 30);
    const asked = await request(late.app)
      .post('/v1/points/conversions')
      .set(member.auth)
      .send({ offerId: offerRes.body.id });
    expect(asked.status).toBe(202);
    const id = asked.body.id as string;

    const job = await late.queues.points.getJob(id);
    expect(job).toBeDefined();
    await job!.remove();
    expect(await late.queues.points.getJob(id)).toBeUndefined();

    // Not stuck yet: a fresh pending conversion is left alone.
    expect(await late.services.conversions.sweepStuck()).toBe(0);
    expect(await late.queues.points.getJob(id)).toBeUndefined();

    clock.advance({ seconds: 31 });
    expect(await late.services.conversions.sweepStuck()).toBe(1);
    expect(await late.queues.points.getJob(id)).toBeDefined();

    lateWorkers = await startWorkers(late.deps, late.services);
    const done = await eventually(async () => {
      const res = await request(late.app).get(`/v1/points/conversions/${id}`).set(member.auth);
      return res.body.status === 'pending' ? undefined : res.body;
    });
    expect(done).toMatchObject({ status: 'completed', pointsCost: 20 });
    expect(done.couponCode).toMatch(COUPON_CODE);
    const ledger = await request(late.app).get('/v1/me/points').set(member.auth);
    expect(ledger.body.balance).toBe(10);
    expect(await late.services.conversions.sweepStuck()).toBe(0);
  });

  test('an airdrop not yet taken by a worker is waiting, with no progress and no result', async () => {
    await lateWorkers?.close();
    lateWorkers = undefined;
    const shop = await signUpBrand(late.app, 'Waiting Brand');
    const offerRes = await request(late.app)
      .post('/v1/campaigns/points-offers')
      .set(shop.auth)
      .send({
        ...offerBody(),
        startsAt: clock.now().minus({ seconds: 1 }).toISO(),
        endsAt: clock.now().plus({ days: 1 }).toISO(),
      });
    const started = await request(late.app)
      .post(`/v1/campaigns/points-offers/${offerRes.body.id}/airdrop`)
      .set(shop.auth);
    expect(started.status).toBe(202);
    const path = `/v1/jobs/${started.body.jobId}`;
    const waiting = await request(late.app).get(path).set(shop.auth);
    expect(waiting.body).toEqual({
      id: started.body.jobId,
      kind: 'airdrop',
      state: 'waiting',
      progress: { done: 0, total: 0 },
    });
    lateWorkers = await startWorkers(late.deps, late.services);
    const done = await eventually(async () => {
      const res = await request(late.app).get(path).set(shop.auth);
      return res.body.state === 'completed' ? res.body : undefined;
    });
    expect(done.result).toEqual({ issued: 0, stoppedBy: null });
  });
});
