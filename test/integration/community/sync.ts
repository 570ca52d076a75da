import { randomUUID } from 'node:crypto';
import { signUp, type TestUser } from '../../support/fixtures';
import { type Note, draft, notesClient, staffOf, useNotesApp } from '../../support/notes';

/** Offline sync: POST /v1/notes/sync, each note once by its clientId, newest version wins. */
const ctx = useNotesApp();
const { postNote, syncNotes, publish, viewNote, deleteNote, reject, notesOf, entriesOf, pointsOf } =
  notesClient(ctx);
let moderator: TestUser;

beforeAll(async () => {
  ({ moderator } = await staffOf(ctx));
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
