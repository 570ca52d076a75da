import { randomUUID } from 'node:crypto';
import {
  sleep,
  newServices,
  poolOf,
  rows,
  holdRowLock,
  waitingOn,
  kill,
  signup,
  queueState,
  jobReturn,
  type Session,
  cleanUpAfterEachDrill,
} from '../support/crash-drill';
import { callJson } from '../support/e2e';
import { until } from '../support/fixtures';

cleanUpAfterEachDrill();

interface Conversion {
  id: string;
  status: 'pending' | 'completed' | 'failed';
  reason: string | null;
  pointsCost: number | null;
  couponCode: string | null;
}

test('points conversion: worker SIGKILLed with settlements mid-transaction; after restart each conversion settles once, points debited once per coupon', async () => {
  const COST = 30;
  const BUDGET = 30;
  const services = newServices({});
  const api = await services.start('api');
  const first = await services.start('worker');
  const db = poolOf(services);
  const call = <T>(method: string, url: string, token: string | null, body?: unknown) =>
    callJson<T>(`${api.url}${url}`, method, token, body);

  const brand = await signup(api, { accountType: 'brand', brandName: 'Points Brand' });
  const offer = await call<{ id: string }>('POST', '/v1/campaigns/points-offers', brand.token, {
    title: 'Ten percent for thirty points',
    pointsCost: COST,
    coupon: { discountType: 'percent', percentOff: 10, validDays: 30 },
    budget: BUDGET,
    perUserLimit: 1,
    startsAt: new Date(Date.now() - 1000).toISOString(),
    endsAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  expect(offer.status).toBe(201);

  // 30 members with one cross-cultural note (30 points), 6 with two (60: enough for two, limit
  // one), 6 with none. 36 can afford a coupon, the budget is 30: exactly 30 complete.
  const earn = async (member: Session) => {
    const res = await call<{ status: string }>('POST', '/v1/notes', member.token, {
      clientId: randomUUID(),
      title: 'Tea in Uji',
      body: 'How the first flush is picked.',
      languages: ['ja', 'en'],
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('published');
  };
  const members = (await Promise.all(Array.from({ length: 42 }, () => signup(api)))).map(
    (session, i) => ({
      ...session,
      earned: (i < 30 ? 1 : i < 36 ? 2 : 0) * 30,
      conversions: [] as string[],
      refusals: [] as string[],
    }),
  );
  // One note at a time: concurrent first notes of many members can deadlock (reported apart).
  for (const member of members) for (let n = 0; n < member.earned / 30; n += 1) await earn(member);
  for (const member of members) {
    const points = await call<{ balance: number }>('GET', '/v1/me/points', member.token);
    expect(points.body.balance).toBe(member.earned);
  }
  // One request each, and a second one from each two-note member.
  const requests = [...members, ...members.slice(30, 36)];
  // What the request already shows is refused at once (409); the rest is accepted (202) and
  // settled by the worker, which still decides the races.
  const convert = async (member: (typeof members)[number]) => {
    const res = await call<Conversion & { error?: { code: string } }>(
      'POST',
      '/v1/points/conversions',
      member.token,
      { offerId: offer.body.id },
    );
    if (member.earned === 0) expect(res.status).toBe(409);
    if (res.status === 409) {
      expect(['insufficient_points', 'budget_exhausted', 'limit_reached']).toContain(
        res.body.error?.code,
      );
      member.refusals.push(res.body.error!.code);
      return;
    }
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('pending');
    member.conversions.push(res.body.id);
  };
  const accepted = (batch: typeof requests) =>
    batch.reduce((n, member) => n + member.conversions.length, 0);
  const statuses = async () => {
    const counts = { pending: 0, completed: 0, failed: 0 };
    for (const r of await rows<{ status: keyof typeof counts; n: number }>(
      db,
      'SELECT status, COUNT(*) AS n FROM point_conversions GROUP BY status',
    ))
      counts[r.status] = Number(r.n);
    return counts;
  };

  // A first few settle normally.
  const early = requests.slice(0, 8);
  await Promise.all(early.map(convert));
  await until(
    'the first conversions to settle',
    async () => (await statuses()).pending === 0,
    15_000,
  );

  // With the offer's row locked, the next settlements stop inside their transaction (balance
  // locked, budget not yet consumed); SIGKILL the worker then.
  const lock = await holdRowLock(db, 'SELECT id FROM points_offers WHERE id = ? FOR UPDATE', [
    offer.body.id,
  ]);
  const during = requests.slice(8, 38);
  await Promise.all(during.map(convert));
  await until(
    'settlements inside their transaction',
    async () => (await waitingOn(db, services, 'UPDATE points_offers SET issued')) >= 5,
    10_000,
    20,
  );
  await sleep(200);
  await kill(first);
  await lock.release();

  // More requests while no worker runs.
  const late = requests.slice(38);
  const acceptedBefore = accepted(members);
  await Promise.all(late.map(convert));
  const acceptedLate = accepted(members) - acceptedBefore;
  const whileDown = await statuses();
  expect(whileDown.pending).toBeGreaterThanOrEqual(5 + acceptedLate);
  const [issuedDown] = await rows<{ issued: number }>(
    db,
    'SELECT issued FROM points_offers WHERE id = ?',
    [offer.body.id],
  );
  expect(Number(issuedDown!.issued)).toBe(whileDown.completed);

  await services.start('worker');
  const ids = members.flatMap((m) => m.conversions);
  const refused = members.flatMap((m) => m.refusals);
  expect(ids.length + refused.length).toBe(requests.length);
  // The six members with no points were refused at once, never queued.
  expect(refused.filter((code) => code === 'insufficient_points').length).toBeGreaterThanOrEqual(6);
  await until(
    'every conversion to settle and its job to finish',
    async () =>
      (await statuses()).pending === 0 &&
      (await queueState(services, 'points')).unfinished.every((id) => !ids.includes(id)),
    25_000,
    100,
  );

  // Every conversion ends completed or failed, as its member sees it.
  const views = new Map<string, Conversion>();
  for (const member of members) {
    for (const id of member.conversions) {
      const view = await call<Conversion>('GET', `/v1/points/conversions/${id}`, member.token);
      expect(view.status).toBe(200);
      views.set(id, view.body);
    }
  }
  const completed = [...views.values()].filter((v) => v.status === 'completed');
  const failed = [...views.values()].filter((v) => v.status === 'failed');
  expect(completed.length + failed.length).toBe(ids.length);
  expect(completed).toHaveLength(BUDGET);
  for (const v of completed) {
    expect(v.pointsCost).toBe(COST);
    expect(v.couponCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  }
  for (const v of failed) {
    expect(['insufficient_points', 'budget_exhausted', 'limit_reached']).toContain(v.reason);
    expect(v.couponCode).toBeNull();
  }
  const completedIds = completed.map((v) => v.id).sort();

  // The ledger: one 'conversion' entry per completed conversion, none for a failed one.
  const entries = await rows<{ sourceId: string; memberId: string; amount: number }>(
    db,
    `SELECT source_id AS sourceId, member_id AS memberId, amount FROM point_entries
      WHERE reason = 'conversion' ORDER BY source_id`,
  );
  expect(entries.map((e) => e.sourceId)).toEqual(completedIds);
  expect(entries.every((e) => Number(e.amount) === -COST)).toBe(true);

  // Offer issued == completed == coupons of the offer, each from one completed conversion.
  const offerView = await call<{ issued: number }>(
    'GET',
    `/v1/campaigns/points-offers/${offer.body.id}`,
    null,
  );
  expect(offerView.body.issued).toBe(BUDGET);
  const coupons = await rows<{ sourceId: string; ownerId: string }>(
    db,
    'SELECT source_id AS sourceId, owner_id AS ownerId FROM coupons WHERE offer_id = ? ORDER BY source_id',
    [offer.body.id],
  );
  expect(coupons.map((c) => c.sourceId)).toEqual(completedIds);
  expect(new Set(coupons.map((c) => c.ownerId)).size).toBe(BUDGET);

  // Each member's balance: what they earned less one cost per coupon they got.
  for (const member of members) {
    const got = member.conversions.filter((id) => views.get(id)!.status === 'completed').length;
    expect(got).toBeLessThanOrEqual(1);
    const points = await call<{ balance: number }>('GET', '/v1/me/points', member.token);
    expect(points.body.balance).toBe(member.earned - got * COST);
    expect(coupons.filter((c) => c.ownerId === member.id)).toHaveLength(got);
  }
  const drift = await rows<{ memberId: string }>(
    db,
    `SELECT b.member_id AS memberId FROM point_balances b
       LEFT JOIN (SELECT member_id, SUM(amount) AS total FROM point_entries GROUP BY member_id) e
         ON e.member_id = b.member_id
      WHERE b.balance <> COALESCE(e.total, 0)`,
  );
  expect(drift).toEqual([]);

  // Every settle job finished once, none failed; what it answered is what was recorded.
  const queue = await queueState(services, 'points');
  expect(queue.failed).toEqual([]);
  for (const id of ids) {
    expect(queue.completed.has(id)).toBe(true);
    expect(await jobReturn(services, 'points', id)).toEqual({
      status: views.get(id)!.status,
      reason: views.get(id)!.reason,
    });
  }
}, 60_000);
