import request from 'supertest';
import { selectRows } from '../../../src/db/sql';
import { bulkMembers } from '../../support/drops';
import {
  eventually,
  signUp,
  signUpBrand,
  type TestUser,
  createOffer,
} from '../../support/fixtures';
import { ID, HOUR, postNote, pointsClient } from '../../support/points';
import { useTestApp } from '../../support/test-app';

/** Airdrops: an offer's coupons given to every eligible member by a background job. */
const ctx = useTestApp({ listen: true, workers: true });
const {
  memberWith,
  points,
  balanceOf,
  couponsOf,
  getOffer,
  convert,
  conversionOutcome,
  count,
  offerCoupons,
  entriesWith,
  expectLedgerMatchesBalances,
} = pointsClient(ctx);

describe('airdrops', () => {
  // Airdrops reach every opted-in member of the database: each test starts from nobody opted in.
  afterEach(async () => {
    await ctx.db.query('UPDATE users SET auto_convert_points = 0');
  });

  async function optIn(member: TestUser, on = true) {
    const res = await request(ctx.server)
      .patch('/v1/me')
      .set(member.auth)
      .send({ autoConvertPoints: on });
    expect(res.status).toBe(200);
    expect(res.body.autoConvertPoints).toBe(on);
  }

  async function startAirdrop(owner: TestUser, offerId: string): Promise<string> {
    const res = await request(ctx.server)
      .post(`/v1/campaigns/points-offers/${offerId}/airdrop`)
      .set(owner.auth);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ jobId: expect.stringMatching(ID) });
    expect(res.body.jobId.startsWith('adr_')).toBe(true);
    return res.body.jobId as string;
  }

  function finished(owner: TestUser, jobId: string) {
    return eventually(async () => {
      const res = await request(ctx.server).get(`/v1/jobs/${jobId}`).set(owner.auth);
      expect(res.status).toBe(200);
      return res.body.state === 'completed' ? res.body : undefined;
    }, 20_000);
  }

  test('one coupon for each opted-in member with enough points; opted-out, poor and at-limit members get none', async () => {
    const shop = await signUpBrand(ctx.app, 'Airdrop Brand');
    const offer = await createOffer(ctx.server, shop, { pointsCost: 25, perUserLimit: 1 });
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
    const offer = await createOffer(ctx.server, shop, { pointsCost: 20, budget: 2 });
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

    const exhausted = await request(ctx.server)
      .post(`/v1/campaigns/points-offers/${offer.id}/airdrop`)
      .set(shop.auth);
    expect(exhausted.status).toBe(409);
    expect(exhausted.body.error).toMatchObject({ type: 'conflict', code: 'budget_exhausted' });
    await expectLedgerMatchesBalances();
  });

  test('an airdrop and single conversions racing for one budget: never over budget, one coupon per member, each paid once', async () => {
    const shop = await signUpBrand(ctx.app, 'Contested Brand');
    const offer = await createOffer(ctx.server, shop, {
      pointsCost: 20,
      budget: 25,
      perUserLimit: 1,
    });
    const optedIn = await bulkMembers(ctx.db, 30);
    const others = await bulkMembers(ctx.db, 10);
    const everyone = [...optedIn, ...others];
    await Promise.all(everyone.map((m) => postNote(ctx.server, m, 20)));
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
      ctx.db,
      'SELECT owner_id AS ownerId, COUNT(*) AS n FROM coupons WHERE offer_id = ? GROUP BY owner_id',
      [offer.id],
    );
    expect(owners).toHaveLength(25);
    expect(owners.every((o) => Number(o.n) === 1)).toBe(true);
    const debits = await selectRows<{ memberId: string; n: number; total: number }>(
      ctx.db,
      `SELECT member_id AS memberId, COUNT(*) AS n, SUM(amount) AS total FROM point_entries
        WHERE member_id IN (?) AND reason IN ('conversion', 'airdrop') GROUP BY member_id`,
      [everyone.map((m) => m.id)],
    );
    expect(debits.map((d) => d.memberId).sort()).toEqual(owners.map((o) => o.ownerId).sort());
    expect(debits.every((d) => Number(d.n) === 1 && Number(d.total) === -20)).toBe(true);
    const paid = new Set(owners.map((o) => o.ownerId));
    const balances = await selectRows<{ memberId: string; balance: number }>(
      ctx.db,
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
    const offer = await createOffer(ctx.server, shop);
    const jobId = await startAirdrop(shop, offer.id);
    await finished(shop, jobId);
    const path = `/v1/jobs/${jobId}`;

    const admin = await signUp(ctx.app);
    await ctx.services.accounts.grantRole(admin.email, 'admin');
    const asAdmin = await request(ctx.server).get(path).set(admin.auth);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body).toMatchObject({ id: jobId, kind: 'airdrop', state: 'completed' });

    const rival = await signUpBrand(ctx.app, 'Rival Brand');
    const asRival = await request(ctx.server).get(path).set(rival.auth);
    expect(asRival.status).toBe(404);
    expect(asRival.body.error.type).toBe('not_found');
    const member = await signUp(ctx.app);
    expect((await request(ctx.server).get(path).set(member.auth)).status).toBe(404);
    const anonymous = await request(ctx.server).get(path);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.type).toBe('authentication');
    expect(
      (await request(ctx.server).get('/v1/jobs/adr_00000000000000000000000000').set(shop.auth))
        .status,
    ).toBe(404);
  });

  test("only the offer's brand airdrops it (403 not_owner); a not-open offer is 409 offer_not_active; unknown 404", async () => {
    const shop = await signUpBrand(ctx.app, 'Owner Brand');
    const offer = await createOffer(ctx.server, shop);
    const rival = await signUpBrand(ctx.app, 'Other Brand');
    const byRival = await request(ctx.server)
      .post(`/v1/campaigns/points-offers/${offer.id}/airdrop`)
      .set(rival.auth);
    expect(byRival.status).toBe(403);
    expect(byRival.body.error).toMatchObject({ type: 'permission', code: 'not_owner' });
    const member = await signUp(ctx.app);
    const byMember = await request(ctx.server)
      .post(`/v1/campaigns/points-offers/${offer.id}/airdrop`)
      .set(member.auth);
    expect(byMember.status).toBe(403);
    expect(
      (await request(ctx.server).post(`/v1/campaigns/points-offers/${offer.id}/airdrop`)).status,
    ).toBe(401);

    const scheduled = await createOffer(ctx.server, shop, {
      startsAt: new Date(Date.now() + HOUR).toISOString(),
    });
    const notOpen = await request(ctx.server)
      .post(`/v1/campaigns/points-offers/${scheduled.id}/airdrop`)
      .set(shop.auth);
    expect(notOpen.status).toBe(409);
    expect(notOpen.body.error).toMatchObject({ type: 'conflict', code: 'offer_not_active' });

    const unknown = await request(ctx.server)
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
