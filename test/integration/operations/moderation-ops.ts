import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import type { App } from '../../../src/http/front-door';
import request from 'supertest';
import { createApp, createServices } from '../../../src/app';
import { ManualClock } from '../../../src/clock';
import { Db } from '../../../src/db/db';
import { signUp, type TestUser } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';
import { serviceCommand } from '../../support/service-build';

const clock = new ManualClock();
let ctx: TestContext;
/** A second app on its own connection pool: another process as far as the policy can tell. */
let second: App;
let secondPool: Db;
let admin: TestUser;
let moderator: TestUser;
let japanModerator: TestUser;
let member: TestUser;

beforeAll(async () => {
  ctx = await startTestContext({
    clock,
    env: { MODERATION_COUNTRIES: 'CN', MODERATION_TAGS: 'politics' },
  });
  secondPool = new Db(ctx.config.DATABASE_URL, { poolMax: 4 });
  const deps = { ...ctx.deps, db: secondPool };
  second = createApp(deps, createServices(deps));
  [admin, moderator, japanModerator, member] = await Promise.all([
    signUp(ctx.app),
    signUp(ctx.app),
    signUp(ctx.app),
    signUp(ctx.app),
  ]);
  await ctx.services.accounts.grantRole(admin.email, 'admin');
  await ctx.services.accounts.grantRole(moderator.email, 'moderator');
  await ctx.services.accounts.grantRole(japanModerator.email, 'moderator');
});

afterAll(async () => {
  await secondPool?.close();
  await ctx.close();
});

const draft = (fields: Record<string, unknown> = {}) => ({
  clientId: randomUUID(),
  title: 'Hanami',
  body: 'Blossoms along the river.',
  languages: ['ja'],
  ...fields,
});

async function post(app: App, author: TestUser, fields: Record<string, unknown> = {}) {
  const res = await request(app).post('/v1/notes').set(author.auth).send(draft(fields));
  expect(res.status).toBe(201);
  return res.body as { id: string; status: string };
}

const putPolicy = (app: App, body: object, as = admin) =>
  request(app).put('/v1/moderation/policy').set(as.auth).send(body);

describe('the moderation policy, read and changed through the API', () => {
  test('the environment seeds it until an admin changes it', async () => {
    const res = await request(ctx.app).get('/v1/moderation/policy').set(admin.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      countries: ['CN'],
      tags: ['politics'],
      version: 0,
      updatedAt: null,
    });
  });

  test('a change on one app holds the very next note posted to the other, no restart', async () => {
    const author = await signUp(ctx.app, { country: 'KR' });
    expect((await post(second, author)).status).toBe('published');
    const changed = await putPolicy(ctx.app, {
      countries: ['kr', 'CN', 'KR'],
      tags: ['Ｍａｔｓｕｒｉ'],
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ countries: ['CN', 'KR'], tags: ['matsuri'], version: 1 });
    expect((await post(second, author)).status).toBe('pending_review');
    const other = await signUp(ctx.app, { country: 'BR' });
    expect((await post(second, other, { cultureTags: ['MATSURI'] })).status).toBe('pending_review');
    // The seed tag no longer holds anything; the second app reads the same policy.
    expect((await post(second, other, { cultureTags: ['politics'] })).status).toBe('published');
    const read = await request(second).get('/v1/moderation/policy').set(admin.auth);
    expect(read.body).toEqual(changed.body);
    // And back: the next note is published again.
    const cleared = await putPolicy(second, { countries: [], tags: [] });
    expect(cleared.body.version).toBe(2);
    expect((await post(ctx.app, author)).status).toBe('published');
  });

  test('bad policies are 400 and change nothing; only admins read or change it', async () => {
    const before = (await request(ctx.app).get('/v1/moderation/policy').set(admin.auth)).body;
    const bad: Array<[object, string]> = [
      [{ countries: ['XX'], tags: [] }, 'countries.0'],
      [{ countries: 'JP', tags: [] }, 'countries'],
      [{ countries: [], tags: [''] }, 'tags.0'],
      [{ countries: [] }, 'tags'],
      [{ countries: [], tags: [], extra: 1 }, 'extra'],
      [{ countries: [], tags: ['x'.repeat(51)] }, 'tags.0'],
    ];
    for (const [body, param] of bad) {
      const res = await putPolicy(ctx.app, body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request', param });
    }
    expect((await request(ctx.app).get('/v1/moderation/policy').set(admin.auth)).body).toEqual(
      before,
    );
    expect((await putPolicy(ctx.app, { countries: [], tags: [] }, moderator)).status).toBe(403);
    expect((await request(ctx.app).get('/v1/moderation/policy').set(member.auth)).status).toBe(403);
    expect((await request(ctx.app).put('/v1/moderation/policy').send({})).status).toBe(401);
  });
});

