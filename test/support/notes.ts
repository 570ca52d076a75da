import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { selectOne } from '../../src/db/sql';
import { signUp, type TestUser } from './fixtures';
import { useTestApp, type TestApp } from './test-app';

export interface Note {
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

export const draft = (fields: Record<string, unknown> = {}) => ({
  clientId: randomUUID(),
  title: 'Bon Odori in Koenji',
  body: 'Lanterns, taiko and a whole street dancing until late.',
  languages: ['ja'],
  ...fields,
});

export function expectInvalid(res: request.Response, param: string): void {
  // With `param` beside the status, a failure names the case in a loop of them.
  expect({ param, status: res.status }).toEqual({ param, status: 400 });
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
export const fullWidth = (text: string) =>
  text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

export const suffix = () => randomBytes(3).toString('hex');

/** The cultural buffer holds back authors in CN or RU, and two tags (configured in odd forms). */
export function useNotesApp(): TestApp {
  return useTestApp({
    env: { MODERATION_COUNTRIES: 'CN,ru', MODERATION_TAGS: 'Politics, ＲＥＬＩＧＩＯＮ' },
    listen: true,
  });
}

/** A moderator and an admin of `ctx`. */
export async function staffOf(ctx: TestApp): Promise<{ moderator: TestUser; admin: TestUser }> {
  const [moderator, admin] = await Promise.all([signUp(ctx.app), signUp(ctx.app)]);
  await ctx.services.accounts.grantRole(moderator.email, 'moderator');
  await ctx.services.accounts.grantRole(admin.email, 'admin');
  return { moderator, admin };
}

/** What the notes tests do through the API of `ctx`, and the rows they count in its database. */
export function notesClient(ctx: TestApp) {
  const postNote = (user: TestUser, body: unknown) =>
    request(ctx.server)
      .post('/v1/notes')
      .set(user.auth)
      .send(body as object);

  const syncNotes = (user: TestUser, notes: unknown[]) =>
    request(ctx.server).post('/v1/notes/sync').set(user.auth).send({ notes });

  async function publish(user: TestUser, fields: Record<string, unknown> = {}): Promise<Note> {
    const res = await postNote(user, draft(fields));
    expect(res.status).toBe(201);
    return res.body as Note;
  }

  const viewNote = (id: string, viewer?: TestUser) => {
    const req = request(ctx.server).get(`/v1/notes/${id}`);
    return viewer ? req.set(viewer.auth) : req;
  };

  const like = (user: TestUser, id: string) =>
    request(ctx.server).post(`/v1/notes/${id}/likes`).set(user.auth);
  const unlike = (user: TestUser, id: string) =>
    request(ctx.server).delete(`/v1/notes/${id}/likes`).set(user.auth);
  const deleteNote = (user: TestUser, id: string) =>
    request(ctx.server).delete(`/v1/notes/${id}`).set(user.auth);
  const approve = (user: TestUser, id: string) =>
    request(ctx.server).post(`/v1/moderation/notes/${id}/approve`).set(user.auth);
  const reject = (user: TestUser, id: string, reason = 'Off topic') =>
    request(ctx.server).post(`/v1/moderation/notes/${id}/reject`).set(user.auth).send({ reason });

  async function countRows(sql: string, params: unknown[]): Promise<number> {
    const row = await selectOne<{ n: number }>(ctx.db, sql, params);
    return Number(row!.n);
  }

  const notesOf = (authorId: string) =>
    countRows('SELECT COUNT(*) AS n FROM notes WHERE author_id = ?', [authorId]);
  const entriesOf = (memberId: string) =>
    countRows('SELECT COUNT(*) AS n FROM point_entries WHERE member_id = ?', [memberId]);

  async function pointsOf(user: TestUser) {
    const res = await request(ctx.server).get('/v1/me/points').set(user.auth);
    expect(res.status).toBe(200);
    return res.body as { balance: number; entries: { data: { amount: number; reason: string }[] } };
  }

  return {
    postNote,
    syncNotes,
    publish,
    viewNote,
    like,
    unlike,
    deleteNote,
    approve,
    reject,
    notesOf,
    entriesOf,
    pointsOf,
  };
}
