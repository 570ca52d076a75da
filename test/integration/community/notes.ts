import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { selectRows } from '../../../src/db/sql';
import { signUp, type TestUser } from '../../support/fixtures';
import {
  type Note,
  draft,
  expectInvalid,
  notesClient,
  staffOf,
  useNotesApp,
} from '../../support/notes';

/** Notes: posting one, the 400s a bad one gets, and deleting one. */
const ctx = useNotesApp();
const { postNote, syncNotes, publish, viewNote, deleteNote, notesOf, entriesOf, pointsOf } =
  notesClient(ctx);
let moderator: TestUser;

beforeAll(async () => {
  ({ moderator } = await staffOf(ctx));
});

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
      // No glossary term with a published explanation occurs in this text.
      glossaryTerms: [],
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
      const found = await request(ctx.server).get('/v1/notes').query({ tag, authorId: author.id });
      expect((found.body.data as Note[]).map((n) => n.id)).toEqual([res.body.id]);
    },
  );

  test('anonymous posting is 401', async () => {
    const res = await request(ctx.server).post('/v1/notes').send(draft());
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
    ['a ctx.server field', { authorId: 'usr_someone' }, 'authorId'],
    ['baseVersion is for sync only', { baseVersion: 1 }, 'baseVersion'],
  ])('%s', async (_name, fields, param) => {
    const author = await signUp(ctx.app);
    const res = await postNote(author, draft(fields));
    expectInvalid(res, param);
    expect(await notesOf(author.id)).toBe(0);
  });

  test('malformed JSON is 400 invalid_request', async () => {
    const author = await signUp(ctx.app);
    const res = await request(ctx.server)
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
    const firstPage = await request(ctx.server).get('/v1/notes').query({ authorId: author.id });
    expect(firstPage.body.data).toHaveLength(20);
    expect(firstPage.body.nextCursor).toEqual(expect.any(String));
  });

  test('an unknown top-level field is 400 naming it', async () => {
    const author = await signUp(ctx.app);
    const res = await request(ctx.server)
      .post('/v1/notes/sync')
      .set(author.auth)
      .send({ notes: [draft()], device: 'phone' });
    expectInvalid(res, 'device');
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
    const list = await request(ctx.server).get('/v1/notes').query({ authorId: author.id });
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
    expect((await request(ctx.server).delete(`/v1/notes/${note.id}`)).status).toBe(401);
    expect((await viewNote(note.id)).body.status).toBe('published');
  });

  test('the author may delete a note still under review', async () => {
    const author = await signUp(ctx.app, { country: 'CN' });
    const note = (await postNote(author, draft())).body as Note;
    const res = await deleteNote(author, note.id);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('deleted');
    const pending = await request(ctx.server)
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
      ctx.db,
      'SELECT status FROM notes WHERE author_id = ?',
      [author.id],
    );
    expect(rows).toEqual([{ status: 'deleted' }]);
  });
});
