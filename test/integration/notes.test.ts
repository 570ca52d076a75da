import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { selectOne, selectRows } from '../../src/db/sql';
import { signUp, type TestUser } from '../support/fixtures';
import { startTestContext, type TestContext } from '../support/harness';

interface Note {
  id: string;
  clientId: string;
  authorId: string;
  title: string;
  body: string;
  languages: string[];
  cultureTags: string[];
  images: string[];
  writtenAt: string | null;
  status: 'published' | 'pending_review' | 'rejected' | 'deleted';
  version: number;
  likeCount: number;
  crossCultural: boolean;
  rejectReason: string | null;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The cultural buffer holds back authors in CN or RU, and two tags (configured in odd forms). */
let ctx: TestContext;
let server: Server;
let moderator: TestUser;
let admin: TestUser;

beforeAll(async () => {
  ctx = await startTestContext({
    env: { MODERATION_COUNTRIES: 'CN,ru', MODERATION_TAGS: 'Politics, ＲＥＬＩＧＩＯＮ' },
  });
  server = ctx.app.listen(0);
  [moderator, admin] = await Promise.all([signUp(ctx.app), signUp(ctx.app)]);
  await ctx.services.accounts.grantRole(moderator.email, 'moderator');
  await ctx.services.accounts.grantRole(admin.email, 'admin');
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await ctx.close();
});

const draft = (fields: Record<string, unknown> = {}) => ({
  clientId: randomUUID(),
  title: 'Bon Odori in Koenji',
  body: 'Lanterns, taiko and a whole street dancing until late.',
  languages: ['ja'],
  ...fields,
});

const postNote = (user: TestUser, body: unknown) =>
  request(server)
    .post('/v1/notes')
    .set(user.auth)
    .send(body as object);

const syncNotes = (user: TestUser, notes: unknown[]) =>
  request(server).post('/v1/notes/sync').set(user.auth).send({ notes });

async function publish(user: TestUser, fields: Record<string, unknown> = {}): Promise<Note> {
  const res = await postNote(user, draft(fields));
  expect(res.status).toBe(201);
  return res.body as Note;
}

const viewNote = (id: string, viewer?: TestUser) => {
  const req = request(server).get(`/v1/notes/${id}`);
  return viewer ? req.set(viewer.auth) : req;
};

const like = (user: TestUser, id: string) =>
  request(server).post(`/v1/notes/${id}/likes`).set(user.auth);
const unlike = (user: TestUser, id: string) =>
  request(server).delete(`/v1/notes/${id}/likes`).set(user.auth);
const deleteNote = (user: TestUser, id: string) =>
  request(server).delete(`/v1/notes/${id}`).set(user.auth);
const approve = (user: TestUser, id: string) =>
  request(server).post(`/v1/moderation/notes/${id}/approve`).set(user.auth);
const reject = (user: TestUser, id: string, reason = 'Off topic') =>
  request(server).post(`/v1/moderation/notes/${id}/reject`).set(user.auth).send({ reason });

async function countRows(on: TestContext, sql: string, params: unknown[]): Promise<number> {
  const row = await selectOne<{ n: number }>(on.sequelize, sql, params);
  return Number(row!.n);
}

const notesOf = (authorId: string, on: TestContext = ctx) =>
  countRows(on, 'SELECT COUNT(*) AS n FROM notes WHERE author_id = ?', [authorId]);
const entriesOf = (memberId: string, on: TestContext = ctx) =>
  countRows(on, 'SELECT COUNT(*) AS n FROM point_entries WHERE member_id = ?', [memberId]);

async function pointsOf(user: TestUser) {
  const res = await request(server).get('/v1/me/points').set(user.auth);
  expect(res.status).toBe(200);
  return res.body as { balance: number; entries: { data: { amount: number; reason: string }[] } };
}

function expectInvalid(res: request.Response, param: string): void {
  expect(res.status).toBe(400);
  expect(res.body).toEqual({
    error: {
      type: 'invalid_request',
      code: expect.any(String),
      message: expect.any(String),
      param,
      details: expect.any(Array),
    },
  });
  // Every failing field is listed, the first being `param`.
  expect(res.body.error.details[0]).toEqual({
    param,
    code: expect.any(String),
    message: expect.any(String),
  });
}

/** `MATSURI` -> `ＭＡＴＳＵＲＩ`: the full-width forms of printable ASCII. */
const fullWidth = (text: string) =>
  text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

const suffix = () => randomBytes(3).toString('hex');

describe('posting a note', () => {
  test('a new clientId answers 201 with the note, published at version 1, its input normalised', async () => {
    const author = await signUp(ctx.app);
    const clientId = randomUUID();
    const res = await postNote(
      author,
      draft({
        clientId,
        title: '  Bon Odori  ',
        languages: ['ja', 'pt-br', 'JA'],
        cultureTags: [' Matsuri ', 'ＭＡＴＳＵＲＩ', 'Bon   Odori'],
        images: ['https://img.example.com/odori.jpg'],
        writtenAt: '2024-08-15T19:30:00+09:00',
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^nte_[0-9a-z]{26}$/),
      clientId,
      authorId: author.id,
      authorName: 'Test',
      title: 'Bon Odori',
      body: 'Lanterns, taiko and a whole street dancing until late.',
      languages: ['ja', 'pt-BR'],
      cultureTags: ['matsuri', 'bon odori'],
      images: ['https://img.example.com/odori.jpg'],
      media: [],
      listingIds: [],
      writtenAt: '2024-08-15T10:30:00.000Z',
      status: 'published',
      version: 1,
      likeCount: 0,
      crossCultural: true,
      rejectReason: null,
      publishedAt: expect.stringMatching(/Z$/),
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.stringMatching(/Z$/),
    });
    const view = await viewNote(res.body.id);
    expect(view.status).toBe(200);
    expect(view.body).toEqual(res.body);
  });

  test('a note in one language and no tags is not cross-cultural; writtenAt is optional', async () => {
    const author = await signUp(ctx.app);
    const note = await publish(author);
    expect(note).toMatchObject({
      crossCultural: false,
      cultureTags: [],
      images: [],
      writtenAt: null,
    });
  });

  test('the same clientId again answers 200 with the first note and writes no second row', async () => {
    const author = await signUp(ctx.app);
    const first = await publish(author, { title: 'First title' });
    const again = await postNote(author, {
      ...draft({ title: 'Second title', languages: ['en', 'fr'] }),
      clientId: first.clientId,
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first);
    expect(await notesOf(author.id)).toBe(1);
    expect(await entriesOf(author.id)).toBe(1);
  });

  test('the same clientId in upper case is the same clientId', async () => {
    const author = await signUp(ctx.app);
    const first = await publish(author);
    const again = await postNote(author, draft({ clientId: first.clientId.toUpperCase() }));
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.id);
    expect(await notesOf(author.id)).toBe(1);
  });

  test('5 concurrent posts of one clientId make one note: one 201, four 200 with its id', async () => {
    const author = await signUp(ctx.app);
    const body = draft();
    const answers = await Promise.all(Array.from({ length: 5 }, () => postNote(author, body)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await notesOf(author.id)).toBe(1);
    expect(await entriesOf(author.id)).toBe(1);
  });

  test('the same clientId from another author is another note', async () => {
    const [alice, bob] = await Promise.all([signUp(ctx.app), signUp(ctx.app)]);
    const clientId = randomUUID();
    const a = await postNote(alice, draft({ clientId }));
    const b = await postNote(bob, draft({ clientId }));
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
    expect(b.body.authorId).toBe(bob.id);
  });

  test.each([
    ['㍿ widens to 株式会社', '㍿'.repeat(50), '株式会社'.repeat(50)],
    ['ﬃ widens to ffi', 'ﬃ'.repeat(50), 'ffi'.repeat(50)],
  ])(
    'a 50-character tag that NFKC widens (%s) is refused with 400 or kept whole, never a 500',
    async (_name, tag, normalised) => {
      const author = await signUp(ctx.app);
      const res = await postNote(author, draft({ cultureTags: [tag] }));
      expect(res.status).toBeLessThan(500);
      if (res.status === 400) {
        expectInvalid(res, 'cultureTags.0');
        return;
      }
      expect(res.status).toBe(201);
      expect(res.body.cultureTags).toEqual([normalised]);
      const found = await request(server).get('/v1/notes').query({ tag, authorId: author.id });
      expect((found.body.data as Note[]).map((n) => n.id)).toEqual([res.body.id]);
    },
  );

  test('anonymous posting is 401', async () => {
    const res = await request(server).post('/v1/notes').send(draft());
    expect(res.status).toBe(401);
    expect(res.body.error.type).toBe('authentication');
  });
});

describe('note validation answers 400 invalid_request naming the field', () => {
  const tooMany = (n: number, make: (i: number) => unknown) =>
    Array.from({ length: n }, (_, i) => make(i));
  test.each<[string, Record<string, unknown>, string]>([
    ['clientId not a UUID', { clientId: 'not-a-uuid' }, 'clientId'],
    ['clientId missing', { clientId: undefined }, 'clientId'],
    ['title empty', { title: '' }, 'title'],
    ['title only spaces', { title: '   ' }, 'title'],
    ['title over 200', { title: 'x'.repeat(201) }, 'title'],
    ['body empty', { body: '' }, 'body'],
    ['body over 20000', { body: 'x'.repeat(20_001) }, 'body'],
    ['languages empty', { languages: [] }, 'languages'],
    ['languages missing', { languages: undefined }, 'languages'],
    ['more than 10 languages', { languages: tooMany(11, (i) => `x-lang${i}`) }, 'languages'],
    ['a language that is no BCP 47 tag', { languages: ['not a tag!'] }, 'languages.0'],
    ['the second language malformed', { languages: ['ja', 'en_US!'] }, 'languages.1'],
    ['more than 20 tags', { cultureTags: tooMany(21, (i) => `tag${i}`) }, 'cultureTags'],
    ['a tag over 50', { cultureTags: ['x'.repeat(51)] }, 'cultureTags.0'],
    ['a blank tag', { cultureTags: ['tea', '   '] }, 'cultureTags.1'],
    ['an image that is not http(s)', { images: ['ftp://img.example.com/a.jpg'] }, 'images.0'],
    [
      'more than 10 images',
      { images: tooMany(11, (i) => `https://img.example.com/${i}.jpg`) },
      'images',
    ],
    ['writtenAt without an offset', { writtenAt: '2024-08-15T19:30:00' }, 'writtenAt'],
    ['writtenAt not a date', { writtenAt: 'yesterday' }, 'writtenAt'],
    ['an unknown field', { mood: 'happy' }, 'mood'],
    ['a server field', { authorId: 'usr_someone' }, 'authorId'],
    ['baseVersion is for sync only', { baseVersion: 1 }, 'baseVersion'],
  ])('%s', async (_name, fields, param) => {
    const author = await signUp(ctx.app);
    const res = await postNote(author, draft(fields));
    expectInvalid(res, param);
    expect(await notesOf(author.id)).toBe(0);
  });

  test('malformed JSON is 400 invalid_request', async () => {
    const author = await signUp(ctx.app);
    const res = await request(server)
      .post('/v1/notes')
      .set(author.auth)
      .set('Content-Type', 'application/json')
      .send('{"clientId": ');
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('invalid_request');
  });
});

describe('sync validation rejects the whole body and writes nothing', () => {
  test.each<[string, (ids: string[]) => unknown[], string]>([
    ['no notes', () => [], 'notes'],
    ['notes not a list', () => 'three notes' as unknown as unknown[], 'notes'],
    ['101 notes', () => Array.from({ length: 101 }, () => draft()), 'notes'],
    [
      'a clientId twice',
      (ids) => [
        draft({ clientId: ids[0] }),
        draft({ clientId: ids[1] }),
        draft({ clientId: ids[0] }),
      ],
      'notes.2.clientId',
    ],
    [
      'a clientId twice, once in upper case',
      (ids) => [draft({ clientId: ids[0] }), draft({ clientId: ids[0]!.toUpperCase() })],
      'notes.1.clientId',
    ],
    ['baseVersion 0', () => [draft({ baseVersion: 0 })], 'notes.0.baseVersion'],
    ['baseVersion not an integer', () => [draft({ baseVersion: 1.5 })], 'notes.0.baseVersion'],
    ['an unknown field in a note', () => [draft(), draft({ colour: 'red' })], 'notes.1.colour'],
    [
      'a bad note after good ones',
      () => [draft(), draft(), draft(), draft({ clientId: 'x' })],
      'notes.3.clientId',
    ],
    [
      'a bad language in a note',
      () => [draft(), draft({ languages: ['??'] })],
      'notes.1.languages.0',
    ],
  ])('%s', async (_name, build, param) => {
    const author = await signUp(ctx.app);
    const res = await syncNotes(author, build([randomUUID(), randomUUID()]));
    expectInvalid(res, param);
    expect(await notesOf(author.id)).toBe(0);
  });

  test('exactly 100 notes are accepted', async () => {
    const author = await signUp(ctx.app);
    const res = await syncNotes(
      author,
      Array.from({ length: 100 }, () => draft()),
    );
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(100);
    expect(await notesOf(author.id)).toBe(100);
    const firstPage = await request(server).get('/v1/notes').query({ authorId: author.id });
    expect(firstPage.body.data).toHaveLength(20);
    expect(firstPage.body.nextCursor).toEqual(expect.any(String));
  });

  test('an unknown top-level field is 400 naming it', async () => {
    const author = await signUp(ctx.app);
    const res = await request(server)
      .post('/v1/notes/sync')
      .set(author.auth)
      .send({ notes: [draft()], device: 'phone' });
    expectInvalid(res, 'device');
  });
});

describe('offline sync', () => {
  test('new notes are all created and answered in input order', async () => {
    const author = await signUp(ctx.app);
    const drafts = [draft({ title: 'One' }), draft({ title: 'Two' }), draft({ title: 'Three' })];
    const res = await syncNotes(author, drafts);
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(3);
    res.body.results.forEach((result: Record<string, unknown>, i: number) => {
      expect(result).toEqual({
        clientId: drafts[i]!.clientId,
        id: expect.stringMatching(/^nte_/),
        status: 'published',
        version: 1,
      });
    });
    for (const [i, result] of (res.body.results as { id: string }[]).entries()) {
      const view = await viewNote(result.id);
      expect(view.body).toMatchObject({ title: drafts[i]!.title, authorId: author.id });
    }
    expect(await notesOf(author.id)).toBe(3);
    expect(await entriesOf(author.id)).toBe(3);
  });

  test('replaying the same sync body changes nothing: same results, versions, rows and ledger', async () => {
    const author = await signUp(ctx.app);
    const a = await publish(author, { title: 'A v1' });
    const b = await publish(author, { title: 'B' });
    const body = [
      draft({ clientId: a.clientId, title: 'A v2', baseVersion: 1 }),
      draft({ clientId: b.clientId, title: 'B offline copy' }),
      draft({ title: 'C' }),
      draft({ title: 'D', languages: ['ja', 'en'] }),
    ];
    const first = await syncNotes(author, body);
    expect(first.status).toBe(200);
    expect(first.body.results.map((r: { version: number }) => r.version)).toEqual([2, 1, 1, 1]);
    const rows = await notesOf(author.id);
    const entries = await entriesOf(author.id);
    const balance = (await pointsOf(author)).balance;
    const aAfterFirst = (await viewNote(a.id)).body as Note;

    const replay = await syncNotes(author, body);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(await notesOf(author.id)).toBe(rows);
    expect(await entriesOf(author.id)).toBe(entries);
    expect((await pointsOf(author)).balance).toBe(balance);
    expect((await viewNote(a.id)).body).toEqual(aAfterFirst);
    expect(aAfterFirst).toMatchObject({ title: 'A v2', version: 2 });
    expect((await viewNote(b.id)).body).toMatchObject({ title: 'B', version: 1 });
  });

  test('two identical syncs at once still make each note once', async () => {
    const author = await signUp(ctx.app);
    const body = [draft(), draft(), draft()];
    const [one, two] = await Promise.all([syncNotes(author, body), syncNotes(author, body)]);
    expect(one.status).toBe(200);
    expect(two.status).toBe(200);
    expect(two.body).toEqual(one.body);
    expect(await notesOf(author.id)).toBe(3);
    expect(await entriesOf(author.id)).toBe(3);
  });

  test('an edit made on the current version applies and bumps the version', async () => {
    const author = await signUp(ctx.app);
    const note = await publish(author, { title: 'Before' });
    const res = await syncNotes(author, [
      draft({
        clientId: note.clientId,
        baseVersion: 1,
        title: 'After',
        body: 'Rewritten on the train',
        cultureTags: ['Tea'],
      }),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { clientId: note.clientId, id: note.id, status: 'published', version: 2 },
    ]);
    const view = (await viewNote(note.id)).body as Note;
    expect(view).toMatchObject({
      title: 'After',
      body: 'Rewritten on the train',
      cultureTags: ['tea'],
      version: 2,
      crossCultural: true,
      createdAt: note.createdAt,
    });

    const second = await syncNotes(author, [
      draft({ clientId: note.clientId, baseVersion: 2, title: 'After again' }),
    ]);
    expect(second.body.results[0]).toMatchObject({ version: 3 });
    expect(((await viewNote(note.id)).body as Note).title).toBe('After again');
  });

  test('a stale baseVersion is a conflict for that note only; the rest of the batch applies', async () => {
    const author = await signUp(ctx.app);
    const a = await publish(author, { title: 'A' });
    const b = await publish(author, { title: 'B' });
    const onOtherDevice = await syncNotes(author, [
      draft({ clientId: a.clientId, baseVersion: 1, title: 'A from the laptop' }),
    ]);
    expect(onOtherDevice.body.results[0].version).toBe(2);

    const c = draft({ title: 'C' });
    const res = await syncNotes(author, [
      draft({ clientId: a.clientId, baseVersion: 1, title: 'A from the phone' }),
      draft({ clientId: b.clientId, baseVersion: 1, title: 'B from the phone' }),
      c,
    ]);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      {
        clientId: a.clientId,
        id: a.id,
        status: 'published',
        version: 2,
        conflict: { code: 'stale_version', message: expect.any(String), currentVersion: 2 },
      },
      { clientId: b.clientId, id: b.id, status: 'published', version: 2 },
      { clientId: c.clientId, id: expect.stringMatching(/^nte_/), status: 'published', version: 1 },
    ]);
    expect((await viewNote(a.id)).body).toMatchObject({ title: 'A from the laptop', version: 2 });
    expect((await viewNote(b.id)).body).toMatchObject({ title: 'B from the phone', version: 2 });
  });

  test('a baseVersion ahead of the note is stale too', async () => {
    const author = await signUp(ctx.app);
    const note = await publish(author, { title: 'Now' });
    const res = await syncNotes(author, [
      draft({ clientId: note.clientId, baseVersion: 7, title: 'Made up' }),
    ]);
    expect(res.body.results[0]).toMatchObject({
      id: note.id,
      version: 1,
      conflict: { code: 'stale_version', currentVersion: 1 },
    });
    expect(((await viewNote(note.id)).body as Note).title).toBe('Now');
  });

  test('a known clientId without baseVersion is a replay: different content is ignored', async () => {
    const author = await signUp(ctx.app);
    const note = await publish(author, { title: 'Original' });
    const res = await syncNotes(author, [draft({ clientId: note.clientId, title: 'Other' })]);
    expect(res.body.results).toEqual([
      { clientId: note.clientId, id: note.id, status: 'published', version: 1 },
    ]);
    expect(((await viewNote(note.id)).body as Note).title).toBe('Original');
  });

  test('a baseVersion for an unknown clientId is unknown_note with id null, and creates nothing', async () => {
    const author = await signUp(ctx.app);
    const asNew = draft();
    const ghost = { ...asNew, baseVersion: 1 };
    const fresh = draft();
    const res = await syncNotes(author, [ghost, fresh]);
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toEqual({
      clientId: ghost.clientId,
      id: null,
      status: null,
      version: null,
      conflict: { code: 'unknown_note', message: expect.any(String), currentVersion: null },
    });
    expect(res.body.results[1]).toMatchObject({ clientId: fresh.clientId, status: 'published' });
    expect(await notesOf(author.id)).toBe(1);
    expect((await postNote(author, asNew)).status).toBe(201);
  });

  test('editing a deleted note is note_closed and leaves it deleted', async () => {
    const author = await signUp(ctx.app);
    const note = await publish(author, { title: 'Gone' });
    expect((await deleteNote(author, note.id)).status).toBe(200);
    const res = await syncNotes(author, [
      draft({ clientId: note.clientId, baseVersion: 1, title: 'Back?' }),
    ]);
    expect(res.body.results).toEqual([
      {
        clientId: note.clientId,
        id: note.id,
        status: 'deleted',
        version: 1,
        conflict: { code: 'note_closed', message: expect.any(String), currentVersion: 1 },
      },
    ]);
    expect((await viewNote(note.id, author)).status).toBe(404);
  });

  test('editing a rejected note is note_closed and leaves it rejected', async () => {
    const author = await signUp(ctx.app);
    const note = await publish(author, { title: 'Spam' });
    const rejected = await reject(moderator, note.id, 'Spam');
    expect(rejected.status).toBe(200);
    const res = await syncNotes(author, [
      draft({ clientId: note.clientId, baseVersion: 1, title: 'Not spam, honest' }),
    ]);
    expect(res.body.results[0]).toMatchObject({
      id: note.id,
      status: 'rejected',
      version: 1,
      conflict: { code: 'note_closed', currentVersion: 1 },
    });
    expect((await viewNote(note.id, author)).body).toMatchObject({
      title: 'Spam',
      status: 'rejected',
    });
  });

  test('clientIds belong to their author: the same one synced by another member is a new note', async () => {
    const [alice, bob] = await Promise.all([signUp(ctx.app), signUp(ctx.app)]);
    const note = await publish(alice);
    const res = await syncNotes(bob, [draft({ clientId: note.clientId })]);
    expect(res.body.results[0].id).not.toBe(note.id);
    const edit = await syncNotes(bob, [
      draft({ clientId: randomUUID(), baseVersion: 1 }),
      draft({ clientId: note.clientId, baseVersion: 1, title: 'Bob edits' }),
    ]);
    expect(edit.body.results[0].conflict.code).toBe('unknown_note');
    expect(edit.body.results[1].id).toBe(res.body.results[0].id);
    expect(((await viewNote(note.id)).body as Note).title).toBe(note.title);
  });
});

