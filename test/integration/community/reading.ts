import request from 'supertest';
import { signUp, type TestUser } from '../../support/fixtures';
import {
  type Note,
  draft,
  expectInvalid,
  fullWidth,
  suffix,
  notesClient,
  staffOf,
  useNotesApp,
} from '../../support/notes';

/** Who sees a note, the lists of notes, and likes. */
const ctx = useNotesApp();
const { postNote, syncNotes, publish, viewNote, like, unlike, deleteNote, approve, reject } =
  notesClient(ctx);
let moderator: TestUser;
let admin: TestUser;

beforeAll(async () => {
  ({ moderator, admin } = await staffOf(ctx));
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

    const res = await request(ctx.server).get('/v1/notes').query({ authorId: author.id });
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
    const res = await request(ctx.server)
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
      const res = await request(ctx.server).get('/v1/notes').query({ tag: query });
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
    const byOld = await request(ctx.server).get('/v1/notes').query({ tag: before });
    const byNew = await request(ctx.server).get('/v1/notes').query({ tag: after });
    expect(byOld.body.data).toEqual([]);
    expect((byNew.body.data as Note[]).map((n) => n.id)).toEqual([note.id]);
  });

  test('by tag and author together', async () => {
    const [alice, bob] = await Promise.all([signUp(ctx.app), signUp(ctx.app)]);
    const tag = `onsen${suffix()}`;
    const mine = await publish(alice, { cultureTags: [tag] });
    await publish(bob, { cultureTags: [tag] });
    const res = await request(ctx.server).get('/v1/notes').query({ tag, authorId: alice.id });
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
      const res = await request(ctx.server)
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
    const res = await request(ctx.server).get('/v1/notes').query(query);
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
    expect((await request(ctx.server).post(`/v1/notes/${note.id}/likes`)).status).toBe(401);
    expect((await request(ctx.server).delete(`/v1/notes/${note.id}/likes`)).status).toBe(401);
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
