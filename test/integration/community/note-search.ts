import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signUp, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

/** `GET /v1/notes?q=`: title and body, any language, only what the viewer may see. */
const ctx = useTestApp({ env: { MODERATION_COUNTRIES: 'CN' }, listen: true });
let author: TestUser;
let heldAuthor: TestUser;
let stranger: TestUser;

beforeAll(async () => {
  [author, heldAuthor, stranger] = await Promise.all([
    signUp(ctx.app),
    signUp(ctx.app, { country: 'CN', timezone: 'Asia/Shanghai' }),
    signUp(ctx.app),
  ]);
});

async function post(user: TestUser, title: string, body: string) {
  const res = await request(ctx.server)
    .post('/v1/notes')
    .set(user.auth)
    .send({ clientId: randomUUID(), title, body, languages: ['en'] });
  expect(res.status).toBe(201);
  return res.body as { id: string; status: string; version: number; clientId: string };
}

async function search(q: string, viewer?: TestUser, extra = '') {
  const req = request(ctx.server).get(`/v1/notes?q=${encodeURIComponent(q)}${extra}`);
  const res = await (viewer ? req.set(viewer.auth) : req);
  expect(res.status).toBe(200);
  return res.body as { data: Array<{ id: string; media: unknown[] }>; nextCursor: string | null };
}

const ids = (page: { data: Array<{ id: string }> }) => page.data.map((n) => n.id).sort();

test('finds notes by words and CJK text of title or body, newest first, in pages', async () => {
  const tokyo = await post(author, '東京の夏祭り', '浴衣で花火を見ました。');
  const seoul = await post(author, '서울 여행', '한강에서 치킨을 먹었어요');
  const cafe = await post(author, 'A café in Lisbon', 'Pastéis de nata, still warm.');
  const other = await post(author, 'Winter in Sapporo', 'Snow festival sculptures.');

  expect(ids(await search('夏祭り'))).toEqual([tokyo.id]);
  expect(ids(await search('花火'))).toEqual([tokyo.id]);
  expect(ids(await search('한강'))).toEqual([seoul.id]);
  expect(ids(await search('CAFE lisb'))).toEqual([cafe.id]);
  expect(ids(await search('pasteis'))).toEqual([cafe.id]);
  expect((await search('花火 sapporo')).data).toEqual([]);
  expect(ids(await search('in'))).toEqual([cafe.id, other.id].sort());

  const first = await search('in', undefined, '&limit=1');
  expect(first.data.map((n) => n.id)).toEqual([other.id]);
  expect(first.data[0]!.media).toEqual([]);
  const second = await search('in', undefined, `&limit=1&cursor=${first.nextCursor}`);
  expect(second.data.map((n) => n.id)).toEqual([cafe.id]);
  expect(second.nextCursor).toBeNull();
});

test('a q of punctuation only matches nothing; no q lists every note', async () => {
  await post(author, 'Punctuation test', 'Some words here.');
  expect(await search('!!! ...')).toEqual({ data: [], nextCursor: null });
  const all = await request(ctx.server).get('/v1/notes?q=');
  expect(all.body.data.length).toBeGreaterThan(0);
});

test('an edit (through sync) reindexes the note', async () => {
  const note = await post(author, 'Original words', 'Matcha latte in Kyoto');
  expect(ids(await search('matcha'))).toEqual([note.id]);
  const res = await request(ctx.server)
    .post('/v1/notes/sync')
    .set(author.auth)
    .send({
      notes: [
        {
          clientId: note.clientId,
          baseVersion: note.version,
          title: 'Rewritten',
          body: '抹茶ラテ in Uji',
          languages: ['en'],
        },
      ],
    });
  expect(res.status).toBe(200);
  expect((await search('matcha')).data).toEqual([]);
  expect(ids(await search('抹茶'))).toEqual([note.id]);
});

test('notes under review are found by their author only', async () => {
  const held = await post(heldAuthor, 'Dumplings at dawn', 'Xiaolongbao breakfast');
  expect(held.status).toBe('pending_review');
  expect((await search('xiaolongbao')).data).toEqual([]);
  expect((await search('xiaolongbao', stranger)).data).toEqual([]);
  expect(ids(await search('xiaolongbao', heldAuthor))).toEqual([held.id]);
});
