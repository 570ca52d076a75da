import request from 'supertest';
import { signUp, signUpBrand } from '../../support/fixtures';
import { type Entry, draft, PLAIN, CROSS, ledgerClient } from '../../support/ledger';
import { useTestApp } from '../../support/test-app';

/** Points earned and taken back: the ledger, the balance and the rules that move them. */

describe('earning and taking back, default rules', () => {
  const ctx = useTestApp({ env: { MODERATION_TAGS: 'politics' }, listen: true });
  const {
    postNote,
    like,
    unlike,
    pointsOf,
    balanceOf,
    entriesFor,
    expectConsistent,
    members,
    grant,
    moderate,
    createOffer,
    convert,
  } = ledgerClient(ctx);

  test('a published note earns 20, recorded as note_published against the note', async () => {
    const author = await signUp(ctx.app);
    const note = await postNote(author);
    const { balance, entries } = await pointsOf(author);
    expect(balance).toBe(20);
    expect(entries).toEqual([
      {
        id: expect.stringMatching(/^pte_[0-9a-z]{26}$/),
        amount: 20,
        reason: 'note_published',
        sourceId: note.id,
        createdAt: expect.stringMatching(/Z$/),
      },
    ]);
  });

  test.each<[string, number, Record<string, unknown>]>([
    ['one language, no tags', 20, { languages: ['ja'] }],
    ['two languages', 30, { languages: ['ja', 'en'] }],
    ['one language given twice in other case', 20, { languages: ['en', 'EN'] }],
    ['one language and a culture tag', 30, { languages: ['ja'], cultureTags: ['matsuri'] }],
    [
      'three languages and two tags: the bonus counts once',
      30,
      { languages: ['ja', 'ko', 'zh'], cultureTags: ['tea', 'ink'] },
    ],
  ])('%s earns %i', async (_name, expected, fields) => {
    const author = await signUp(ctx.app);
    await postNote(author, fields);
    expect(await balanceOf(author)).toBe(expected);
  });

  test('a note earns once: the same clientId again, a sync replay and an edit add nothing', async () => {
    const author = await signUp(ctx.app);
    const body = draft(CROSS);
    expect((await request(ctx.server).post('/v1/notes').set(author.auth).send(body)).status).toBe(
      201,
    );
    expect((await request(ctx.server).post('/v1/notes').set(author.auth).send(body)).status).toBe(
      200,
    );
    const synced = [draft(), draft(CROSS)];
    const sync = () =>
      request(ctx.server).post('/v1/notes/sync').set(author.auth).send({ notes: synced });
    expect((await sync()).status).toBe(200);
    expect(await balanceOf(author)).toBe(30 + 20 + 30);
    expect((await sync()).status).toBe(200);
    const edit = await request(ctx.server)
      .post('/v1/notes/sync')
      .set(author.auth)
      .send({ notes: [{ ...body, baseVersion: 1, title: 'Edited' }] });
    expect(edit.body.results[0].version).toBe(2);
    const { balance, entries } = await pointsOf(author);
    expect(balance).toBe(80);
    expect(entries).toHaveLength(3);
    await expectConsistent(author);
  });

  test('a like earns the author 2; removing it takes the 2 back; the liker earns nothing', async () => {
    const author = await signUp(ctx.app);
    const fan = await signUp(ctx.app);
    const note = await postNote(author, CROSS);
    await like(fan, note);
    const source = `${note.id}:${fan.id}`;
    expect(await balanceOf(author)).toBe(32);
    expect(await entriesFor(author, source)).toEqual([
      expect.objectContaining({ amount: 2, reason: 'like_received', sourceId: source }),
    ]);
    await unlike(fan, note);
    expect(await balanceOf(author)).toBe(30);
    const entries = await entriesFor(author, source);
    expect(entries.map((e) => [e.reason, e.amount]).sort()).toEqual([
      ['like_received', 2],
      ['like_removed', -2],
    ]);
    expect(await balanceOf(fan)).toBe(0);
    await expectConsistent(author);
  });

  test('liking again after unliking earns 0, and unliking again takes back 0', async () => {
    const author = await signUp(ctx.app);
    const fan = await signUp(ctx.app);
    const note = await postNote(author, CROSS);
    await like(fan, note);
    await unlike(fan, note);
    const before = await pointsOf(author);
    expect(before.balance).toBe(30);

    expect((await like(fan, note)).likeCount).toBe(1);
    expect(await balanceOf(author)).toBe(30);
    await unlike(fan, note);
    const after = await pointsOf(author);
    expect(after.balance).toBe(30);
    expect(after.entries.filter((e) => e.amount !== 0)).toEqual(
      before.entries.filter((e) => e.amount !== 0),
    );
    await like(fan, note);
    await like(fan, note);
    expect(await balanceOf(author)).toBe(30);
    await expectConsistent(author);
  });

  test('8 concurrent like/unlike flips by one member never earn more than one like', async () => {
    const author = await signUp(ctx.app);
    const fan = await signUp(ctx.app);
    const note = await postNote(author, CROSS);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        i % 2 === 0
          ? request(ctx.server).post(`/v1/notes/${note.id}/likes`).set(fan.auth)
          : request(ctx.server).delete(`/v1/notes/${note.id}/likes`).set(fan.auth),
      ),
    );
    const balance = await expectConsistent(author);
    const view = await request(ctx.server).get(`/v1/notes/${note.id}`);
    // Liked now: 32 if the like was never removed, 30 if it came back after a removal; not liked: 30.
    const allowed = view.body.likeCount === 1 ? [30, 32] : [30];
    expect({ likeCount: view.body.likeCount, balance, allowed: allowed.includes(balance) }).toEqual(
      {
        likeCount: view.body.likeCount,
        balance,
        allowed: true,
      },
    );
    expect([0, 1]).toContain(view.body.likeCount);
  });

  test('like points are capped at 100 a note: 51 likers earn 100, and a removed like makes room', async () => {
    const author = await signUp(ctx.app);
    const note = await postNote(author, CROSS);
    const fans = await members(52);
    const first51 = fans.slice(0, 51);
    for (let i = 0; i < first51.length; i += 17)
      await Promise.all(first51.slice(i, i + 17).map((fan) => like(fan, note)));
    expect(await balanceOf(author)).toBe(30 + 100);
    const likeEntries = (await pointsOf(author)).entries.filter(
      (e) => e.reason === 'like_received',
    );
    expect(likeEntries).toHaveLength(51);
    expect(likeEntries.filter((e) => e.amount === 2)).toHaveLength(50);
    expect(likeEntries.filter((e) => e.amount === 0)).toHaveLength(1);
    const view = await request(ctx.server).get(`/v1/notes/${note.id}`);
    expect(view.body.likeCount).toBe(51);

    const unpaid = likeEntries.find((e) => e.amount === 0)!.sourceId.split(':')[1];
    const unpaidFan = first51.find((f) => f.id === unpaid)!;
    const paidFan = first51.find((f) => f.id !== unpaid)!;
    await unlike(unpaidFan, note);
    expect(await balanceOf(author)).toBe(130);
    await unlike(paidFan, note);
    expect(await balanceOf(author)).toBe(128);
    await like(fans[51]!, note);
    expect(await balanceOf(author)).toBe(130);
    await expectConsistent(author);
  });

  test('rejecting a note takes back exactly its note and like points, and no more', async () => {
    const moderator = await grant('moderator');
    const author = await signUp(ctx.app);
    const fans = await members(4);
    const rejected = await postNote(author, CROSS);
    const kept = await postNote(author, PLAIN);
    for (const fan of fans.slice(0, 3)) await like(fan, rejected);
    await like(fans[3]!, kept);
    await unlike(fans[0]!, rejected);
    expect(await balanceOf(author)).toBe(30 + 6 - 2 + 20 + 2);

    const res = await moderate(moderator, rejected, 'reject');
    expect(res.status).toBe(200);
    expect(await entriesFor(author, rejected.id)).toEqual(
      expect.arrayContaining([expect.objectContaining({ reason: 'note_revoked', amount: -34 })]),
    );
    expect(await balanceOf(author)).toBe(22);

    // Its likes were taken back with it: removing one now takes nothing more.
    await unlike(fans[1]!, rejected);
    expect(await balanceOf(author)).toBe(22);
    const again = await request(ctx.server)
      .post(`/v1/notes/${rejected.id}/likes`)
      .set(fans[0]!.auth);
    expect(again.status).toBe(404);
    await like(fans[0]!, kept);
    expect(await balanceOf(author)).toBe(24);
    await expectConsistent(author);
  });

  test('deleting a note takes back exactly what it earned, net of removed likes', async () => {
    const author = await signUp(ctx.app);
    const fans = await members(3);
    const deleted = await postNote(author, CROSS);
    const kept = await postNote(author, PLAIN);
    for (const fan of fans) await like(fan, deleted);
    await unlike(fans[2]!, deleted);
    await like(fans[2]!, kept);
    expect(await balanceOf(author)).toBe(30 + 4 + 20 + 2);

    const res = await request(ctx.server).delete(`/v1/notes/${deleted.id}`).set(author.auth);
    expect(res.status).toBe(200);
    const revoked = (await entriesFor(author, deleted.id)).filter(
      (e) => e.reason === 'note_revoked',
    );
    expect(revoked.map((e) => e.amount)).toEqual([-34]);
    expect(await balanceOf(author)).toBe(22);
    await expectConsistent(author);
  });

  test('a note held for review earns nothing until approved, earns on approval, and a later rejection takes all back', async () => {
    const moderator = await grant('moderator');
    const author = await signUp(ctx.app);
    const fans = await members(2);
    const note = await postNote(author, { cultureTags: ['Politics'] });
    expect(note.status).toBe('pending_review');
    expect(await pointsOf(author)).toEqual({ balance: 0, entries: [] });

    expect((await moderate(moderator, note, 'approve')).status).toBe(200);
    expect(await entriesFor(author, note.id)).toEqual([
      expect.objectContaining({ reason: 'note_published', amount: 30 }),
    ]);
    for (const fan of fans) await like(fan, note);
    expect(await balanceOf(author)).toBe(34);
    expect((await moderate(moderator, note, 'approve')).status).toBe(409);
    expect(await balanceOf(author)).toBe(34);

    expect((await moderate(moderator, note, 'reject')).status).toBe(200);
    expect(await balanceOf(author)).toBe(0);
    expect((await moderate(moderator, note, 'reject')).status).toBe(409);
    expect(await balanceOf(author)).toBe(0);
    await expectConsistent(author);
  });

  test('rejecting or deleting a note that never earned writes no ledger entry', async () => {
    const moderator = await grant('moderator');
    const author = await signUp(ctx.app);
    const rejected = await postNote(author, { cultureTags: ['politics'] });
    const deleted = await postNote(author, { cultureTags: ['politics'] });
    expect((await moderate(moderator, rejected, 'reject')).status).toBe(200);
    expect(
      (await request(ctx.server).delete(`/v1/notes/${deleted.id}`).set(author.auth)).status,
    ).toBe(200);
    expect(await pointsOf(author)).toEqual({ balance: 0, entries: [] });
  });

  test('a take-back never drives the balance below 0 when points were spent on a coupon', async () => {
    const brand = await signUpBrand(ctx.app, 'Kyoto Paper Co');
    const offer = await createOffer(brand, { pointsCost: 40 });
    const author = await signUp(ctx.app);
    const fans = await members(6);
    const spent = await postNote(author, CROSS);
    const other = await postNote(author, PLAIN);
    for (const fan of fans.slice(0, 5)) await like(fan, spent);
    await like(fans[5]!, other);
    expect(await balanceOf(author)).toBe(40 + 22);

    const conversion = await convert(author, offer.id);
    expect(conversion).toMatchObject({ status: 'completed', reason: null, pointsCost: 40 });
    expect(await entriesFor(author, conversion.id)).toEqual([
      expect.objectContaining({ reason: 'conversion', amount: -40 }),
    ]);
    expect(await balanceOf(author)).toBe(22);
    await ctx.services.conversions.settle(conversion.id);
    expect(await balanceOf(author)).toBe(22);

    // The note earned 40, but only 22 are left: the coupon's 40 stay spent.
    expect(
      (await request(ctx.server).delete(`/v1/notes/${spent.id}`).set(author.auth)).status,
    ).toBe(200);
    const revoked = (await entriesFor(author, spent.id)).find((e) => e.reason === 'note_revoked');
    expect(revoked?.amount).toBe(-22);
    expect(await balanceOf(author)).toBe(0);

    // Nothing left to take: a like removed now takes 0.
    await unlike(fans[5]!, other);
    expect(await balanceOf(author)).toBe(0);
    await expectConsistent(author);

    await postNote(author, PLAIN);
    expect(await expectConsistent(author)).toBe(20);
  });

  test('a rejection after a partial spend takes back only what the balance holds', async () => {
    const moderator = await grant('moderator');
    const brand = await signUpBrand(ctx.app);
    const offer = await createOffer(brand, { pointsCost: 25 });
    const author = await signUp(ctx.app);
    const note = await postNote(author, CROSS);
    expect((await convert(author, offer.id)).status).toBe('completed');
    expect(await balanceOf(author)).toBe(5);
    expect((await moderate(moderator, note, 'reject')).status).toBe(200);
    const revoked = (await entriesFor(author, note.id)).find((e) => e.reason === 'note_revoked');
    expect(revoked?.amount).toBe(-5);
    expect(await expectConsistent(author)).toBe(0);
  });

  test('GET /v1/me/points pages its entries newest first; anonymous is 401', async () => {
    const author = await signUp(ctx.app);
    for (let i = 0; i < 5; i += 1) await postNote(author);
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const res = await request(ctx.server)
        .get('/v1/me/points')
        .set(author.auth)
        .query({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      expect(res.body.balance).toBe(100);
      sizes.push(res.body.entries.data.length);
      seen.push(...(res.body.entries.data as Entry[]).map((e) => e.id));
      cursor = res.body.entries.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual([...seen].sort().reverse());
    expect(new Set(seen).size).toBe(5);
    const anonymous = await request(ctx.server).get('/v1/me/points');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.type).toBe('authentication');
  });
});

describe('NOTE_POINTS', () => {
  const ctx = useTestApp({ env: { NOTE_POINTS: '50' }, listen: true });
  const { postNote, like, balanceOf, expectConsistent } = ledgerClient(ctx);

  test('NOTE_POINTS=50: a plain note earns 50, a cross-cultural one 60; likes stay 2', async () => {
    const author = await signUp(ctx.app);
    const fan = await signUp(ctx.app);
    const plain = await postNote(author, PLAIN);
    expect(await balanceOf(author)).toBe(50);
    await postNote(author, { cultureTags: ['tea'] });
    expect(await balanceOf(author)).toBe(110);
    await like(fan, plain);
    expect(await balanceOf(author)).toBe(112);
    const res = await request(ctx.server).delete(`/v1/notes/${plain.id}`).set(author.auth);
    expect(res.status).toBe(200);
    expect(await expectConsistent(author)).toBe(60);
  });
});
