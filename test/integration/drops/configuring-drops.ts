/**
 * A brand's drop before it opens: the stock it sets aside, its times read in its own zone, the
 * answers it never shows, what a bad configuration gets back, who may change or cancel it.
 */
import request from 'supertest';
import { selectOne } from '../../../src/db/sql';
import { createDrop, PUZZLE } from '../../support/drops';
import { createListing, signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { dropsClient, useDropsApp } from './drops-client';

const ctx = useDropsApp();
const { quantityOf } = dropsClient(ctx);
let brand: TestUser;

beforeAll(async () => {
  brand = await signUpBrand(ctx.app, 'Uji Tea House');
});

test('a drop sets its stock aside, reads local times in its zone and never shows answers', async () => {
  const listing = await createListing(ctx.app, brand, { quantity: 30 });
  const res = await request(ctx.server).post('/v1/campaigns/drops').set(brand.auth).send({
    title: 'Winter drop',
    listingId: listing.id,
    stock: 10,
    startsAt: '2027-01-15T20:00:00',
    timezone: 'Asia/Tokyo',
    puzzle: PUZZLE,
  });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({
    status: 'scheduled',
    startsAt: '2027-01-15T11:00:00.000Z',
    endsAt: '2027-01-17T11:00:00.000Z',
    durationHours: 48,
    maxAttemptsPerUser: 10,
    perUserLimit: 1,
    reservationMinutes: 10,
  });
  expect(await quantityOf(listing.id)).toBe(20);
  const pub = await request(ctx.server).get(`/v1/campaigns/drops/${res.body.id}`);
  expect(JSON.stringify(pub.body)).not.toMatch(/Fuji|富士山|answers/i);
  expect(pub.body.puzzle.hints).toEqual([]);
  const own = await request(ctx.server).get(`/v1/campaigns/drops/${res.body.id}`).set(brand.auth);
  expect(own.body.puzzle.hints).toHaveLength(2);
  const row = await selectOne<{ hashes: string }>(
    ctx.db,
    'SELECT answer_hashes AS hashes, question FROM drops WHERE id = ?',
    [res.body.id],
  );
  expect(row!.hashes).not.toMatch(/fuji|富士/i);
});

test('bad configurations are 400s naming the field', async () => {
  const listing = await createListing(ctx.app, brand, { quantity: 5 });
  const base = {
    title: 'T',
    listingId: listing.id,
    stock: 1,
    startsAt: '2027-03-14T02:30:00',
    timezone: 'America/New_York',
    puzzle: PUZZLE,
  };
  const gap = await request(ctx.server).post('/v1/campaigns/drops').set(brand.auth).send(base);
  expect(gap.status).toBe(400);
  expect(gap.body.error).toMatchObject({ code: 'nonexistent_local_time', param: 'startsAt' });
  const zone = await request(ctx.server)
    .post('/v1/campaigns/drops')
    .set(brand.auth)
    .send({ ...base, timezone: 'Mars/Olympus' });
  expect(zone.body.error.param).toBe('timezone');
  const tooLong = await request(ctx.server)
    .post('/v1/campaigns/drops')
    .set(brand.auth)
    .send({ ...base, startsAt: '2027-03-15T10:00:00', durationHours: 169 });
  expect(tooLong.body.error.param).toBe('durationHours');
  const tooMany = await request(ctx.server)
    .post('/v1/campaigns/drops')
    .set(brand.auth)
    .send({ ...base, startsAt: '2027-03-15T10:00:00', stock: 6 });
  expect(tooMany.status).toBe(409);
  expect(tooMany.body.error.code).toBe('out_of_stock');
  expect(await quantityOf(listing.id)).toBe(5);
});

test('only a brand drops its own listing; only its brand changes or cancels it', async () => {
  const member = await signUp(ctx.app);
  const otherBrand = await signUpBrand(ctx.app, 'Other');
  const listing = await createListing(ctx.app, member);
  const body = {
    title: 'T',
    listingId: listing.id,
    stock: 1,
    startsAt: '2027-03-15T10:00:00',
    timezone: 'UTC',
    puzzle: PUZZLE,
  };
  expect(
    (await request(ctx.server).post('/v1/campaigns/drops').set(member.auth).send(body)).status,
  ).toBe(403);
  expect(
    (await request(ctx.server).post('/v1/campaigns/drops').set(otherBrand.auth).send(body)).status,
  ).toBe(403);
  const { drop } = await createDrop(ctx.app, brand, {}, 3_600_000);
  expect(
    (
      await request(ctx.server)
        .patch(`/v1/campaigns/drops/${drop.id}`)
        .set(otherBrand.auth)
        .send({ title: 'x' })
    ).status,
  ).toBe(403);
  expect(
    (await request(ctx.server).post(`/v1/campaigns/drops/${drop.id}/cancel`).set(member.auth))
      .status,
  ).toBe(403);
  expect(
    (await request(ctx.server).get(`/v1/campaigns/drops/${drop.id}/stats`).set(otherBrand.auth))
      .status,
  ).toBe(403);
  expect((await request(ctx.server).post(`/v1/campaigns/drops/${drop.id}/cancel`)).status).toBe(
    401,
  );
});

test('patching a scheduled drop reschedules it; canceling gives the stock back', async () => {
  const { drop, listing } = await createDrop(ctx.app, brand, { stock: 7 }, 3_600_000);
  const patched = await request(ctx.server)
    .patch(`/v1/campaigns/drops/${drop.id}`)
    .set(brand.auth)
    .send({ startsAt: '2027-02-01T09:00:00', durationHours: 2 });
  expect(patched.body).toMatchObject({
    startsAt: '2027-02-01T00:00:00.000Z',
    endsAt: '2027-02-01T02:00:00.000Z',
  });
  const job = await ctx.queues.drops.getJob(`drop:open:${drop.id}`);
  expect(job!.timestamp + job!.delay).toBe(Date.parse('2027-02-01T00:00:00.000Z'));
  expect(await quantityOf(listing.id)).toBe(93);
  const canceled = await request(ctx.server)
    .post(`/v1/campaigns/drops/${drop.id}/cancel`)
    .set(brand.auth);
  expect(canceled.body.status).toBe('canceled');
  expect(await quantityOf(listing.id)).toBe(100);
  expect(await ctx.queues.drops.getJob(`drop:open:${drop.id}`)).toBeUndefined();
  expect(
    (
      await request(ctx.server)
        .patch(`/v1/campaigns/drops/${drop.id}`)
        .set(brand.auth)
        .send({ title: 'late' })
    ).status,
  ).toBe(409);
});
test('endsAt is startsAt + durationHours to the second: 1.5/60 hours is 90 s, on create and on patch', async () => {
  const listing = await createListing(ctx.app, brand, { quantity: 5 });
  const created = await request(ctx.server)
    .post('/v1/campaigns/drops')
    .set(brand.auth)
    .send({
      title: 'Ninety seconds',
      listingId: listing.id,
      stock: 1,
      startsAt: '2027-04-01T09:00:00',
      timezone: 'Asia/Tokyo',
      durationHours: 1.5 / 60,
      puzzle: PUZZLE,
    });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    startsAt: '2027-04-01T00:00:00.000Z',
    endsAt: '2027-04-01T00:01:30.000Z',
    durationHours: 0.025,
  });
  const job = await ctx.queues.drops.getJob(`drop:close:${created.body.id}`);
  expect(job!.timestamp + job!.delay).toBe(Date.parse('2027-04-01T00:01:30.000Z'));
  const patched = await request(ctx.server)
    .patch(`/v1/campaigns/drops/${created.body.id}`)
    .set(brand.auth)
    .send({ durationHours: 61 / 3600 });
  expect(patched.status).toBe(200);
  expect(patched.body.endsAt).toBe('2027-04-01T00:01:01.000Z');
});
