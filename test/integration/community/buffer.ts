import request from 'supertest';
import { signUp, type TestUser } from '../../support/fixtures';
import {
  type Note,
  draft,
  expectInvalid,
  notesClient,
  staffOf,
  useNotesApp,
} from '../../support/notes';

/** The cultural buffer: notes held for review, and what moderators do with them. */
const ctx = useNotesApp();
const { postNote, syncNotes, viewNote, deleteNote, approve, reject, pointsOf } = notesClient(ctx);
let moderator: TestUser;
let admin: TestUser;

beforeAll(async () => {
  ({ moderator, admin } = await staffOf(ctx));
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
      request(ctx.server)
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
    const res = await request(ctx.server)
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

    const memberList = await request(ctx.server).get('/v1/moderation/notes').set(member.auth);
    expect(memberList.status).toBe(403);
    expect(memberList.body.error.type).toBe('permission');
    const anonList = await request(ctx.server).get('/v1/moderation/notes');
    expect(anonList.status).toBe(401);
    expect(anonList.body.error.type).toBe('authentication');
    expect((await approve(member, note.id)).status).toBe(403);
    expect((await reject(member, note.id)).status).toBe(403);
    expect((await approve(author, note.id)).status).toBe(403);
    expect((await request(ctx.server).post(`/v1/moderation/notes/${note.id}/approve`)).status).toBe(
      401,
    );
    expect((await viewNote(note.id, author)).body.status).toBe('pending_review');

    const adminList = await request(ctx.server).get('/v1/moderation/notes').set(admin.auth);
    expect(adminList.status).toBe(200);
    expect((await approve(admin, note.id)).status).toBe(200);
  });
});
