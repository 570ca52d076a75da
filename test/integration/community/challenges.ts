import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { DateTime } from 'luxon';
import request from 'supertest';
import { selectOne, selectRows } from '../../../src/db/sql';
import { ManualClock } from '../../../src/clock';
import { bulkMembers } from '../../support/drops';
import { signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';

/** Authors in CN wait in the cultural buffer; a note earns 20, +10 with a culture tag. */
const clock = new ManualClock(DateTime.fromISO('2026-12-01T03:00:00Z'));
let ctx: TestContext;
let server: Server;
let brand: TestUser;
let moderator: TestUser;

beforeAll(async () => {
  ctx = await startTestContext({ clock, env: { MODERATION_COUNTRIES: 'CN' } });
  server = ctx.app.listen(0);
  [brand, moderator] = await Promise.all([signUpBrand(ctx.app, 'Jasmine Tea Co'), signUp(ctx.app)]);
  await ctx.services.accounts.grantRole(moderator.email, 'moderator');
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await ctx.close();
});

const api = () => request(server);
const at = (hours: number) => clock.now().plus({ hours }).toISO()!;
const challengeBody = (fields: Record<string, unknown> = {}) => ({
  title: 'Write about your tea ritual',
  tag: 'tea-ritual',
  startsAt: at(-1),
  endsAt: at(24 * 7),
  maxParticipants: 50,
  bonusPoints: 40,
  ...fields,
});

async function challenge(fields: Record<string, unknown> = {}) {
  const res = await api()
    .post('/v1/campaigns/challenges')
    .set(brand.auth)
    .send(challengeBody(fields));
  expect(res.status).toBe(201);
  return res.body as { id: string; tag: string };
}

const join = (user: TestUser, id: string) =>
  api().post(`/v1/campaigns/challenges/${id}/join`).set(user.auth);
const postNote = (user: TestUser, tags: string[]) =>
  api()
    .post('/v1/notes')
    .set(user.auth)
    .send({
      clientId: randomUUID(),
      title: 'Morning gongfu cha',
      body: 'Three steeps before work.',
      languages: ['en'],
      cultureTags: tags,
    });
const balance = async (user: TestUser) =>
  (await api().get('/v1/me/points').set(user.auth)).body.balance as number;
const bonusEntries = (user: TestUser) =>
  selectRows<{ amount: number; reason: string }>(
    ctx.db,
    "SELECT amount, reason FROM point_entries WHERE member_id = ? AND reason LIKE 'challenge%' ORDER BY id",
    [user.id],
  );

describe('creating', () => {
  test('a brand creates a challenge; its tag is normalised like a note tag', async () => {
    const res = await api()
      .post('/v1/campaigns/challenges')
      .set(brand.auth)
      .send(challengeBody({ tag: 'ＴＥＡ-Ritual ' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      tag: 'tea-ritual',
      status: 'open',
      brandName: 'Jasmine Tea Co',
      maxParticipants: 50,
      participantCount: 0,
      bonusPoints: 40,
    });
    expect(res.body.id).toMatch(/^chl_/);
    const listed = await api().get('/v1/campaigns/challenges').query({ brandId: brand.brandId });
    expect(listed.body.data.map((c: { id: string }) => c.id)).toContain(res.body.id);
  });

  test('members who are not brands get 403, visitors 401', async () => {
    const member = await signUp(ctx.app);
    expect(
      (await api().post('/v1/campaigns/challenges').set(member.auth).send(challengeBody())).status,
    ).toBe(403);
    expect((await api().post('/v1/campaigns/challenges').send(challengeBody())).status).toBe(401);
  });

  test('bad input is a 400 naming the field, and writes nothing', async () => {
    const count = async () =>
      Number(
        (await selectOne<{ n: number }>(ctx.db, 'SELECT COUNT(*) AS n FROM challenges', []))!.n,
      );
    const before = await count();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ endsAt: at(-2) }, 'endsAt'],
      [{ startsAt: at(-48), endsAt: at(-24) }, 'endsAt'],
      [{ maxParticipants: 0 }, 'maxParticipants'],
      [{ maxParticipants: 2.5 }, 'maxParticipants'],
      [{ bonusPoints: 201 }, 'bonusPoints'],
      [{ tag: '  ' }, 'tag'],
      [{ title: '' }, 'title'],
      [{ startsAt: 'tomorrow' }, 'startsAt'],
      [{ prize: 'a car' }, 'prize'],
    ];
    for (const [fields, param] of cases) {
      const res = await api()
        .post('/v1/campaigns/challenges')
        .set(brand.auth)
        .send(challengeBody(fields));
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request', param });
    }
    expect(await count()).toBe(before);
  });
});

