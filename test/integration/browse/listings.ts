import request from 'supertest';
import { selectOne } from '../../../src/db/sql';
import { createListing, signUp, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const ctx = useTestApp();
let seller: TestUser;
let other: TestUser;

beforeAll(async () => {
  [seller, other] = await Promise.all([signUp(ctx.app), signUp(ctx.app)]);
});

const browse = (query: string) => request(ctx.app).get(`/v1/listings?${query}`);
const ids = (res: request.Response) => (res.body.data as Array<{ id: string }>).map((l) => l.id);

describe('listing an item', () => {
  test('is free, active, and readable by anyone', async () => {
    const res = await request(ctx.app)
      .post('/v1/listings')
      .set(seller.auth)
      .send({
        title: 'Tea bowl',
        description: 'Hand thrown',
        priceAmount: 1999,
        currency: 'USD',
        quantity: 2,
        category: 'Ceramics',
        condition: 'handmade',
        images: ['https://img.example/a.jpg'],
        shipsTo: ['jp', 'US'],
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      sellerId: seller.id,
      status: 'active',
      priceAmount: 1999,
      currency: 'USD',
      quantity: 2,
      category: 'ceramics',
      shipsTo: ['JP', 'US'],
    });
    expect(res.body.id).toMatch(/^lst_/);
    expect(Object.keys(res.body).join(',')).not.toMatch(/fee/i);
    const read = await request(ctx.app).get(`/v1/listings/${res.body.id}`);
    expect(read.body).toEqual(res.body);
    // ISO 8601 in UTC with milliseconds, as Date.toISOString writes it.
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
    expect(res.body.updatedAt).toBe(res.body.createdAt);
  });

  test.each([
    [{ priceAmount: 19.99 }, 'priceAmount'],
    [{ priceAmount: 0 }, 'priceAmount'],
    [{ currency: 'US' }, 'currency'],
    [{ currency: 'XYZ' }, 'currency'],
    [{ quantity: -1 }, 'quantity'],
    [{ condition: 'broken' }, 'condition'],
    [{ title: '' }, 'title'],
    [{ images: ['javascript:alert(1)'] }, 'images.0'],
    [{ shipsTo: ['XX'] }, 'shipsTo.0'],
    [{ fee: 100 }, undefined],
  ])('bad field %p is a 400 naming %p, and nothing is written', async (override, param) => {
    const before = await selectOne<{ n: number }>(ctx.db, 'SELECT COUNT(*) AS n FROM listings');
    const res = await request(ctx.app)
      .post('/v1/listings')
      .set(seller.auth)
      .send({
        title: 'T',
        description: 'D',
        priceAmount: 100,
        currency: 'USD',
        quantity: 1,
        category: 'x',
        condition: 'new',
        ...override,
      });
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('invalid_request');
    if (param) expect(res.body.error.param).toBe(param);
    const after = await selectOne<{ n: number }>(ctx.db, 'SELECT COUNT(*) AS n FROM listings');
    expect(after!.n).toBe(before!.n);
  });

  test('anonymous listing is 401; unknown listing is 404', async () => {
    expect((await request(ctx.app).post('/v1/listings').send({})).status).toBe(401);
    const missing = await request(ctx.app).get('/v1/listings/lst_00000000000000000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.error.type).toBe('not_found');
    expect((await request(ctx.app).get('/v1/listings/garbage')).status).toBe(404);
  });
});

describe('changing and archiving', () => {
  test('only the seller patches or archives; archived listings leave browsing', async () => {
    const listing = await createListing(ctx.app, seller, { title: 'Archive me' });
    const path = `/v1/listings/${listing.id}`;
    expect((await request(ctx.app).patch(path).send({ priceAmount: 1 })).status).toBe(401);
    const denied = await request(ctx.app).patch(path).set(other.auth).send({ priceAmount: 1 });
    expect(denied.status).toBe(403);
    expect(denied.body.error.type).toBe('permission');
    const patched = await request(ctx.app)
      .patch(path)
      .set(seller.auth)
      .send({ priceAmount: 2500, quantity: 9, status: 'paused' });
    expect(patched.body).toMatchObject({ priceAmount: 2500, quantity: 9, status: 'paused' });
    expect(ids(await browse('limit=100'))).not.toContain(listing.id);
    await request(ctx.app).patch(path).set(seller.auth).send({ status: 'active' });
    expect(ids(await browse('limit=100'))).toContain(listing.id);
    expect((await request(ctx.app).delete(path).set(other.auth)).status).toBe(403);
    const archived = await request(ctx.app).delete(path).set(seller.auth);
    expect(archived.body.status).toBe('archived');
    expect(ids(await browse('limit=100'))).not.toContain(listing.id);
    expect((await request(ctx.app).get(path)).status).toBe(404);
    expect((await request(ctx.app).get(path).set(seller.auth)).status).toBe(200);
    expect(
      (await request(ctx.app).patch(path).set(seller.auth).send({ priceAmount: 1 })).status,
    ).toBe(409);
  });

  test('a patch cannot archive or set unknown fields', async () => {
    const listing = await createListing(ctx.app, seller);
    const res = await request(ctx.app)
      .patch(`/v1/listings/${listing.id}`)
      .set(seller.auth)
      .send({ status: 'archived' });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe('status');
    const unknown = await request(ctx.app)
      .patch(`/v1/listings/${listing.id}`)
      .set(seller.auth)
      .send({ sellerId: other.id });
    expect(unknown.status).toBe(400);
  });
});

describe('browsing', () => {
  let shop: TestUser;
  const made: Record<string, string> = {};

  beforeAll(async () => {
    shop = await signUp(ctx.app);
    const items: Array<[string, Record<string, unknown>]> = [
      [
        'bowl',
        {
          title: '京都の抹茶茶碗',
          description: 'Kiyomizu ware',
          category: 'ceramics',
          condition: 'handmade',
          priceAmount: 4800,
          currency: 'JPY',
          shipsTo: ['JP'],
        },
      ],
      [
        'matcha',
        {
          title: 'MATCHA powder tin',
          description: 'Ceremonial grade',
          category: 'tea',
          condition: 'new',
          priceAmount: 2500,
          currency: 'USD',
        },
      ],
      [
        'cafe',
        {
          title: 'Café crème cups',
          description: 'Porcelaine de Limoges',
          category: 'ceramics',
          condition: 'used',
          priceAmount: 3000,
          currency: 'EUR',
          shipsTo: ['FR', 'BE'],
        },
      ],
      [
        'korean',
        {
          title: '한국 전통 차 세트',
          description: 'Korean tea set',
          category: 'tea',
          condition: 'new',
          priceAmount: 35000,
          currency: 'KRW',
        },
      ],
      [
        'teapot',
        {
          title: 'Iron teapot',
          description: 'Nanbu tekki',
          category: 'tea',
          condition: 'used',
          priceAmount: 9000,
          currency: 'USD',
          shipsTo: ['US'],
        },
      ],
    ];
    for (const [key, body] of items) made[key] = (await createListing(ctx.app, shop, body)).id;
  });

  const mine = (query: string) => browse(`sellerId=${shop.id}&limit=100&${query}`);

  test('newest first', async () => {
    expect(ids(await mine(''))).toEqual(
      ['teapot', 'korean', 'cafe', 'matcha', 'bowl'].map((k) => made[k]),
    );
  });

  test.each([
    ['q=%E6%8A%B9%E8%8C%B6', ['bowl']], // 抹茶
    ['q=%E8%8C%B6%E7%A2%97', ['bowl']], // 茶碗
    ['q=%E8%8C%B6', ['bowl']], // 茶, one character (the Korean 차 is another)
    ['q=matcha', ['matcha']],
    ['q=MATCHA%20Pow', ['matcha']],
    ['q=cafe', ['cafe']],
    ['q=caf%C3%A9', ['cafe']],
    ['q=%ED%95%9C%EA%B5%AD', ['korean']], // 한국
    ['q=tea', ['teapot', 'korean']], // title and description, not category
    ['q=zzzz', []],
    ['category=TEA', ['teapot', 'korean', 'matcha']],
    ['condition=used', ['teapot', 'cafe']],
    ['currency=USD', ['teapot', 'matcha']],
    ['currency=USD&minPrice=3000', ['teapot']],
    ['currency=USD&maxPrice=3000', ['matcha']],
    ['currency=USD&minPrice=4800&maxPrice=9000', ['teapot']],
    ['currency=JPY&minPrice=4800&maxPrice=9000', ['bowl']],
    ['shipsTo=US', ['teapot', 'korean', 'matcha']],
    ['shipsTo=FR', ['korean', 'cafe', 'matcha']],
    ['q=tea&category=tea&condition=used', ['teapot']],
    ['q=tea&shipsTo=US', ['teapot', 'korean']],
    ['q=tea&shipsTo=FR', ['korean']],
    ['q=iron%20tea', ['teapot']],
    ['q=crème%20caf', ['cafe']],
    ['q=tea%20zzz', []],
  ])('%s', async (query, expected) => {
    const res = await mine(query);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(expected.map((k) => made[k]));
  });

  test('pages by cursor with no duplicates or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await browse(
        `sellerId=${shop.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...ids(res));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['teapot', 'korean', 'cafe', 'matcha', 'bowl'].map((k) => made[k]));
  });

  test.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['cursor=bm9wZQ', 'cursor'],
    ['minPrice=-1', 'minPrice'],
    ['currency=USD&minPrice=10&maxPrice=5', 'minPrice'],
    // Minor units of different currencies are not comparable (¥15,000 is not $150).
    ['minPrice=4800&maxPrice=9000', 'currency'],
    ['minPrice=4800', 'currency'],
    ['maxPrice=9000', 'currency'],
    ['condition=mint', 'condition'],
    ['shipsTo=XX', 'shipsTo'],
  ])('bad query %s is a 400 naming %s', async (query, param) => {
    const res = await browse(query);
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe(param);
  });
});