describe('who sees a note', () => {
  type Viewer = 'author' | 'other' | 'moderator' | 'admin' | 'anonymous';
  const viewers: Viewer[] = ['author', 'other', 'moderator', 'admin', 'anonymous'];

  async function noteIn(status: Note['status']) {
    const author = await signUp(ctx.app, { country: 'CN' });
    const res = await postNote(author, draft());
    expect(res.body.status).toBe('pending_review');
    const note = res.body as Note;
    if (status === 'published') expect((await approve(moderator, note.id)).status).toBe(200);
    if (status === 'rejected') expect((await reject(moderator, note.id)).status).toBe(200);
    if (status === 'deleted') expect((await deleteNote(author, note.id)).status).toBe(200);
    return { author, note };
  }

  test.each<[Note['status'], Record<Viewer, number>]>([
    ['published', { author: 200, other: 200, moderator: 200, admin: 200, anonymous: 200 }],
    ['pending_review', { author: 200, other: 404, moderator: 200, admin: 200, anonymous: 404 }],
    ['rejected', { author: 200, other: 404, moderator: 200, admin: 200, anonymous: 404 }],
    ['deleted', { author: 404, other: 404, moderator: 404, admin: 404, anonymous: 404 }],
  ])('a %s note', async (status, expected) => {
    const { author, note } = await noteIn(status);
    const other = await signUp(ctx.app);
    const as: Record<Viewer, TestUser | undefined> = {
      author,
      other,
      moderator: moderator,
      admin: admin,
      anonymous: undefined,
    };
    const seen: Record<string, number> = {};
    for (const viewer of viewers) seen[viewer] = (await viewNote(note.id, as[viewer])).status;
    expect(seen).toEqual(expected);
    const hidden = await viewNote(note.id, other);
    if (hidden.status === 404) expect(hidden.body.error.type).toBe('not_found');
    else expect(hidden.body.status).toBe(status);
  });

  test.each([
    ['not an id at all', 'abc'],
    ['another kind of id', 'usr_01hzzzzzzzzzzzzzzzzzzzzzzz'],
    ['a well-formed id of no note', 'nte_00000000000000000000000000'],
  ])('%s is 404', async (_name, id) => {
    const res = await viewNote(id);
    expect(res.status).toBe(404);
    expect(res.body.error.type).toBe('not_found');
  });
});

