import request from 'supertest';
import { createListing, signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const ctx = useTestApp();
let seller: TestUser;
let other: TestUser;

beforeAll(async () => {
  [seller, other] = await Promise.all([
    signUp(ctx.app, { displayName: 'Aiko Tanaka', country: 'JP' }),
    signUp(ctx.app, { displayName: 'Ben Okafor', country: 'NG' }),
  ]);
});

const api = () => request(ctx.app);
const ids = (res: request.Response) => (res.body.data as Array<{ id: string }>).map((l) => l.id);

describe("a seller's own listings", () => {
  let made: Record<'active' | 'soldOut' | 'paused' | 'archived', string>;

  beforeAll(async () => {
    const [active, soldOut, paused, archived] = [
      await createListing(ctx.app, seller, { title: 'Active bowl' }),
      await createListing(ctx.app, seller, { title: 'Last bowl', quantity: 1 }),
      await createListing(ctx.app, seller, { title: 'Paused bowl' }),
      await createListing(ctx.app, seller, { title: 'Archived bowl' }),
    ];
    await createListing(ctx.app, other, { title: "Someone else's bowl" });
    const patch = (id: string, body: object) =>
      api().patch(`/v1/listings/${id}`).set(seller.auth).send(body).expect(200);
    await patch(soldOut!.id, { quantity: 0 });
    await patch(paused!.id, { status: 'paused' });
    await api().delete(`/v1/listings/${archived!.id}`).set(seller.auth).expect(200);
    made = {
      active: active!.id,
      soldOut: soldOut!.id,
      paused: paused!.id,
      archived: archived!.id,
    };
  });

  const mine = (query = '', as = seller) => api().get(`/v1/me/listings?${query}`).set(as.auth);

  test('without a status: every one of them, newest first, whatever its status', async () => {
    const res = await mine();
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([made.archived, made.paused, made.soldOut, made.active]);
    expect(res.body.data.map((l: { status: string }) => l.status)).toEqual([
      'archived',
      'paused',
      'active',
      'active',
    ]);
    expect(res.body.nextCursor).toBeNull();
  });

  test.each([
    ['active', ['soldOut', 'active']],
    ['sold_out', ['soldOut']],
    ['paused', ['paused']],
    ['archived', ['archived']],
  ] as const)('status=%s', async (status, expected) => {
    const res = await mine(`status=${status}`);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(expected.map((key) => made[key]));
  });

  test('pages by cursor with no duplicates or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await mine(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...ids(res));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([made.archived, made.paused, made.soldOut, made.active]);
  });

  test('is private: each seller sees only their own, anonymous is 401', async () => {
    const theirs = await mine('', other);
    expect(theirs.status).toBe(200);
    expect(ids(theirs)).not.toContain(made.active);
    expect(theirs.body.data).toHaveLength(1);
    expect((await api().get('/v1/me/listings')).status).toBe(401);
  });

  test('an unknown status is a 400 naming status', async () => {
    const res = await mine('status=deleted');
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe('status');
  });
});

describe("the seller's name on listings", () => {
  test('created, read, browsed and listed: sellerName is the display name', async () => {
    const created = await api().post('/v1/listings').set(seller.auth).send({
      title: 'Named bowl',
      description: 'Hand thrown',
      priceAmount: 2000,
      currency: 'USD',
      quantity: 3,
      category: 'ceramics',
      condition: 'handmade',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ sellerName: 'Aiko Tanaka', drop: null });
    const read = await api().get(`/v1/listings/${created.body.id}`);
    expect(read.body.sellerName).toBe('Aiko Tanaka');
    const browsed = await api().get(`/v1/listings?sellerId=${seller.id}&limit=100`);
    expect(browsed.body.data.length).toBeGreaterThan(0);
    for (const listing of browsed.body.data) expect(listing.sellerName).toBe('Aiko Tanaka');
    const searched = await api().get(`/v1/listings?q=named&sellerId=${seller.id}`);
    expect(ids(searched)).toEqual([created.body.id]);
    expect(searched.body.data[0].sellerName).toBe('Aiko Tanaka');
    const shipped = await api().get(`/v1/listings?shipsTo=JP&sellerId=${seller.id}&limit=1`);
    expect(shipped.body.data[0].sellerName).toBe('Aiko Tanaka');
    const own = await api().get('/v1/me/listings?limit=1').set(seller.auth);
    expect(own.body.data[0].sellerName).toBe('Aiko Tanaka');
  });

  test('a renamed seller is shown by the new name', async () => {
    const renamed = await signUp(ctx.app, { displayName: 'Old Name' });
    const listing = await createListing(ctx.app, renamed);
    await api().patch('/v1/me').set(renamed.auth).send({ displayName: 'New Name' }).expect(200);
    expect((await api().get(`/v1/listings/${listing.id}`)).body.sellerName).toBe('New Name');
  });
});

describe('public profiles', () => {
  test('a member: names, country, counts of what the public sees; never the e-mail', async () => {
    const member = await signUp(ctx.app, { displayName: 'Chen Wei', country: 'TW' });
    const [kept, paused] = [
      await createListing(ctx.app, member),
      await createListing(ctx.app, member),
      await createListing(ctx.app, member),
    ];
    await api().patch(`/v1/listings/${paused!.id}`).set(member.auth).send({ status: 'paused' });
    await api()
      .post('/v1/notes')
      .set(member.auth)
      .send({
        clientId: '6f1c1e4e-8a45-4f0b-9a57-5b2a8f0d9c11',
        title: 'Tea in Taipei',
        body: 'Where to drink it.',
        languages: ['zh-TW'],
        cultureTags: [],
      })
      .expect(201);
    expect(kept).toBeDefined();
    const res = await api().get(`/v1/users/${member.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: member.id,
      displayName: 'Chen Wei',
      country: 'TW',
      accountType: 'member',
      createdAt: expect.stringMatching(/Z$/),
      listingsCount: 2,
      notesCount: 1,
    });
    expect(JSON.stringify(res.body)).not.toContain(member.email);
    expect(JSON.stringify(res.body)).not.toMatch(/email/i);
  });

  test('a brand shows the brand name typed at signup', async () => {
    const brand = await signUpBrand(ctx.app, 'Kyoto Paper Co');
    const res = await api().get(`/v1/users/${brand.id}`).set(other.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      accountType: 'brand',
      brandName: 'Kyoto Paper Co',
      listingsCount: 0,
      notesCount: 0,
    });
    expect(res.body).not.toHaveProperty('email');
  });

  test('an unknown or malformed id is 404', async () => {
    const unknown = await api().get('/v1/users/usr_00000000000000000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.type).toBe('not_found');
    expect((await api().get('/v1/users/lst_00000000000000000000000000')).status).toBe(404);
  });
});
