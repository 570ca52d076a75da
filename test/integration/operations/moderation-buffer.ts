import type { App } from '../../../src/http/front-door';
import request from 'supertest';
import { signUp, type TestUser } from '../../support/fixtures';
import { moderationClient, useModerationWorld } from './moderation-world';

/** The cultural buffer: explanations held by the policy, and what /metrics says of the wait. */
const world = useModerationWorld();
const { ctx, clock } = world;
const { post, putPolicy, glossaryTerm, explain } = moderationClient(world);
let second: App;
let admin: TestUser;
let moderator: TestUser;
let japanModerator: TestUser;

beforeAll(() => {
  ({ second, admin, moderator, japanModerator } = world);
});

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