describe('listing notes', () => {
  test('by author: published only, newest first', async () => {
    const [author, someoneElse] = await Promise.all([signUp(ctx.app), signUp(ctx.app)]);
    const published: Note[] = [];
    for (let i = 0; i < 3; i += 1) published.push(await publish(author, { title: `N${i}` }));
    const gone = await publish(author);
    await deleteNote(author, gone.id);
    const rejected = await publish(author);
    await reject(moderator, rejected.id, 'No');
    await publish(someoneElse);

    const res = await request(server).get('/v1/notes').query({ authorId: author.id });
    expect(res.status).toBe(200);
    const ids = (res.body.data as Note[]).map((n) => n.id);
    expect(ids).toEqual(
      published
        .map((n) => n.id)
        .sort()
        .reverse(),
    );
    expect(res.body.nextCursor).toBeNull();
    const created = (res.body.data as Note[]).map((n) => Date.parse(n.createdAt));
    expect(created).toEqual([...created].sort((x, y) => y - x));
  });

  test('pending notes are not listed, even by their author', async () => {
    const author = await signUp(ctx.app, { country: 'RU' });
    await postNote(author, draft());
    const res = await request(server)
      .get('/v1/notes')
      .set(author.auth)
      .query({ authorId: author.id });
    expect(res.body.data).toEqual([]);
  });

  test('by tag, whatever its case or width: Matsuri and ＭＡＴＳＵＲＩ find the same notes', async () => {
    const author = await signUp(ctx.app);
    const tag = `Matsuri${suffix()}`;
    const plain = await publish(author, { cultureTags: [tag] });
    const wide = await publish(author, { cultureTags: [fullWidth(tag.toUpperCase())] });
    const spaced = await publish(author, { cultureTags: [` ${tag.toLowerCase()} `, 'tea'] });
    await publish(author, { cultureTags: [`${tag}x`] });
    const deleted = await publish(author, { cultureTags: [tag] });
    await deleteNote(author, deleted.id);
    expect(wide.cultureTags).toEqual([tag.toLowerCase()]);

    const expected = [plain.id, wide.id, spaced.id].sort().reverse();
    for (const query of [tag, fullWidth(tag.toUpperCase()), tag.toLowerCase(), `  ${tag}  `]) {
      const res = await request(server).get('/v1/notes').query({ tag: query });
      expect(res.status).toBe(200);
      expect((res.body.data as Note[]).map((n) => n.id)).toEqual(expected);
    }
  });

  test('an edit moves a note from its old tags to its new ones', async () => {
    const author = await signUp(ctx.app);
    const before = `sakura${suffix()}`;
    const after = `momiji${suffix()}`;
    const note = await publish(author, { cultureTags: [before] });
    const edit = await syncNotes(author, [
      draft({ clientId: note.clientId, baseVersion: 1, cultureTags: [after.toUpperCase()] }),
    ]);
    expect(edit.body.results[0].version).toBe(2);
    const byOld = await request(server).get('/v1/notes').query({ tag: before });
    const byNew = await request(server).get('/v1/notes').query({ tag: after });
    expect(byOld.body.data).toEqual([]);
    expect((byNew.body.data as Note[]).map((n) => n.id)).toEqual([note.id]);
  });

  test('by tag and author together', async () => {
    const [alice, bob] = await Promise.all([signUp(ctx.app), signUp(ctx.app)]);
    const tag = `onsen${suffix()}`;
    const mine = await publish(alice, { cultureTags: [tag] });
    await publish(bob, { cultureTags: [tag] });
    const res = await request(server).get('/v1/notes').query({ tag, authorId: alice.id });
    expect((res.body.data as Note[]).map((n) => n.id)).toEqual([mine.id]);
  });

  test('pages of 2 with a cursor walk every note once, newest first', async () => {
    const author = await signUp(ctx.app);
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1) created.push((await publish(author)).id);
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const res = await request(server)
        .get('/v1/notes')
        .query({ authorId: author.id, limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      sizes.push(res.body.data.length);
      seen.push(...(res.body.data as Note[]).map((n) => n.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(created.sort().reverse());
  });

  test.each([
    ['limit 0', { limit: 0 }, 'limit'],
    ['limit 101', { limit: 101 }, 'limit'],
    ['a cursor the API never gave', { cursor: 'bm9wZQ' }, 'cursor'],
  ])('%s is 400', async (_name, query, param) => {
    const res = await request(server).get('/v1/notes').query(query);
    expectInvalid(res, param);
  });
});

describe('likes', () => {
  test('an author cannot like their own note: 403 own_note', async () => {
    const author = await signUp(ctx.app);
    const note = await publish(author);
    const res = await like(author, note.id);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ type: 'permission', code: 'own_note' });
    expect(((await viewNote(note.id)).body as Note).likeCount).toBe(0);
  });

  test('an author liking their own note under review is 403 own_note too', async () => {
    const author = await signUp(ctx.app, { country: 'CN' });
    const note = (await postNote(author, draft())).body as Note;
    expect(note.status).toBe('pending_review');
    const res = await like(author, note.id);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('own_note');
  });

  test('liking twice is one like; unliking removes it; unliking again changes nothing', async () => {
    const author = await signUp(ctx.app);
    const [fan, other] = await Promise.all([signUp(ctx.app), signUp(ctx.app)]);
    const note = await publish(author);

    const first = await like(fan, note.id);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ noteId: note.id, liked: true, likeCount: 1 });
    const again = await like(fan, note.id);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ noteId: note.id, liked: true, likeCount: 1 });
    expect((await like(other, note.id)).body).toEqual({
      noteId: note.id,
      liked: true,
      likeCount: 2,
    });
    expect(((await viewNote(note.id)).body as Note).likeCount).toBe(2);

    const removed = await unlike(fan, note.id);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ noteId: note.id, liked: false, likeCount: 1 });
    const removedAgain = await unlike(fan, note.id);
    expect(removedAgain.status).toBe(200);
    expect(removedAgain.body).toEqual({ noteId: note.id, liked: false, likeCount: 1 });
    expect(((await viewNote(note.id)).body as Note).likeCount).toBe(1);
  });

  test('a member who never liked can unlike: 200, nothing changes', async () => {
    const author = await signUp(ctx.app);
    const stranger = await signUp(ctx.app);
    const note = await publish(author);
    const res = await unlike(stranger, note.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ noteId: note.id, liked: false, likeCount: 0 });
  });

  test('8 concurrent likes by one member count once', async () => {
    const author = await signUp(ctx.app);
    const fan = await signUp(ctx.app);
    const note = await publish(author);
    const answers = await Promise.all(Array.from({ length: 8 }, () => like(fan, note.id)));
    expect(answers.every((a) => a.status === 200 && a.body.liked === true)).toBe(true);
    expect(((await viewNote(note.id)).body as Note).likeCount).toBe(1);
  });

  test('10 members liking at once make likeCount 10', async () => {
    const author = await signUp(ctx.app);
    const fans = await Promise.all(Array.from({ length: 10 }, () => signUp(ctx.app)));
    const note = await publish(author);
    const answers = await Promise.all(fans.map((fan) => like(fan, note.id)));
    expect(answers.map((a) => a.status)).toEqual(fans.map(() => 200));
    expect(((await viewNote(note.id)).body as Note).likeCount).toBe(10);
  });

  test('anonymous likes are 401', async () => {
    const author = await signUp(ctx.app);
    const note = await publish(author);
    expect((await request(server).post(`/v1/notes/${note.id}/likes`)).status).toBe(401);
    expect((await request(server).delete(`/v1/notes/${note.id}/likes`)).status).toBe(401);
  });

  test('notes that are not published cannot be liked by others: 404', async () => {
    const fan = await signUp(ctx.app);
    const author = await signUp(ctx.app, { country: 'CN' });
    const pending = (await postNote(author, draft())).body as Note;
    const rejected = (await postNote(author, draft())).body as Note;
    await reject(moderator, rejected.id);
    const deleted = (await postNote(author, draft())).body as Note;
    await deleteNote(author, deleted.id);
    for (const note of [pending, rejected, deleted]) {
      const res = await like(fan, note.id);
      expect(res.status).toBe(404);
      expect(res.body.error.type).toBe('not_found');
    }
    expect((await like(fan, 'nte_00000000000000000000000000')).status).toBe(404);
  });
});