describe('moderators with regions', () => {
  test('see and decide only the notes of authors from their countries', async () => {
    await putPolicy(ctx.app, { countries: ['JP', 'KR', 'BR'], tags: [] });
    const [jp, kr, br] = await Promise.all([
      signUp(ctx.app, { country: 'JP' }),
      signUp(ctx.app, { country: 'KR' }),
      signUp(ctx.app, { country: 'BR' }),
    ]);
    const [jpNote, krNote, brNote] = [
      await post(ctx.app, jp),
      await post(ctx.app, kr),
      await post(ctx.app, br),
    ];
    const assigned = await request(ctx.app)
      .put(`/v1/admin/moderators/${japanModerator.id}/regions`)
      .set(admin.auth)
      .send({ regions: ['jp', 'KR'] });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toEqual({
      userId: japanModerator.id,
      displayName: 'Test',
      regions: ['JP', 'KR'],
    });

    const queue = async (as: TestUser, app = ctx.app) =>
      (await request(app).get('/v1/moderation/notes?limit=100').set(as.auth)).body.data.map(
        (note: { id: string }) => note.id,
      ) as string[];
    const regional = await queue(japanModerator, second);
    expect(regional).toEqual(expect.arrayContaining([jpNote.id, krNote.id]));
    expect(regional).not.toContain(brNote.id);
    // A moderator without regions and an admin see every country.
    for (const everyone of [await queue(moderator), await queue(admin)])
      expect(everyone).toEqual(expect.arrayContaining([jpNote.id, krNote.id, brNote.id]));

    const outside = await request(ctx.app)
      .post(`/v1/moderation/notes/${brNote.id}/approve`)
      .set(japanModerator.auth);
    expect(outside.status).toBe(403);
    expect(outside.body.error.code).toBe('outside_regions');
    const rejectOutside = await request(ctx.app)
      .post(`/v1/moderation/notes/${brNote.id}/reject`)
      .set(japanModerator.auth)
      .send({ reason: 'no' });
    expect(rejectOutside.status).toBe(403);
    const inside = await request(ctx.app)
      .post(`/v1/moderation/notes/${jpNote.id}/approve`)
      .set(japanModerator.auth);
    expect(inside.status).toBe(200);
    expect(inside.body.status).toBe('published');

    const listed = await request(ctx.app).get('/v1/admin/moderators').set(admin.auth);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual(
      expect.arrayContaining([
        { userId: japanModerator.id, displayName: 'Test', regions: ['JP', 'KR'] },
        { userId: moderator.id, displayName: 'Test', regions: [] },
      ]),
    );
    // [] lifts the limit again.
    await request(ctx.app)
      .put(`/v1/admin/moderators/${japanModerator.id}/regions`)
      .set(admin.auth)
      .send({ regions: [] });
    expect(await queue(japanModerator)).toContain(brNote.id);
    await putPolicy(ctx.app, { countries: [], tags: [] });
  });

  test('regions: unknown user 404, not a moderator 409, bad countries 400, admins only', async () => {
    const put = (id: string, body: object, as = admin) =>
      request(ctx.app).put(`/v1/admin/moderators/${id}/regions`).set(as.auth).send(body);
    expect((await put('usr_00000000000000000000000000', { regions: ['JP'] })).status).toBe(404);
    const notModerator = await put(member.id, { regions: ['JP'] });
    expect(notModerator.status).toBe(409);
    expect(notModerator.body.error.code).toBe('not_a_moderator');
    for (const [body, param] of [
      [{ regions: ['ZZ'] }, 'regions.0'],
      [{ regions: 'JP' }, 'regions'],
      [{}, 'regions'],
    ] as Array<[object, string]>) {
      const res = await put(moderator.id, body);
      expect(res.status).toBe(400);
      expect(res.body.error.param).toBe(param);
    }
    // A path id that is not a user's id names no user.
    expect((await put('nope', { regions: [] })).status).toBe(404);
    expect((await put(moderator.id, { regions: [] }, moderator)).status).toBe(403);
    expect((await request(ctx.app).get('/v1/admin/moderators').set(moderator.auth)).status).toBe(
      403,
    );
  });
});

