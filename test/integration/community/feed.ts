import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import request from 'supertest';
import { ManualClock } from '../../../src/clock';
import { signUp, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

/**
 * GET /v1/feed. Thursday 2026-12-03 20:00 UTC is Friday 09:00 in Auckland (UTC+13) and still
 * Thursday 12:00 in Los Angeles (UTC-8).
 */
const THURSDAY_EVENING_UTC = DateTime.fromISO('2026-12-03T20:00:00Z');

const clock = new ManualClock(THURSDAY_EVENING_UTC);
const ctx = useTestApp({ clock, env: { MODERATION_COUNTRIES: 'CN' }, listen: true });
let auckland: TestUser;
let aucklandToo: TestUser;
let losAngeles: TestUser;
let authors: TestUser[];
let published: string[];

interface FeedPage {
  mode: 'random' | 'ranked';
  data: Array<{ id: string; authorId: string; authorName: string | null; media: unknown[] }>;
  nextCursor: string | null;
}

beforeAll(async () => {
  [auckland, aucklandToo, losAngeles] = await Promise.all([
    signUp(ctx.app, { timezone: 'Pacific/Auckland', country: 'NZ' }),
    signUp(ctx.app, { timezone: 'Pacific/Auckland', country: 'NZ' }),
    signUp(ctx.app, { timezone: 'America/Los_Angeles', country: 'US' }),
  ]);
  authors = await Promise.all([0, 1, 2, 3].map(() => signUp(ctx.app)));
  published = [];
  clock.set(THURSDAY_EVENING_UTC.minus({ hours: 2 }));
  // One prolific author (12 notes) and three with 3 each.
  for (const [i, author] of authors.entries()) {
    for (let n = 0; n < (i === 0 ? 12 : 3); n += 1) {
      clock.advance({ minutes: 1 });
      published.push((await post(author, `Note ${i}-${n}`)).id);
    }
  }
  // Neither a note under review nor a deleted one is in the feed.
  const held = await signUp(ctx.app, { country: 'CN', timezone: 'Asia/Shanghai' });
  expect((await post(held, 'Held back')).status).toBe('pending_review');
  const gone = await post(authors[1]!, 'Deleted');
  await request(ctx.server).delete(`/v1/notes/${gone.id}`).set(authors[1]!.auth).expect(200);
  clock.set(THURSDAY_EVENING_UTC);
});

async function post(author: TestUser, title: string) {
  const res = await request(ctx.server)
    .post('/v1/notes')
    .set(author.auth)
    .send({ clientId: randomUUID(), title, body: 'A walk through the market.', languages: ['en'] });
  expect(res.status).toBe(201);
  return res.body as { id: string; status: string };
}

async function feedPage(viewer: TestUser | undefined, params: string): Promise<FeedPage> {
  const req = request(ctx.server).get(`/v1/feed?${params}`);
  const res = await (viewer ? req.set(viewer.auth) : req);
  expect(res.status).toBe(200);
  return res.body as FeedPage;
}

/** Every page of the feed, following the cursors. */
async function wholeFeed(viewer: TestUser | undefined, params = '', limit = 4) {
  const pages: FeedPage[] = [];
  let cursor: string | null = null;
  do {
    const page = await feedPage(
      viewer,
      `${params}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
}

const idsOf = (pages: FeedPage[]) => pages.flatMap((p) => p.data.map((n) => n.id));

test("the mode follows the viewer's Friday: Auckland's, not Los Angeles'", async () => {
  expect((await feedPage(auckland, '')).mode).toBe('random');
  expect((await feedPage(losAngeles, '')).mode).toBe('ranked');
  expect((await feedPage(undefined, 'timezone=Pacific/Auckland')).mode).toBe('random');
  expect((await feedPage(undefined, 'timezone=America/Los_Angeles')).mode).toBe('ranked');
  expect((await feedPage(undefined, '')).mode).toBe('ranked'); // Thursday in UTC
  // A member's own zone wins over the parameter.
  expect((await feedPage(losAngeles, 'timezone=Pacific/Auckland')).mode).toBe('ranked');
});

test('paging through the random feed shows every published note exactly once', async () => {
  const pages = await wholeFeed(auckland);
  expect(pages.every((p) => p.mode === 'random')).toBe(true);
  const ids = idsOf(pages);
  expect(ids).toHaveLength(published.length);
  expect([...ids].sort()).toEqual([...published].sort());
  expect(pages[0]!.data[0]!.authorName).toBe('Test');
  expect(pages[0]!.data[0]!.media).toEqual([]);
  // Fixed for the viewer and the day: the same order again, in pages of another size too.
  expect(idsOf(await wholeFeed(auckland, '', 7))).toEqual(ids);
});

test('another viewer or another Friday has another order', async () => {
  const mine = idsOf(await wholeFeed(auckland));
  const theirs = idsOf(await wholeFeed(aucklandToo));
  const anonymous = idsOf(await wholeFeed(undefined, 'timezone=Pacific/Auckland'));
  expect([...theirs].sort()).toEqual([...mine].sort());
  expect(theirs).not.toEqual(mine);
  expect(anonymous).not.toEqual(mine);
  clock.set(THURSDAY_EVENING_UTC.plus({ days: 7 }));
  try {
    const nextFriday = idsOf(await wholeFeed(auckland));
    expect([...nextFriday].sort()).toEqual([...mine].sort());
    expect(nextFriday).not.toEqual(mine);
  } finally {
    clock.set(THURSDAY_EVENING_UTC);
  }
});

test('a note published while paging neither repeats nor hides the others', async () => {
  const first = await feedPage(auckland, 'limit=5');
  const extra = await post(authors[3]!, 'Fresh');
  published.push(extra.id);
  const rest: FeedPage[] = [];
  let cursor = first.nextCursor;
  while (cursor) {
    const page = await feedPage(auckland, `limit=5&cursor=${cursor}`);
    rest.push(page);
    cursor = page.nextCursor;
  }
  const ids = [...idsOf([first]), ...idsOf(rest)];
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of published.filter((p) => p !== extra.id)) expect(ids).toContain(id);
});

test('ranked pages: at most 2 notes an author, every published note once', async () => {
  const pages = await wholeFeed(losAngeles, '', 6);
  expect(pages.every((p) => p.mode === 'ranked')).toBe(true);
  for (const page of pages) {
    const perAuthor = new Map<string, number>();
    for (const note of page.data)
      perAuthor.set(note.authorId, (perAuthor.get(note.authorId) ?? 0) + 1);
    expect(Math.max(...perAuthor.values())).toBeLessThanOrEqual(2);
  }
  const ids = idsOf(pages);
  expect([...ids].sort()).toEqual([...published].sort());
  // The prolific author's third note comes after every author's best two.
  const firstEight = ids
    .slice(0, 8)
    .map((id) => pages.flatMap((p) => p.data).find((n) => n.id === id)!.authorId);
  expect(new Set(firstEight).size).toBe(4);
});

test('recent likes weigh more than old ones', async () => {
  const likers = await Promise.all([0, 1, 2].map(() => signUp(ctx.app)));
  const [oldFavourite, newFavourite] = [published[12]!, published[15]!];
  clock.set(THURSDAY_EVENING_UTC.minus({ days: 10 }));
  for (const liker of likers)
    await request(ctx.server).post(`/v1/notes/${oldFavourite}/likes`).set(liker.auth).expect(200);
  clock.set(THURSDAY_EVENING_UTC);
  for (const liker of likers)
    await request(ctx.server).post(`/v1/notes/${newFavourite}/likes`).set(liker.auth).expect(200);
  const order = idsOf(await wholeFeed(losAngeles, '', 20));
  expect(order.indexOf(newFavourite)).toBeLessThan(order.indexOf(oldFavourite));
  expect(order[0]).toBe(newFavourite);
});

test("a popular author's likes count for less: an unknown's note is not buried", async () => {
  const [popular, unknown, ...likers] = await Promise.all([0, 1, 2, 3].map(() => signUp(ctx.app)));
  clock.set(THURSDAY_EVENING_UTC.minus({ hours: 1 }));
  try {
    const hit = await post(popular!, 'Hit');
    const modest = await post(unknown!, 'Modest');
    clock.advance({ minutes: 1 });
    const follow = await post(popular!, 'Follow-up');
    for (const liker of likers)
      await request(ctx.server).post(`/v1/notes/${hit.id}/likes`).set(liker.auth).expect(200);
    for (const id of [modest.id, follow.id])
      await request(ctx.server).post(`/v1/notes/${id}/likes`).set(likers[0]!.auth).expect(200);
    clock.set(THURSDAY_EVENING_UTC);
    const order = idsOf(await wholeFeed(losAngeles, '', 20));
    // Same likes, and the follow-up is newer: only the discount puts the modest note first.
    expect(order.indexOf(modest.id)).toBeLessThan(order.indexOf(follow.id));
  } finally {
    clock.set(THURSDAY_EVENING_UTC);
  }
});

test('a cursor from another feed or made by hand is refused', async () => {
  const res = await request(ctx.server).get('/v1/feed?cursor=bm9wZQ');
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('cursor_invalid');
  expect((await request(ctx.server).get('/v1/feed?timezone=Mars/Olympus')).status).toBe(400);
});
