import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { selectOne, selectRows } from '../../../src/db/sql';
import { signUp, type TestUser } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';

/** The cultural buffer holds authors in CN and the tag `996`; a note earns 20, +10 cross-cultural. */
let ctx: TestContext;
let server: Server;
let member: TestUser;
let other: TestUser;
let third: TestUser;
let heldAuthor: TestUser;
let moderator: TestUser;

beforeAll(async () => {
  ctx = await startTestContext({ env: { MODERATION_COUNTRIES: 'CN', MODERATION_TAGS: '996' } });
  server = ctx.app.listen(0);
  [member, other, third, heldAuthor, moderator] = await Promise.all([
    signUp(ctx.app),
    signUp(ctx.app, { country: 'BR', timezone: 'America/Sao_Paulo' }),
    signUp(ctx.app, { country: 'US', timezone: 'America/New_York' }),
    signUp(ctx.app, { country: 'CN', timezone: 'Asia/Shanghai' }),
    signUp(ctx.app),
  ]);
  await ctx.services.accounts.grantRole(moderator.email, 'moderator');
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await ctx.close();
});

const api = () => request(server);
const path = (term: string) => `/v1/glossary/terms/${encodeURIComponent(term)}`;
const addTerm = (user: TestUser, body: object) =>
  api().post('/v1/glossary/terms').set(user.auth).send(body);
const explain = (user: TestUser, term: string, body: object) =>
  api()
    .post(`${path(term)}/explanations`)
    .set(user.auth)
    .send(body);
const balance = async (user: TestUser) =>
  (await api().get('/v1/me/points').set(user.auth)).body.balance as number;
const countRows = async (table: string) =>
  Number((await selectOne<{ n: number }>(ctx.db, `SELECT COUNT(*) AS n FROM ${table}`, []))!.n);

async function term(text: string, language = 'zh') {
  const res = await addTerm(member, { term: text, language });
  expect(res.status).toBe(201);
  return res.body as { id: string; term: string };
}