/** A new glossary term (unique to this run), added by `member`. */
async function glossaryTerm(prefix: string) {
  const term = `${prefix}${randomUUID().slice(0, 8)}`;
  const res = await request(ctx.app)
    .post('/v1/glossary/terms')
    .set(member.auth)
    .send({ term, language: 'zh' });
  expect(res.status).toBe(201);
  return res.body.term as string;
}

async function explain(app: App, author: TestUser, term: string, language = 'en') {
  const res = await request(app)
    .post(`/v1/glossary/terms/${encodeURIComponent(term)}/explanations`)
    .set(author.auth)
    .send({ language, text: `What ${term} means.` });
  expect(res.status).toBe(201);
  return res.body as { id: string; status: string };
}

describe('glossary explanations in the cultural buffer', () => {
  test('a policy change on one app holds the very next explanation written to the other, no restart', async () => {
    await putPolicy(ctx.app, { countries: [], tags: [] });
    const author = await signUp(ctx.app, { country: 'KR' });
    const other = await signUp(ctx.app, { country: 'BR' });
    const word = await glossaryTerm('policyword');
    expect((await explain(second, author, word, 'en')).status).toBe('published');

    await putPolicy(ctx.app, { countries: ['KR'], tags: [] });
    expect((await explain(second, author, word, 'ko')).status).toBe('pending_review');
    expect((await explain(second, other, word, 'pt')).status).toBe('published');

    // The term itself as a moderated tag holds whoever explains it, once the policy says so.
    const tagged = await glossaryTerm('tagword');
    await putPolicy(second, { countries: [], tags: [tagged] });
    expect((await explain(ctx.app, other, tagged, 'pt')).status).toBe('pending_review');
    expect((await explain(second, author, word, 'ja')).status).toBe('published');

    await putPolicy(ctx.app, { countries: [], tags: [] });
    expect((await explain(second, other, tagged, 'en')).status).toBe('published');
  });

  test('moderators with regions see and decide only explanations by authors from their countries', async () => {
    await putPolicy(ctx.app, { countries: ['JP', 'BR'], tags: [] });
    const [jp, br] = await Promise.all([
      signUp(ctx.app, { country: 'JP' }),
      signUp(ctx.app, { country: 'BR' }),
    ]);
    const word = await glossaryTerm('regionword');
    const jpExplanation = await explain(ctx.app, jp, word);
    const brExplanation = await explain(ctx.app, br, word);
    expect([jpExplanation.status, brExplanation.status]).toEqual([
      'pending_review',
      'pending_review',
    ]);
    await request(ctx.app)
      .put(`/v1/admin/moderators/${japanModerator.id}/regions`)
      .set(admin.auth)
      .send({ regions: ['JP'] });

    const queue = async (as: TestUser, app = ctx.app) =>
      (
        await request(app).get('/v1/moderation/glossary/explanations?limit=100').set(as.auth)
      ).body.data.map((explanation: { id: string }) => explanation.id) as string[];
    const regional = await queue(japanModerator, second);
    expect(regional).toContain(jpExplanation.id);
    expect(regional).not.toContain(brExplanation.id);
    for (const everyone of [await queue(moderator), await queue(admin)])
      expect(everyone).toEqual(expect.arrayContaining([jpExplanation.id, brExplanation.id]));

    const decide = (id: string, decision: 'approve' | 'reject', as: TestUser) =>
      request(ctx.app)
        .post(`/v1/moderation/glossary/explanations/${id}/${decision}`)
        .set(as.auth)
        .send(decision === 'reject' ? { reason: 'no' } : {});
    for (const decision of ['approve', 'reject'] as const) {
      const outside = await decide(brExplanation.id, decision, japanModerator);
      expect(outside.status).toBe(403);
      expect(outside.body.error.code).toBe('outside_regions');
    }
    const inside = await decide(jpExplanation.id, 'approve', japanModerator);
    expect(inside.status).toBe(200);
    expect(inside.body.status).toBe('published');
    // A moderator without regions decides for every country.
    const anywhere = await decide(brExplanation.id, 'approve', moderator);
    expect(anywhere.status).toBe(200);

    await request(ctx.app)
      .put(`/v1/admin/moderators/${japanModerator.id}/regions`)
      .set(admin.auth)
      .send({ regions: [] });
    await putPolicy(ctx.app, { countries: [], tags: [] });
  });
});

