/**
 * Search with several words, a last-word prefix, CJK and filters together: the plan walks one
 * token's postings and checks the filters on the copies each posting carries (migration 018),
 * so these also prove the copies follow every change of the listing.
 */
import request from 'supertest';
import { createListing, signUp, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const ctx = useTestApp();
let shop: TestUser;
const made: Record<string, string> = {};

beforeAll(async () => {
  shop = await signUp(ctx.app);
  const items: Array<[string, Record<string, unknown>]> = [
    [
      'camera',
      {
        title: 'Vintage camera',
        description: 'Film',
        category: 'cameras',
        condition: 'used',
        priceAmount: 12000,
      },
    ],
    [
      'camcorder',
      {
        title: 'Vintage camcorder',
        description: 'Tapes',
        category: 'cameras',
        condition: 'new',
        priceAmount: 15000,
      },
    ],
    [
      'lens',
      {
        title: 'Camera lens',
        description: 'vintage glass',
        category: 'cameras',
        condition: 'used',
        priceAmount: 5000,
        currency: 'JPY',
      },
    ],
    [
      'bowl',
      {
        title: '京都の抹茶茶碗',
        description: 'Vintage Kiyomizu',
        category: 'ceramics',
        condition: 'used',
        priceAmount: 4800,
        currency: 'JPY',
      },
    ],
  ];
  for (const [key, body] of items) made[key] = (await createListing(ctx.app, shop, body)).id;
});

const search = (query: string) =>
  request(ctx.app).get(`/v1/listings?sellerId=${shop.id}&limit=100&${query}`);
const found = async (query: string) => {
  const res = await search(query);
  expect(res.status).toBe(200);
  return (res.body.data as Array<{ id: string }>).map(
    (l) => Object.keys(made).find((k) => made[k] === l.id) ?? l.id,
  );
};

test.each([
  ['q=vintage%20cam', ['lens', 'camcorder', 'camera']], // "cam": two whole tokens
  ['q=vintage%20came', ['lens', 'camera']], // "came": one, walked or checked by rarity
  ['q=camera%20vintage', ['lens', 'camera']],
  ['q=VINTAGE%20%20Camera', ['lens', 'camera']],
  ['q=glass%20vintage%20cam', ['lens']],
  ['q=vintage%20cam&category=cameras&condition=used', ['lens', 'camera']],
  ['q=vintage%20cam&currency=USD&minPrice=13000', ['camcorder']],
  ['q=vintage%20cam&currency=JPY&maxPrice=4999', []],
  ['q=vintage&condition=used', ['bowl', 'lens', 'camera']],
  ['q=%E6%8A%B9%E8%8C%B6%20vintage', ['bowl']], // 抹茶 vintage
  ['q=%E6%8A%B9%E8%8C%B6%20vint', ['bowl']], // 抹茶 vint
  ['q=%E6%8A%B9%E8%8C%B6&condition=new', []],
  ['q=%E6%8A%B9%E8%8C%B6&category=ceramics&currency=JPY&minPrice=4800', ['bowl']],
  ['q=vintage%20zzz', []],
  ['q=zzz%20vintage', []],
  // One word: answered in one round trip when it is the one whole token it starts.
  ['q=camera', ['lens', 'camera']],
  ['q=vintage', ['bowl', 'lens', 'camcorder', 'camera']],
  ['q=camera&condition=used&currency=JPY', ['lens']],
  ['q=cam', ['lens', 'camcorder', 'camera']], // starts two whole tokens
  ['q=camer', ['lens', 'camera']], // starts one token, not itself a token
  ['q=zzz', []],
])('%s', async (query, expected) => {
  expect(await found(query)).toEqual(expected);
});

test('a multi-word search pages by cursor with no duplicates or gaps', async () => {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res: request.Response = await request(ctx.app).get(
      `/v1/listings?sellerId=${shop.id}&q=vintage%20cam&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
    );
    seen.push(...(res.body.data as Array<{ id: string }>).map((l) => l.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  expect(seen).toEqual([made.lens, made.camcorder, made.camera]);
});

test('a one-word search pages by cursor with no duplicates or gaps', async () => {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res: request.Response = await request(ctx.app).get(
      `/v1/listings?sellerId=${shop.id}&q=vintage&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
    );
    seen.push(...(res.body.data as Array<{ id: string }>).map((l) => l.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  expect(seen).toEqual([made.bowl, made.lens, made.camcorder, made.camera]);
});

describe('the filters a search checks follow the listing', () => {
  const patch = async (key: string, body: Record<string, unknown>) => {
    const res = await request(ctx.app).patch(`/v1/listings/${made[key]}`).set(shop.auth).send(body);
    expect(res.status).toBe(200);
  };

  test('a new category', async () => {
    await patch('camera', { category: 'film' });
    expect(await found('q=vintage%20came&category=cameras')).toEqual(['lens']);
    expect(await found('q=vintage%20came&category=film')).toEqual(['camera']);
  });

  test('a new condition and price', async () => {
    await patch('lens', { condition: 'new', priceAmount: 9000 });
    expect(await found('q=vintage%20cam&condition=new')).toEqual(['lens', 'camcorder']);
    expect(await found('q=vintage%20cam&currency=JPY&minPrice=8000')).toEqual(['lens']);
  });

  test('paused, then active again', async () => {
    await patch('camcorder', { status: 'paused' });
    expect(await found('q=vintage%20cam')).toEqual(['lens', 'camera']);
    await patch('camcorder', { status: 'active' });
    expect(await found('q=vintage%20cam')).toEqual(['lens', 'camcorder', 'camera']);
  });

  test('new words and a new category at once', async () => {
    await patch('camera', { title: 'Vintage rangefinder', category: 'cameras' });
    expect(await found('q=rangefinder%20vint&category=cameras')).toEqual(['camera']);
    expect(await found('q=vintage%20came&category=film')).toEqual([]);
  });

  test('archived', async () => {
    const res = await request(ctx.app).delete(`/v1/listings/${made.bowl}`).set(shop.auth);
    expect(res.status).toBe(200);
    expect(await found('q=%E6%8A%B9%E8%8C%B6')).toEqual([]);
    expect(await found('q=vintage&condition=used')).toEqual(['camera']);
  });
});