describe('the cultural buffer', () => {
  test('an author in a moderated country waits for review and earns nothing yet', async () => {
    const author = await signUp(ctx.app, { country: 'CN' });
    const res = await postNote(author, draft({ languages: ['zh', 'en'] }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending_review', publishedAt: null });
    const points = await pointsOf(author);
    expect(points.balance).toBe(0);
    expect(points.entries.data).toEqual([]);
  });

  test('the country list is read in any case (ru in the config)', async () => {
    const author = await signUp(ctx.app, { country: 'RU' });
    const note = (await postNote(author, draft())).body as Note;
    expect(note.status).toBe('pending_review');
  });

  test.each([
    ['the tag as configured', 'Politics'],
    ['the tag in lower case', 'politics'],
    ['the tag in full width', 'ＰＯＬＩＴＩＣＳ'],
    ['a tag configured in full width, written plainly', 'religion'],
  ])('a note carrying a moderated tag waits: %s', async (_name, tag) => {
    const author = await signUp(ctx.app, { country: 'JP' });
    const note = (await postNote(author, draft({ cultureTags: ['tea', tag] }))).body as Note;
    expect(note.status).toBe('pending_review');
  });

  test('others are published at once', async () => {
    const author = await signUp(ctx.app, { country: 'JP' });
    const note = (await postNote(author, draft({ cultureTags: ['tea'] }))).body as Note;
    expect(note.status).toBe('published');
  });

  test('moderators list notes by status', async () => {
    const author = await signUp(ctx.app, { country: 'CN' });
    const pending = (await postNote(author, draft())).body as Note;
    const toReject = (await postNote(author, draft())).body as Note;
    await reject(moderator, toReject.id);
    const list = (status?: string) =>
      request(server)
        .get('/v1/moderation/notes')
        .set(moderator.auth)
        .query({ limit: 100, ...(status ? { status } : {}) });
    const byDefault = await list();
    expect(byDefault.status).toBe(200);
    const pendingIds = (byDefault.body.data as Note[]).map((n) => n.id);
    expect(pendingIds).toContain(pending.id);
    expect(pendingIds).not.toContain(toReject.id);
    expect((byDefault.body.data as Note[]).every((n) => n.status === 'pending_review')).toBe(true);
    const rejected = await list('rejected');
    expect((rejected.body.data as Note[]).map((n) => n.id)).toContain(toReject.id);
    expect((rejected.body.data as Note[]).every((n) => n.status === 'rejected')).toBe(true);
    expectInvalid(await list('deleted'), 'status');
  });

  test('approving publishes the note, which then earns; a second approval is 409 note_not_pending', async () => {
    const author = await signUp(ctx.app, { country: 'CN' });
    const note = (await postNote(author, draft({ languages: ['zh', 'ja'] }))).body as Note;
    const res = await approve(moderator, note.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: note.id, status: 'published', rejectReason: null });
    expect(res.body.publishedAt).toEqual(expect.any(String));
    expect((await viewNote(note.id)).status).toBe(200);
    expect((await pointsOf(author)).balance).toBe(30);

    const again = await approve(moderator, note.id);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ type: 'conflict', code: 'note_not_pending' });
    expect((await pointsOf(author)).balance).toBe(30);
  });

  test('rejecting keeps the reason; rejecting again is 409 note_already_rejected; approving it 409 note_not_pending', async () => {
    const author = await signUp(ctx.app, { country: 'CN' });
    const note = (await postNote(author, draft())).body as Note;
    const res = await reject(moderator, note.id, '  Not about culture  ');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: note.id,
      status: 'rejected',
      rejectReason: 'Not about culture',
      publishedAt: null,
    });
    const again = await reject(moderator, note.id, 'Still no');
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ type: 'conflict', code: 'note_already_rejected' });
    const approval = await approve(moderator, note.id);
    expect(approval.status).toBe(409);
    expect(approval.body.error).toMatchObject({ type: 'conflict', code: 'note_not_pending' });
    expect((await viewNote(note.id, author)).body.rejectReason).toBe('Not about culture');
    expect((await pointsOf(author)).balance).toBe(0);
  });

  test('a published note can be rejected, and its points go back', async () => {
    const author = await signUp(ctx.app, { country: 'JP' });
    const note = (await postNote(author, draft())).body as Note;
    expect((await pointsOf(author)).balance).toBe(20);
    const res = await reject(moderator, note.id, 'Copied from elsewhere');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('rejected');
    expect((await pointsOf(author)).balance).toBe(0);
    expect((await viewNote(note.id)).status).toBe(404);
  });

  test.each([
    ['no reason', {}],
    ['an empty reason', { reason: '  ' }],
    ['a reason over 500', { reason: 'x'.repeat(501) }],
  ])('rejecting with %s is 400 naming reason', async (_name, body) => {
    const author = await signUp(ctx.app, { country: 'CN' });
    const note = (await postNote(author, draft())).body as Note;
    const res = await request(server)
      .post(`/v1/moderation/notes/${note.id}/reject`)
      .set(moderator.auth)
      .send(body);
    expectInvalid(res, 'reason');
    expect((await viewNote(note.id, author)).body.status).toBe('pending_review');
  });

  test('unknown and deleted notes are 404 to moderators', async () => {
    const author = await signUp(ctx.app, { country: 'CN' });
    const note = (await postNote(author, draft())).body as Note;
    await deleteNote(author, note.id);
    expect((await approve(moderator, note.id)).status).toBe(404);
    expect((await reject(moderator, note.id)).status).toBe(404);
    expect((await approve(moderator, 'nte_00000000000000000000000000')).status).toBe(404);
  });

  test('an edit that adds a moderated tag sends a published note back to review', async () => {
    const author = await signUp(ctx.app, { country: 'JP' });
    const note = (await postNote(author, draft({ cultureTags: ['tea'] }))).body as Note;
    expect(note.status).toBe('published');
    const res = await syncNotes(author, [
      draft({ clientId: note.clientId, baseVersion: 1, cultureTags: ['tea', 'POLITICS'] }),
    ]);
    expect(res.body.results[0]).toMatchObject({
      id: note.id,
      status: 'pending_review',
      version: 2,
    });
    const other = await signUp(ctx.app);
    expect((await viewNote(note.id, other)).status).toBe(404);
    expect((await viewNote(note.id, author)).body.status).toBe('pending_review');
  });

  test('an approved note of an author in a moderated country goes back to review when edited', async () => {
    const author = await signUp(ctx.app, { country: 'CN' });
    const note = (await postNote(author, draft())).body as Note;
    await approve(moderator, note.id);
    const res = await syncNotes(author, [
      draft({ clientId: note.clientId, baseVersion: 1, title: 'Edited' }),
    ]);
    expect(res.body.results[0]).toMatchObject({ status: 'pending_review', version: 2 });
  });

  test('moderation is for moderators and admins: member 403, anonymous 401', async () => {
    const member = await signUp(ctx.app);
    const author = await signUp(ctx.app, { country: 'CN' });
    const note = (await postNote(author, draft())).body as Note;

    const memberList = await request(server).get('/v1/moderation/notes').set(member.auth);
    expect(memberList.status).toBe(403);
    expect(memberList.body.error.type).toBe('permission');
    const anonList = await request(server).get('/v1/moderation/notes');
    expect(anonList.status).toBe(401);
    expect(anonList.body.error.type).toBe('authentication');
    expect((await approve(member, note.id)).status).toBe(403);
    expect((await reject(member, note.id)).status).toBe(403);
    expect((await approve(author, note.id)).status).toBe(403);
    expect((await request(server).post(`/v1/moderation/notes/${note.id}/approve`)).status).toBe(
      401,
    );
    expect((await viewNote(note.id, author)).body.status).toBe('pending_review');

    const adminList = await request(server).get('/v1/moderation/notes').set(admin.auth);
    expect(adminList.status).toBe(200);
    expect((await approve(admin, note.id)).status).toBe(200);
  });
});

