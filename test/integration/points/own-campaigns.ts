import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { issueCoupons } from '../../support/coupons';
import { createDrop, PUZZLE } from '../../support/drops';
import {
  ADDRESS,
  createListing,
  createOffer,
  eventually,
  signUp,
  signUpBrand,
  type TestUser,
} from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const exportDir = mkdtempSync(path.join(tmpdir(), 'cs-own-exports-'));
const ctx = useTestApp({ env: { EXPORT_DIR: exportDir }, listen: true, workers: true });

afterAll(async () => {
  rmSync(exportDir, { recursive: true, force: true });
});

const HOUR = 3600_000;
const ids = (body: { data: Array<{ id: string }> }) => body.data.map((item) => item.id);

/** Every page of a list, `limit` at a time, following nextCursor. */
async function allPages(url: string, user: TestUser, limit = 1): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res = await request(ctx.server)
      .get(`${url}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
      .set(user.auth);
    expect(res.status).toBe(200);
    seen.push(...ids(res.body));
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return seen;
}

/** A member with 30 points (a published note in two languages). */
async function memberWithPoints(displayName = 'Reader'): Promise<TestUser> {
  const member = await signUp(ctx.app, { displayName });
  const note = await request(ctx.server)
    .post('/v1/notes')
    .set(member.auth)
    .send({ clientId: randomUUID(), title: 'Uji', body: 'Tea', languages: ['ja', 'en'] });
  expect(note.status).toBe(201);
  return member;
}

async function convert(member: TestUser, offerId: string) {
  const asked = await request(ctx.server)
    .post('/v1/points/conversions')
    .set(member.auth)
    .send({ offerId });
  expect(asked.status).toBe(202);
  return eventually(async () => {
    const res = await request(ctx.server)
      .get(`/v1/points/conversions/${asked.body.id}`)
      .set(member.auth);
    return res.body.status === 'completed'
      ? (res.body as { id: string; couponCode: string })
      : null;
  });
}

async function buy(buyer: TestUser, listingId: string, couponCode?: string) {
  const res = await request(ctx.server)
    .post('/v1/orders')
    .set(buyer.auth)
    .send({
      items: [{ listingId, quantity: 1 }],
      shippingAddress: ADDRESS,
      ...(couponCode ? { couponCode } : {}),
    });
  expect(res.status).toBe(201);
  return res.body as { id: string; totalAmount: number };
}

const pay = async (buyer: TestUser, orderId: string) =>
  expect((await request(ctx.server).post(`/v1/orders/${orderId}/pay`).set(buyer.auth)).status).toBe(
    200,
  );

describe("a brand's coupon batches", () => {
  test('GET /v1/brands/me/coupon-batches: own batches newest first, with progress, terms and redemptions, paged', async () => {
    const brand = await signUpBrand(ctx.app, 'Batch House');
    const other = await signUpBrand(ctx.app, 'Other Batch House');
    const listing = await createListing(ctx.app, brand, { priceAmount: 2000, currency: 'USD' });
    const first = await issueCoupons(ctx.app, brand, {
      discountType: 'fixed',
      amountOff: 300,
      currency: 'USD',
      minSpendAmount: 1000,
    });
    const second = await issueCoupons(
      ctx.app,
      brand,
      { discountType: 'percent', percentOff: 10 },
      3,
    );
    await issueCoupons(ctx.app, other, { discountType: 'percent', percentOff: 5 });
    const buyer = await signUp(ctx.app);
    const paid = await buy(buyer, listing.id, second.codes[0]);
    await pay(buyer, paid.id);
    await buy(buyer, listing.id, second.codes[1]); // held by an unpaid order: not redeemed

    const res = await request(ctx.server).get('/v1/brands/me/coupon-batches').set(brand.auth);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    expect(ids(res.body)).toEqual([second.batchId, first.batchId]);
    expect(res.body.data[0]).toMatchObject({
      id: second.batchId,
      count: 3,
      status: 'ready',
      progress: { done: 3, total: 3 },
      discountType: 'percent',
      percentOff: 10,
      redeemedCount: 1,
      expiresAt: expect.any(String),
      createdAt: expect.any(String),
    });
    expect(res.body.data[1]).toMatchObject({
      count: 2,
      progress: { done: 2, total: 2 },
      discountType: 'fixed',
      amountOff: 300,
      currency: 'USD',
      minSpendAmount: 1000,
      redeemedCount: 0,
    });
    expect(await allPages('/v1/brands/me/coupon-batches', brand)).toEqual([
      second.batchId,
      first.batchId,
    ]);
    const one = await request(ctx.server)
      .get(`/v1/brands/me/coupon-batches/${second.batchId}`)
      .set(brand.auth);
    expect(one.body).toMatchObject({ progress: { done: 3, total: 3 }, redeemedCount: 1 });

    const member = await signUp(ctx.app);
    const denied = await request(ctx.server).get('/v1/brands/me/coupon-batches').set(member.auth);
    expect(denied.status).toBe(403);
    expect((await request(ctx.server).get('/v1/brands/me/coupon-batches')).status).toBe(401);
  });
});

describe("a brand's drops", () => {
  test('GET /v1/brands/me/drops lists its own, canceled included, by status; ?brandId= filters the public list; drops carry brandName', async () => {
    const brand = await signUpBrand(ctx.app, 'Drop House');
    const other = await signUpBrand(ctx.app, 'Other Drop House');
    const far = 24 * HOUR;
    const kept = await createDrop(ctx.app, brand, {}, far);
    const canceled = await createDrop(ctx.app, brand, {}, far);
    const theirs = await createDrop(ctx.app, other, {}, far);
    expect(
      (
        await request(ctx.server)
          .post(`/v1/campaigns/drops/${canceled.drop.id}/cancel`)
          .set(brand.auth)
      ).status,
    ).toBe(200);

    const own = await request(ctx.server).get('/v1/brands/me/drops').set(brand.auth);
    expect(own.status).toBe(200);
    expect(ids(own.body)).toEqual([canceled.drop.id, kept.drop.id]);
    expect(own.body.data.map((d: { status: string }) => d.status)).toEqual([
      'canceled',
      'scheduled',
    ]);
    expect(own.body.data[0].brandName).toBe('Drop House');
    // Its owner sees every hint, as on GET /v1/campaigns/drops/:id.
    expect(own.body.data[1].puzzle.hints).toHaveLength(PUZZLE.hints.length);
    const onlyCanceled = await request(ctx.server)
      .get('/v1/brands/me/drops?status=canceled')
      .set(brand.auth);
    expect(ids(onlyCanceled.body)).toEqual([canceled.drop.id]);
    expect(await allPages('/v1/brands/me/drops', brand)).toEqual([canceled.drop.id, kept.drop.id]);

    const filtered = await request(ctx.server).get(
      `/v1/campaigns/drops?brandId=${other.brandId}&limit=100`,
    );
    expect(filtered.status).toBe(200);
    expect(ids(filtered.body)).toEqual([theirs.drop.id]);
    expect(filtered.body.data[0]).toMatchObject({
      brandId: other.brandId,
      brandName: 'Other Drop House',
    });
    expect(filtered.body.data[0].puzzle.hints).toEqual([]);
    const scheduledOfBrand = await request(ctx.server).get(
      `/v1/campaigns/drops?brandId=${brand.brandId}&status=scheduled`,
    );
    expect(ids(scheduledOfBrand.body)).toEqual([kept.drop.id]);
    const one = await request(ctx.server).get(`/v1/campaigns/drops/${kept.drop.id}`);
    expect(one.body.brandName).toBe('Drop House');

    const member = await signUp(ctx.app);
    expect((await request(ctx.server).get('/v1/brands/me/drops').set(member.auth)).status).toBe(
      403,
    );
  });
});

describe("a brand's points offers and their results", () => {
  test('stats: issued, redeemed by paid orders, redemption rate and net revenue; own list carries them; others 403', async () => {
    const brand = await signUpBrand(ctx.app, 'Offer House');
    const listing = await createListing(ctx.app, brand, {
      priceAmount: 5400,
      currency: 'JPY',
      quantity: 10,
    });
    const offer = await createOffer(ctx.server, brand, {
      pointsCost: 20,
      coupon: { discountType: 'percent', percentOff: 15, validDays: 30 },
    });
    const idle = await createOffer(ctx.server, brand, { title: 'Nobody converts' });
    const [a, b, c] = await Promise.all([
      memberWithPoints(),
      memberWithPoints(),
      memberWithPoints(),
    ]);
    const [ca, cb, cc] = [
      await convert(a!, offer.id),
      await convert(b!, offer.id),
      await convert(c!, offer.id),
    ];
    // a pays and is partly refunded; b's order stays unpaid; c's is canceled.
    const paid = await buy(a!, listing.id, ca.couponCode);
    expect(paid.totalAmount).toBe(4590);
    await pay(a!, paid.id);
    const refund = await request(ctx.server)
      .post(`/v1/orders/${paid.id}/refund`)
      .set(brand.auth)
      .send({ amount: 590 });
    expect(refund.status).toBe(200);
    await buy(b!, listing.id, cb.couponCode);
    const dropped = await buy(c!, listing.id, cc.couponCode);
    expect(
      (await request(ctx.server).post(`/v1/orders/${dropped.id}/cancel`).set(c!.auth)).status,
    ).toBe(200);

    const expected = {
      issued: 3,
      redeemed: 1,
      redemptionRate: 0.3333,
      revenueAmount: 4000,
      currency: 'JPY',
      revenueByCurrency: [{ currency: 'JPY', amount: 4000 }],
    };
    const stats = await request(ctx.server)
      .get(`/v1/campaigns/points-offers/${offer.id}/stats`)
      .set(brand.auth);
    expect(stats.status).toBe(200);
    expect(stats.body).toEqual(expected);

    const own = await request(ctx.server).get('/v1/brands/me/points-offers').set(brand.auth);
    expect(own.status).toBe(200);
    expect(ids(own.body)).toEqual([idle.id, offer.id]);
    expect(own.body.data[1]).toMatchObject({
      id: offer.id,
      brandName: 'Offer House',
      stats: expected,
    });
    expect(own.body.data[0].stats).toEqual({
      issued: 0,
      redeemed: 0,
      redemptionRate: 0,
      revenueAmount: 0,
      currency: null,
      revenueByCurrency: [],
    });
    expect(await allPages('/v1/brands/me/points-offers', brand)).toEqual([idle.id, offer.id]);

    const other = await signUpBrand(ctx.app, 'Nosy House');
    const path = `/v1/campaigns/points-offers/${offer.id}/stats`;
    expect((await request(ctx.server).get(path).set(other.auth)).status).toBe(403);
    expect((await request(ctx.server).get(path).set(a!.auth)).status).toBe(403);
    expect((await request(ctx.server).get(path)).status).toBe(401);
    const unknown = await request(ctx.server)
      .get('/v1/campaigns/points-offers/pof_00000000000000000000000000/stats')
      .set(brand.auth);
    expect(unknown.status).toBe(404);
    expect(
      ids((await request(ctx.server).get('/v1/brands/me/points-offers').set(other.auth)).body),
    ).toEqual([]);
    const pub = await request(ctx.server).get(`/v1/campaigns/points-offers/${offer.id}`);
    expect(pub.body.brandName).toBe('Offer House');
  }, 30_000);
});

describe("a member's conversions and coupons", () => {
  test('GET /v1/points/conversions: own conversions newest first, paged; GET /v1/me/coupons carries brandName', async () => {
    const brand = await signUpBrand(ctx.app, 'Coupon House');
    const offer = await createOffer(ctx.server, brand, { pointsCost: 10, perUserLimit: 5 });
    const member = await memberWithPoints();
    const stranger = await memberWithPoints();
    const first = await convert(member, offer.id);
    const second = await convert(member, offer.id);
    await convert(stranger, offer.id);

    const res = await request(ctx.server).get('/v1/points/conversions').set(member.auth);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual([second.id, first.id]);
    expect(res.body.data[0]).toMatchObject({
      offerId: offer.id,
      status: 'completed',
      pointsCost: 10,
      couponCode: second.couponCode,
    });
    expect(await allPages('/v1/points/conversions', member)).toEqual([second.id, first.id]);
    expect((await request(ctx.server).get('/v1/points/conversions')).status).toBe(401);

    const coupons = await request(ctx.server).get('/v1/me/coupons').set(member.auth);
    expect(coupons.body.data).toHaveLength(2);
    expect(
      coupons.body.data.every(
        (coupon: { brandId: string; brandName: string }) =>
          coupon.brandId === brand.brandId && coupon.brandName === 'Coupon House',
      ),
    ).toBe(true);
  });
});

describe("finance's exports", () => {
  test('GET /v1/finance/exports: every export newest first, paged; finance and admin only', async () => {
    const finance = await signUp(ctx.app);
    await ctx.services.accounts.grantRole(finance.email, 'finance');
    const made: string[] = [];
    for (const from of ['2026-01-01', '2026-02-01']) {
      const res = await request(ctx.server)
        .post('/v1/finance/exports')
        .set(finance.auth)
        .send({ from, to: from, timezone: 'UTC' });
      expect(res.status).toBe(202);
      made.push(res.body.id as string);
    }
    const res = await request(ctx.server).get('/v1/finance/exports').set(finance.auth);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual([made[1], made[0]]);
    expect(res.body.data[0]).toMatchObject({
      from: '2026-02-01',
      to: '2026-02-01',
      timezone: 'UTC',
      progress: { rowsDone: expect.any(Number) },
    });
    expect(await allPages('/v1/finance/exports', finance)).toEqual([made[1], made[0]]);
    const member = await signUp(ctx.app);
    expect((await request(ctx.server).get('/v1/finance/exports').set(member.auth)).status).toBe(
      403,
    );
  });
});

describe('names in views', () => {
  test("notes carry their author's display name, one by one and in lists", async () => {
    const author = await memberWithPoints('Hanako Tea');
    const list = await request(ctx.server).get(`/v1/notes?authorId=${author.id}`);
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ authorId: author.id, authorName: 'Hanako Tea' });
    const one = await request(ctx.server).get(`/v1/notes/${list.body.data[0].id}`);
    expect(one.body.authorName).toBe('Hanako Tea');
    const created = await request(ctx.server)
      .post('/v1/notes')
      .set(author.auth)
      .send({ clientId: randomUUID(), title: 'Kyoto', body: 'Matcha', languages: ['ja'] });
    expect(created.body.authorName).toBe('Hanako Tea');
  });
});
