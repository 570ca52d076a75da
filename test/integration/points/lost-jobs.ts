import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../../jobs/worker';
import { ManualClock } from '../../../src/clock';
import { eventually, signUp, signUpBrand, offerBody, type TestUser } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';
import { COUPON_CODE, postNote } from '../../support/points';

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

  /** An offer of `shop`'s, open by the manual clock's time. */
  const openOffer = (shop: TestUser) =>
    request(late.app)
      .post('/v1/campaigns/points-offers')
      .set(shop.auth)
      .send({
        ...offerBody(),
        startsAt: clock.now().minus({ seconds: 1 }).toISO(),
        endsAt: clock.now().plus({ days: 1 }).toISO(),
      });

  test('a pending conversion whose job was lost is enqueued again by sweepStuck after 30 s, and settles', async () => {
    const shop = await signUpBrand(late.app, 'Sweep Brand');
    const offerRes = await openOffer(shop);
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
    const offerRes = await openOffer(shop);
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