describe('deleting a note', () => {
  test('the author deletes: 200 with status deleted, then it is gone for everyone', async () => {
    const author = await signUp(ctx.app);
    const note = await publish(author, { languages: ['ja', 'en'] });
    expect((await pointsOf(author)).balance).toBe(30);
    const res = await deleteNote(author, note.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: note.id, status: 'deleted' });
    expect((await viewNote(note.id, author)).status).toBe(404);
    expect((await viewNote(note.id, moderator)).status).toBe(404);
    const list = await request(server).get('/v1/notes').query({ authorId: author.id });
    expect(list.body.data).toEqual([]);
    expect((await pointsOf(author)).balance).toBe(0);
    expect((await deleteNote(author, note.id)).status).toBe(404);
  });

  test('another member, even a moderator, gets 403 not_author and the note stays', async () => {
    const author = await signUp(ctx.app);
    const other = await signUp(ctx.app);
    const note = await publish(author);
    for (const who of [other, moderator]) {
      const res = await deleteNote(who, note.id);
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ type: 'permission', code: 'not_author' });
    }
    expect((await request(server).delete(`/v1/notes/${note.id}`)).status).toBe(401);
    expect((await viewNote(note.id)).body.status).toBe('published');
  });

  test('the author may delete a note still under review', async () => {
    const author = await signUp(ctx.app, { country: 'CN' });
    const note = (await postNote(author, draft())).body as Note;
    const res = await deleteNote(author, note.id);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('deleted');
    const pending = await request(server)
      .get('/v1/moderation/notes')
      .set(moderator.auth)
      .query({ limit: 100 });
    expect((pending.body.data as Note[]).map((n) => n.id)).not.toContain(note.id);
  });

  test('rows are not duplicated by a delete: the note row stays, marked deleted', async () => {
    const author = await signUp(ctx.app);
    const note = await publish(author);
    await deleteNote(author, note.id);
    const rows = await selectRows<{ status: string }>(
      ctx.sequelize,
      'SELECT status FROM notes WHERE author_id = ?',
      [author.id],
    );
    expect(rows).toEqual([{ status: 'deleted' }]);
  });
});
