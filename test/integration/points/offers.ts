import request from 'supertest';
import { signUp, signUpBrand, type TestUser, createOffer, offerBody } from '../../support/fixtures';
import { ID, HOUR, pointsClient } from '../../support/points';
import { useTestApp } from '../../support/test-app';
import { expectInvalid } from '../../support/notes';

/** Points offers: what a brand creates, and what members see of them. */
const ctx = useTestApp({ listen: true, workers: true });
const { memberWith, balanceOf, getOffer, convert, expectRefused, count } = pointsClient(ctx);
let brand: TestUser;

beforeAll(async () => {
  brand = await signUpBrand(ctx.app, 'Kyoto Paper Co');
});

describe('points offers', () => {
  test('a brand creates an offer: 201 with its terms, defaults and status; GET by id answers the same', async () => {
    const res = await request(ctx.server)
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
    const fetched = await request(ctx.server).get(`/v1/campaigns/points-offers/${res.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(res.body);

    const percent = await createOffer(ctx.server, brand, { perUserLimit: 3 });
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

    const unknown = await request(ctx.server).get(
      '/v1/campaigns/points-offers/pof_00000000000000000000000000',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.type).toBe('not_found');
    expect((await request(ctx.server).get('/v1/campaigns/points-offers/nope')).status).toBe(404);
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
      const res = await request(ctx.server)
        .post('/v1/campaigns/points-offers')
        .set(own.auth)
        .send(offerBody(overrides));
      expectInvalid(res, param);
    }
    const { pointsCost: _omitted, ...noCost } = offerBody();
    const missing = await request(ctx.server)
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
    const asMember = await request(ctx.server)
      .post('/v1/campaigns/points-offers')
      .set(member.auth)
      .send(offerBody());
    expect(asMember.status).toBe(403);
    expect(asMember.body.error.type).toBe('permission');
    const anonymous = await request(ctx.server)
      .post('/v1/campaigns/points-offers')
      .send(offerBody());
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.type).toBe('authentication');
  });

  test('statuses scheduled, active, exhausted, ended; the public list shows only open offers with coupons left', async () => {
    const shop = await signUpBrand(ctx.app, 'Status Brand');
    const active = await createOffer(ctx.server, shop, { title: 'active' });
    const second = await createOffer(ctx.server, shop, { title: 'also active' });
    const scheduled = await createOffer(ctx.server, shop, {
      title: 'later',
      startsAt: new Date(Date.now() + HOUR).toISOString(),
    });
    const endsAt = Date.now() + 1500;
    const ending = await createOffer(ctx.server, shop, {
      title: 'ending',
      endsAt: new Date(endsAt).toISOString(),
    });
    const exhausted = await createOffer(ctx.server, shop, { title: 'one coupon', budget: 1 });
    const member = await memberWith(20);
    expect((await convert(member, exhausted.id)).status).toBe('completed');

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, endsAt - Date.now() + 50)));
    expect((await getOffer(active.id)).status).toBe('active');
    expect((await getOffer(scheduled.id)).status).toBe('scheduled');
    expect((await getOffer(ending.id)).status).toBe('ended');
    expect(await getOffer(exhausted.id)).toMatchObject({ status: 'exhausted', issued: 1 });

    await expectRefused(member, ending.id, 'offer_not_active');
    expect(await balanceOf(member)).toBe(0);
    const endedAirdrop = await request(ctx.server)
      .post(`/v1/campaigns/points-offers/${ending.id}/airdrop`)
      .set(shop.auth);
    expect(endedAirdrop.status).toBe(409);
    expect(endedAirdrop.body.error.code).toBe('offer_not_active');

    const list = await request(ctx.server).get(
      `/v1/campaigns/points-offers?brandId=${shop.brandId}`,
    );
    expect(list.status).toBe(200);
    expect(list.body.data.map((o: { id: string }) => o.id)).toEqual([second.id, active.id]);
    expect(list.body.nextCursor).toBeNull();
    expect(list.body.data.every((o: { status: string }) => o.status === 'active')).toBe(true);

    const first = await request(ctx.server).get(
      `/v1/campaigns/points-offers?brandId=${shop.brandId}&limit=1`,
    );
    expect(first.body.data.map((o: { id: string }) => o.id)).toEqual([second.id]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await request(ctx.server).get(
      `/v1/campaigns/points-offers?brandId=${shop.brandId}&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(next.body.data.map((o: { id: string }) => o.id)).toEqual([active.id]);
    expect(next.body.nextCursor).toBeNull();

    const all = await request(ctx.server).get('/v1/campaigns/points-offers?limit=100');
    const ids = all.body.data.map((o: { id: string }) => o.id);
    expect(ids).toEqual(expect.arrayContaining([active.id, second.id]));
    for (const closed of [scheduled.id, ending.id, exhausted.id]) expect(ids).not.toContain(closed);
  });
});