/** /metrics as series -> value, and its text. */
async function scrape(app: App = ctx.app) {
  const res = await request(app).get('/metrics');
  expect(res.status).toBe(200);
  const values = new Map<string, number>();
  for (const line of res.text.split('\n')) {
    const at = line.lastIndexOf(' ');
    if (!line.startsWith('#') && at > 0) values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return Object.assign(values, { text: res.text });
}

test('npm run cli -- grant --role moderator --regions gives a moderator their regions', async () => {
  const account = await signUp(ctx.app);
  const cli = (...args: string[]) =>
    promisify(execFile)(process.execPath, [...serviceCommand('src/cli.ts'), 'grant', ...args], {
      cwd: path.resolve(__dirname, '../../..'),
      env: {
        ...process.env,
        DATABASE_URL: ctx.config.DATABASE_URL,
        REDIS_URL: ctx.config.REDIS_URL,
        REDIS_PREFIX: ctx.config.REDIS_PREFIX,
      },
    });
  await expect(
    cli('--email', account.email, '--role', 'moderator', '--regions', 'JP,XX'),
  ).rejects.toMatchObject({ stderr: expect.stringContaining('XX') });
  expect(await ctx.services.moderatorRegions.of(account.id)).toEqual([]);
  const { stdout } = await cli(
    '--email',
    account.email,
    '--role',
    'moderator',
    '--regions',
    'kr,JP',
  );
  expect(stdout).toContain('JP, KR');
  expect(await ctx.services.moderatorRegions.of(account.id)).toEqual(['JP', 'KR']);
}, 60_000);

describe('/metrics shows how long notes wait in the buffer', () => {
  test('approve and reject observe the wait in seconds, by decision', async () => {
    await putPolicy(ctx.app, { countries: [], tags: ['wait-test'] });
    const before = await scrape();
    const author = await signUp(ctx.app);
    const first = await post(ctx.app, author, { cultureTags: ['wait-test'] });
    const secondNote = await post(ctx.app, author, { cultureTags: ['wait-test'] });
    clock.advance({ seconds: 120 });
    await request(ctx.app).post(`/v1/moderation/notes/${first.id}/approve`).set(moderator.auth);
    clock.advance({ seconds: 3600 });
    await request(ctx.app)
      .post(`/v1/moderation/notes/${secondNote.id}/reject`)
      .set(moderator.auth)
      .send({ reason: 'Off topic' });
    // Taking down a published note is not a wait in the buffer.
    await request(ctx.app)
      .post(`/v1/moderation/notes/${first.id}/reject`)
      .set(moderator.auth)
      .send({ reason: 'Changed my mind' });

    const after = await scrape();
    const delta = (series: string) => (after.get(series) ?? 0) - (before.get(series) ?? 0);
    expect(after.text).toContain('# TYPE note_buffer_wait_seconds histogram');
    expect(delta('note_buffer_wait_seconds_bucket{le="60",decision="approve"}')).toBe(0);
    expect(delta('note_buffer_wait_seconds_bucket{le="300",decision="approve"}')).toBe(1);
    expect(delta('note_buffer_wait_seconds_count{decision="approve"}')).toBe(1);
    expect(delta('note_buffer_wait_seconds_sum{decision="approve"}')).toBe(120);
    expect(delta('note_buffer_wait_seconds_bucket{le="3600",decision="reject"}')).toBe(0);
    expect(delta('note_buffer_wait_seconds_bucket{le="7200",decision="reject"}')).toBe(1);
    expect(delta('note_buffer_wait_seconds_count{decision="reject"}')).toBe(1);
    expect(delta('note_buffer_wait_seconds_sum{decision="reject"}')).toBe(3720);
    await putPolicy(ctx.app, { countries: [], tags: [] });
  });

  test('what waits now, and for how long the oldest has waited, notes and explanations', async () => {
    await emptyBuffer();
    expect(await backlog(ctx.app)).toEqual({ note: [0, 0], explanation: [0, 0] });

    await putPolicy(ctx.app, { countries: ['KR'], tags: [] });
    const author = await signUp(ctx.app, { country: 'KR' });
    const first = await post(ctx.app, author);
    clock.advance({ seconds: 600 });
    await post(ctx.app, author);
    await explain(ctx.app, author, await glossaryTerm('backlogword'), 'ko');
    clock.advance({ seconds: 60 });
    expect(await backlog(ctx.app)).toEqual({ note: [2, 660], explanation: [1, 60] });
    // Another process reads the same buffer (not a sum of what each process saw).
    expect(await backlog(second)).toEqual({ note: [2, 660], explanation: [1, 60] });

    await request(ctx.app).post(`/v1/moderation/notes/${first.id}/approve`).set(moderator.auth);
    expect(await backlog(ctx.app)).toEqual({ note: [1, 60], explanation: [1, 60] });
    await emptyBuffer();
    expect(await backlog(ctx.app)).toEqual({ note: [0, 0], explanation: [0, 0] });
    await putPolicy(ctx.app, { countries: [], tags: [] });
  });
});

/** The backlog series of /metrics: kind -> [items waiting, the oldest one's wait in seconds]. */
async function backlog(app: App) {
  const series = await scrape(app);
  const of = (kind: string) => [
    series.get(`note_buffer_pending{kind="${kind}"}`),
    series.get(`note_buffer_oldest_wait_seconds{kind="${kind}"}`),
  ];
  return { note: of('note'), explanation: of('explanation') };
}

/** Rejects whatever earlier tests left waiting in the buffer. */
async function emptyBuffer() {
  for (const kind of ['notes', 'glossary/explanations']) {
    for (;;) {
      const waiting = (
        await request(ctx.app).get(`/v1/moderation/${kind}?limit=100`).set(moderator.auth)
      ).body.data as Array<{ id: string }>;
      if (waiting.length === 0) break;
      for (const { id } of waiting) {
        const res = await request(ctx.app)
          .post(`/v1/moderation/${kind}/${id}/reject`)
          .set(moderator.auth)
          .send({ reason: 'Clearing the queue' });
        expect(res.status).toBe(200);
      }
    }
  }
}