describe('terms', () => {
  test('a member adds a term; its width, case or spacing variants are the same term (409)', async () => {
    const created = await addTerm(member, { term: '绝绝子', language: 'zh-CN' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ term: '绝绝子', language: 'zh-CN', explanationCount: 0 });
    expect(created.body.id).toMatch(/^gtm_/);
    for (const variant of ['绝 绝 子', '绝·绝·子', '绝\u200b绝子']) {
      const again = await addTerm(other, { term: variant, language: 'zh' });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({
        type: 'conflict',
        code: 'term_exists',
        param: 'term',
      });
    }
    await term('YYDS');
    const wide = await addTerm(other, { term: 'ｙｙｄｓ', language: 'zh' });
    expect(wide.body.error.code).toBe('term_exists');
  });

  test('bad input is a 400 naming the field, and writes nothing', async () => {
    const before = await countRows('glossary_terms');
    const cases: Array<[object, string]> = [
      [{ term: '', language: 'zh' }, 'term'],
      [{ term: '！？…', language: 'zh' }, 'term'],
      [{ term: 'x'.repeat(51), language: 'en' }, 'term'],
      [{ term: '内卷', language: 'not a language!' }, 'language'],
      [{ term: '内卷' }, 'language'],
      [{ term: '内卷', language: 'zh', extra: 1 }, 'extra'],
      [{ term: 42, language: 'zh' }, 'term'],
    ];
    for (const [body, param] of cases) {
      const res = await addTerm(member, body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request', param });
    }
    expect(await countRows('glossary_terms')).toBe(before);
  });

  test('signing in is needed to add one', async () => {
    const res = await api().post('/v1/glossary/terms').send({ term: '佛系', language: 'zh' });
    expect(res.status).toBe(401);
  });

  test('the list finds terms by any spelling of a part of them, newest first, by pages', async () => {
    await term('烟火气');
    await term('躺平');
    const found = await api().get('/v1/glossary/terms').query({ q: '躺 平' });
    expect(found.status).toBe(200);
    expect(found.body.data.map((t: { term: string }) => t.term)).toEqual(['躺平']);
    const part = await api().get('/v1/glossary/terms').query({ q: '火' });
    expect(part.body.data.map((t: { term: string }) => t.term)).toEqual(['烟火气']);
    const nothing = await api().get('/v1/glossary/terms').query({ q: '%' });
    expect(nothing.body.data).toEqual([]);
    const first = await api().get('/v1/glossary/terms').query({ limit: 2 });
    expect(first.body.data).toHaveLength(2);
    const next = await api()
      .get('/v1/glossary/terms')
      .query({ limit: 2, cursor: first.body.nextCursor });
    const seen = [...first.body.data, ...next.body.data].map((t: { id: string }) => t.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort().reverse());
    const bad = await api().get('/v1/glossary/terms').query({ limit: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('limit');
  });

  test('an unknown term is 404', async () => {
    const res = await api().get(path('没有这个词'));
    expect(res.status).toBe(404);
    expect(res.body.error.type).toBe('not_found');
  });
});

describe('explanations', () => {
  test('a published explanation earns its author the cross-cultural note points, once', async () => {
    await term('内卷');
    const before = await balance(other);
    const res = await explain(other, '内卷', {
      language: 'pt-br',
      text: 'Competição interna sem fim: todos se esforçam mais e ninguém ganha.',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ term: '内卷', language: 'pt-BR', status: 'published' });
    expect(await balance(other)).toBe(before + 30);
    const entries = await selectRows<{ amount: number }>(
      ctx.db,
      "SELECT amount FROM point_entries WHERE member_id = ? AND reason = 'glossary_explanation'",
      [other.id],
    );
    expect(entries).toEqual([{ amount: 30 }]);
    // A second one of this author, term and language is refused; another language is welcome.
    const twice = await explain(other, '内卷', { language: 'pt-BR', text: 'De novo.' });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'explanation_exists', param: 'language' });
    const english = await explain(other, '内卷', { language: 'en', text: 'Involution.' });
    expect(english.status).toBe(201);
    expect(await balance(other)).toBe(before + 60);
  });

  test('the buffer holds an explanation like a note; approving it publishes and pays once', async () => {
    await term('打工人');
    const res = await explain(heldAuthor, '打工人', {
      language: 'en',
      text: 'A wry name office workers give themselves.',
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('pending_review');
    expect(await balance(heldAuthor)).toBe(0);
    // Others do not see it; its author does.
    expect((await api().get(path('打工人'))).body.explanations).toEqual([]);
    const own = await api().get(path('打工人')).set(heldAuthor.auth);
    expect(own.body.explanations.map((e: { status: string }) => e.status)).toEqual([
      'pending_review',
    ]);
    const queue = await api()
      .get('/v1/moderation/glossary/explanations')
      .set(moderator.auth)
      .query({ status: 'pending_review' });
    expect(queue.body.data.map((e: { id: string }) => e.id)).toContain(res.body.id);

    const approved = await api()
      .post(`/v1/moderation/glossary/explanations/${res.body.id}/approve`)
      .set(moderator.auth);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('published');
    expect(await balance(heldAuthor)).toBe(30);
    const again = await api()
      .post(`/v1/moderation/glossary/explanations/${res.body.id}/approve`)
      .set(moderator.auth);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('explanation_not_pending');
    expect(await balance(heldAuthor)).toBe(30);
    const shown = await api().get(path('打工人'));
    expect(shown.body).toMatchObject({ explanationCount: 1 });
    expect(shown.body.explanations).toHaveLength(1);

    // Rejected afterwards: the points go back, and the term counts it no more.
    const rejected = await api()
      .post(`/v1/moderation/glossary/explanations/${res.body.id}/reject`)
      .set(moderator.auth)
      .send({ reason: 'Not accurate' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectReason: 'Not accurate' });
    expect(await balance(heldAuthor)).toBe(0);
    expect((await api().get(path('打工人'))).body.explanationCount).toBe(0);
  });

  test('a term that is a moderated tag holds its explanations, whoever writes them', async () => {
    await term('996');
    const res = await explain(third, '996', { language: 'en', text: '9am to 9pm, 6 days a week.' });
    expect(res.body.status).toBe('pending_review');
  });

  test('members and moderators only: 401, 403', async () => {
    await term('凡尔赛');
    const anonymous = await api()
      .post(`${path('凡尔赛')}/explanations`)
      .send({ language: 'en', text: 'Humblebragging.' });
    expect(anonymous.status).toBe(401);
    const queue = await api().get('/v1/moderation/glossary/explanations').set(member.auth);
    expect(queue.status).toBe(403);
  });

  test('bad explanations are 400 or 404 and write nothing', async () => {
    await term('摆烂');
    const before = await countRows('glossary_explanations');
    for (const [body, param] of [
      [{ language: 'en', text: '   ' }, 'text'],
      [{ language: 'en', text: 'x'.repeat(2001) }, 'text'],
      [{ language: '??', text: 'ok' }, 'language'],
      [{ text: 'ok' }, 'language'],
      [{ language: 'en', text: 'ok', status: 'published' }, 'status'],
    ] as Array<[object, string]>) {
      const res = await explain(member, '摆烂', body);
      expect(res.status).toBe(400);
      expect(res.body.error.param).toBe(param);
    }
    const missing = await explain(member, '没有这个词', { language: 'en', text: 'ok' });
    expect(missing.status).toBe(404);
    const badId = await api()
      .post('/v1/moderation/glossary/explanations/nope/approve')
      .set(moderator.auth);
    expect(badId.status).toBe(404);
    expect(await countRows('glossary_explanations')).toBe(before);
  });
});

describe('votes', () => {
  test('one vote per member, never for your own; the best voted come first', async () => {
    await term('社恐');
    const a = (await explain(member, '社恐', { language: 'en', text: 'Social anxiety.' })).body;
    const b = (await explain(other, '社恐', { language: 'en', text: 'Afraid of people.' })).body;
    const vote = (user: TestUser, id: string) =>
      api().post(`/v1/glossary/explanations/${id}/votes`).set(user.auth);
    expect((await vote(member, a.id)).status).toBe(403);
    expect((await vote(member, a.id)).body.error.code).toBe('own_explanation');
    const first = await vote(third, b.id);
    expect(first.body).toEqual({ explanationId: b.id, voted: true, voteCount: 1 });
    const twice = await vote(third, b.id);
    expect(twice.body.voteCount).toBe(1);
    const ordered = await api().get(path('社恐')).set(third.auth);
    expect(ordered.body.explanations.map((e: { id: string }) => e.id)).toEqual([b.id, a.id]);
    expect(ordered.body.explanations[0].votedByMe).toBe(true);
    await Promise.all([vote(other, a.id), vote(third, a.id), vote(moderator, a.id)]);
    const reordered = await api().get(path('社恐'));
    expect(reordered.body.explanations.map((e: { voteCount: number }) => e.voteCount)).toEqual([
      3, 1,
    ]);
    const withdrawn = await api().delete(`/v1/glossary/explanations/${a.id}/votes`).set(third.auth);
    expect(withdrawn.body).toEqual({ explanationId: a.id, voted: false, voteCount: 2 });
    const unknown = await vote(third, 'gex_00000000000000000000000000');
    expect(unknown.status).toBe(404);
  });

  test('twenty members voting at once count twenty', async () => {
    await term('破防');
    const target = (await explain(member, '破防', { language: 'en', text: 'Defences broken.' }))
      .body;
    const voters = await Promise.all(Array.from({ length: 20 }, () => signUp(ctx.app)));
    const answers = await Promise.all(
      voters.flatMap((voter) => [
        api().post(`/v1/glossary/explanations/${target.id}/votes`).set(voter.auth),
        api().post(`/v1/glossary/explanations/${target.id}/votes`).set(voter.auth),
      ]),
    );
    expect(answers.every((res) => res.status === 200)).toBe(true);
    expect((await api().get(path('破防'))).body.explanations[0].voteCount).toBe(20);
  });
});

describe('terms on notes', () => {
  const note = (user: TestUser, title: string, body: string) =>
    api()
      .post('/v1/notes')
      .set(user.auth)
      .send({ clientId: randomUUID(), title, body, languages: ['zh'] });

  test('a note lists the explained terms its text contains, whatever their spacing or width', async () => {
    await term('佛系');
    await term('emo');
    const posted = await note(member, '周末', '这个周末很佛 系，有点ＥＭＯ，但是 democracy 不算。');
    expect(posted.status).toBe(201);
    // No published explanation yet: nothing is listed.
    expect(posted.body.glossaryTerms).toEqual([]);
    await explain(other, '佛系', { language: 'en', text: 'Buddha-like: going with the flow.' });
    await explain(other, 'emo', { language: 'en', text: 'Feeling down.' });
    const shown = await api().get(`/v1/notes/${posted.body.id}`);
    expect(shown.body.glossaryTerms).toEqual([
      { term: '佛系', language: 'zh' },
      { term: 'emo', language: 'zh' },
    ]);
    const listed = await api().get('/v1/notes').query({ authorId: member.id });
    expect(
      listed.body.data.find((n: { id: string }) => n.id === posted.body.id).glossaryTerms,
    ).toHaveLength(2);
    const feed = await api().get('/v1/feed');
    for (const item of feed.body.data as Array<{ glossaryTerms: unknown }>)
      expect(Array.isArray(item.glossaryTerms)).toBe(true);
  });
});