describe('joining', () => {
  test('200 members joining a challenge of 50 at once: exactly 50 take part, 150 get challenge_full', async () => {
    const { id } = await challenge({ maxParticipants: 50 });
    // Written straight to MySQL (200 sign-ups would time the password hash); all join at once.
    const members = await bulkMembers(ctx.db, 200);
    const answers = await Promise.all(members.map((member) => join(member, id)));
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(150);
    for (const res of answers.filter((r) => r.status === 409))
      expect(res.body.error).toMatchObject({ type: 'conflict', code: 'challenge_full' });
    const rows = await selectRows<{ memberId: string }>(
      ctx.db,
      'SELECT member_id AS memberId FROM challenge_participants WHERE challenge_id = ?',
      [id],
    );
    expect(rows).toHaveLength(50);
    const shown = await api().get(`/v1/campaigns/challenges/${id}`);
    expect(shown.body.participantCount).toBe(50);
    expect(shown.body.participants).toHaveLength(50);
    // Those who got in are exactly those answered 200.
    const admitted = members.filter((_, i) => answers[i]!.status === 200).map((m) => m.id);
    expect(rows.map((r) => r.memberId).sort()).toEqual(admitted.sort());
  }, 60_000);

  test('joining again answers the same seat; the brand cannot join its own; unknown is 404', async () => {
    const { id } = await challenge({ maxParticipants: 2 });
    const member = await signUp(ctx.app);
    const first = await join(member, id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ challengeId: id, participantCount: 1, maxParticipants: 2 });
    const again = await join(member, id);
    expect(again.body).toEqual(first.body);
    const own = await join(brand, id);
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('own_challenge');
    expect((await join(member, 'chl_00000000000000000000000000')).status).toBe(404);
    expect((await join(member, 'nope')).status).toBe(404);
    expect((await api().post(`/v1/campaigns/challenges/${id}/join`)).status).toBe(401);
  });

  test('a challenge that has ended takes no one: 409 challenge_ended', async () => {
    const { id } = await challenge({ startsAt: at(-2), endsAt: at(1) });
    clock.advance({ hours: 2 });
    try {
      const res = await join(await signUp(ctx.app), id);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('challenge_ended');
      expect((await api().get(`/v1/campaigns/challenges/${id}`)).body).toMatchObject({
        status: 'ended',
        participantCount: 0,
      });
    } finally {
      clock.advance({ hours: -2 });
    }
  });
});

describe('the bonus', () => {
  test('a participant earns the bonus once, for a note with the tag published after joining', async () => {
    const { id } = await challenge({ tag: 'bonus-once', bonusPoints: 40 });
    const [writer, outsider] = await Promise.all([signUp(ctx.app), signUp(ctx.app)]);
    // Before joining: a note with the tag is no entry.
    expect((await postNote(writer, ['bonus-once'])).status).toBe(201);
    expect(await bonusEntries(writer)).toEqual([]);
    clock.advance({ seconds: 1 });
    await join(writer, id);
    clock.advance({ seconds: 1 });
    const before = await balance(writer);
    const entry = await postNote(writer, ['Bonus-Once']);
    expect(await balance(writer)).toBe(before + 30 + 40);
    await postNote(writer, ['bonus-once']);
    expect(await balance(writer)).toBe(before + 30 + 40 + 30);
    expect(await bonusEntries(writer)).toEqual([{ amount: 40, reason: 'challenge_bonus' }]);
    // A note without the tag, or by someone not taking part, earns no bonus.
    await postNote(outsider, ['bonus-once']);
    expect(await bonusEntries(outsider)).toEqual([]);

    const shown = await api().get(`/v1/campaigns/challenges/${id}`).set(writer.auth);
    expect(shown.body.entryCount).toBe(2);
    expect(shown.body.entries.map((e: { noteId: string }) => e.noteId)).toContain(entry.body.id);
    expect(shown.body.participants).toEqual([
      expect.objectContaining({ memberId: writer.id, bonusEarned: true }),
    ]);
    expect(shown.body.me).toMatchObject({ bonusEarned: true, bonusPoints: 40 });
    expect((await api().get(`/v1/campaigns/challenges/${id}`)).body.me).toBeNull();
  });

  test('a held entry earns when approved; a rejected entry gives it back and the next earns', async () => {
    const { id } = await challenge({ tag: 'held-entry', bonusPoints: 25 });
    const writer = await signUp(ctx.app, { country: 'CN', timezone: 'Asia/Shanghai' });
    await join(writer, id);
    clock.advance({ seconds: 1 });
    const held = await postNote(writer, ['held-entry']);
    expect(held.body.status).toBe('pending_review');
    expect(await balance(writer)).toBe(0);
    const approved = await api()
      .post(`/v1/moderation/notes/${held.body.id}/approve`)
      .set(moderator.auth);
    expect(approved.status).toBe(200);
    expect(await balance(writer)).toBe(30 + 25);
    const rejected = await api()
      .post(`/v1/moderation/notes/${held.body.id}/reject`)
      .set(moderator.auth)
      .send({ reason: 'Copied text' });
    expect(rejected.status).toBe(200);
    expect(await balance(writer)).toBe(0);
    const shown = await api().get(`/v1/campaigns/challenges/${id}`);
    expect(shown.body.entryCount).toBe(0);
    expect(shown.body.participants[0].bonusEarned).toBe(false);
    // Another entry may earn the bonus the rejected one lost.
    const next = await postNote(writer, ['held-entry']);
    await api().post(`/v1/moderation/notes/${next.body.id}/approve`).set(moderator.auth);
    expect(await balance(writer)).toBe(30 + 25);
    const amounts = (await bonusEntries(writer)).map((e) => e.amount);
    expect(amounts.sort((x, y) => x - y)).toEqual([-25, 25, 25]);
  });

  test('a participant deleting the entry that earned gives the bonus back', async () => {
    const { id } = await challenge({ tag: 'deleted-entry', bonusPoints: 15 });
    const writer = await signUp(ctx.app);
    await join(writer, id);
    clock.advance({ seconds: 1 });
    const note = await postNote(writer, ['deleted-entry']);
    expect(await balance(writer)).toBe(45);
    expect((await api().delete(`/v1/notes/${note.body.id}`).set(writer.auth)).status).toBe(200);
    expect(await balance(writer)).toBe(0);
  });
});
