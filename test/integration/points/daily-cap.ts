import { DateTime } from 'luxon';
import request from 'supertest';
import { ManualClock } from '../../../src/clock';
import { memberDay } from '../../../src/points/point-rules';
import { signUp, type TestUser } from '../../support/fixtures';
import { type Note, draft, CROSS, ledgerClient } from '../../support/ledger';
import { useTestApp } from '../../support/test-app';

describe('the daily cap of 200, in the member’s own time zone', () => {
  const clock = new ManualClock(DateTime.fromISO('2030-01-10T08:00:00Z'));
  const ctx = useTestApp({ clock, env: { MODERATION_TAGS: 'politics' }, listen: true });
  const {
    postNote,
    like,
    unlike,
    balanceOf,
    entriesFor,
    expectConsistent,
    members,
    grant,
    moderate,
  } = ledgerClient(ctx);
  const at = (iso: string) => clock.set(DateTime.fromISO(iso));

  /** Six cross-cultural notes (180) and one more (30, of which 20 fit): 200 for the day. */
  async function earnTheDay(member: TestUser): Promise<void> {
    for (let i = 0; i < 7; i += 1) await postNote(member, CROSS);
    expect(await balanceOf(member)).toBe(200);
  }

  test('the note that crosses the cap earns what is left; the next earns 0, still recorded', async () => {
    at('2030-01-10T08:00:00Z');
    const member = await signUp(ctx.app, { timezone: 'UTC' });
    const notes: Note[] = [];
    for (let i = 0; i < 6; i += 1) notes.push(await postNote(member, CROSS));
    expect(await balanceOf(member)).toBe(180);
    const crossing = await postNote(member, CROSS);
    expect(await entriesFor(member, crossing.id)).toEqual([
      expect.objectContaining({ reason: 'note_published', amount: 20 }),
    ]);
    const over = await postNote(member, CROSS);
    expect(await entriesFor(member, over.id)).toEqual([
      expect.objectContaining({ reason: 'note_published', amount: 0 }),
    ]);
    expect(await expectConsistent(member)).toBe(200);
  });

  test('likes count toward the same cap; a like over it earns 0 and its removal takes 0', async () => {
    at('2030-01-10T08:00:00Z');
    const member = await signUp(ctx.app, { timezone: 'Asia/Tokyo' });
    const fans = await members(1);
    for (let i = 0; i < 6; i += 1) await postNote(member, CROSS);
    const liked = await postNote(member, { languages: ['ja'] });
    expect(await balanceOf(member)).toBe(180 + 20);
    // Tokyo's day (17:00 local) is full: a like earns nothing, but is recorded.
    await like(fans[0]!, liked);
    expect(await balanceOf(member)).toBe(200);
    expect(await entriesFor(member, `${liked.id}:${fans[0]!.id}`)).toEqual([
      expect.objectContaining({ reason: 'like_received', amount: 0 }),
    ]);
    await unlike(fans[0]!, liked);
    expect(await balanceOf(member)).toBe(200);
    await expectConsistent(member);
  });

  test('a like over the cap earns 0; on the next day the same note’s likes earn again', async () => {
    at('2030-01-10T08:00:00Z');
    const member = await signUp(ctx.app, { timezone: 'UTC' });
    const fans = await members(3);
    for (let i = 0; i < 6; i += 1) await postNote(member, CROSS);
    const note = await postNote(member, { languages: ['ja'], cultureTags: [] });
    expect(await balanceOf(member)).toBe(200);
    await like(fans[0]!, note);
    expect(await balanceOf(member)).toBe(200);
    // Next day, the same note's likes earn again.
    at('2030-01-11T08:00:00Z');
    await like(fans[1]!, note);
    await like(fans[2]!, note);
    expect(await balanceOf(member)).toBe(204);
    await expectConsistent(member);
  });

  test('Kiritimati (UTC+14): local midnight starts a new day although the UTC date is the same', async () => {
    at('2030-01-10T09:50:00Z'); // 23:50 on the 10th in Kiritimati, 09:50 on the 10th in UTC
    const islander = await signUp(ctx.app, { timezone: 'Pacific/Kiritimati' });
    const londoner = await signUp(ctx.app, { timezone: 'UTC' });
    await earnTheDay(islander);
    await earnTheDay(londoner);

    at('2030-01-10T10:00:01Z'); // 00:00:01 on the 11th in Kiritimati, still the 10th in UTC
    expect(memberDay(clock.now().toJSDate(), 'Pacific/Kiritimati')).toBe('2030-01-11');
    await postNote(islander, CROSS);
    await postNote(londoner, CROSS);
    expect(await balanceOf(islander)).toBe(230);
    expect(await balanceOf(londoner)).toBe(200);

    at('2030-01-11T00:00:01Z'); // the 11th in UTC too
    await postNote(londoner, CROSS);
    expect(await balanceOf(londoner)).toBe(230);
    await expectConsistent(islander);
    await expectConsistent(londoner);
  });

  test('Los Angeles (UTC-8): the UTC date changing does not start a new local day', async () => {
    at('2030-01-10T23:50:00Z'); // 15:50 on the 10th in Los Angeles
    const member = await signUp(ctx.app, { timezone: 'America/Los_Angeles' });
    await earnTheDay(member);
    at('2030-01-11T00:10:00Z'); // the 11th in UTC, 16:10 on the 10th in Los Angeles
    await postNote(member, CROSS);
    expect(await balanceOf(member)).toBe(200);
    at('2030-01-11T08:00:01Z'); // 00:00:01 on the 11th in Los Angeles
    await postNote(member, CROSS);
    expect(await balanceOf(member)).toBe(230);
    await expectConsistent(member);
  });

  test('Tokyo (UTC+9): 14:59:59 UTC is still today, 15:00 UTC is tomorrow', async () => {
    at('2030-01-10T14:30:00Z');
    const member = await signUp(ctx.app, { timezone: 'Asia/Tokyo' });
    await earnTheDay(member);
    at('2030-01-10T14:59:59Z');
    await postNote(member, CROSS);
    expect(await balanceOf(member)).toBe(200);
    at('2030-01-10T15:00:00Z');
    await postNote(member, CROSS);
    expect(await balanceOf(member)).toBe(230);
    await expectConsistent(member);
  });

  test('a note approved on a later day earns on the day of approval', async () => {
    at('2030-01-10T08:00:00Z');
    const moderator = await grant('moderator');
    const member = await signUp(ctx.app, { timezone: 'UTC' });
    await earnTheDay(member);
    const held = await postNote(member, { cultureTags: ['politics'] });
    expect(held.status).toBe('pending_review');
    at('2030-01-11T09:00:00Z');
    expect((await moderate(moderator, held, 'approve')).status).toBe(200);
    expect(await balanceOf(member)).toBe(230);
    await expectConsistent(member);
  });

  test('10 notes at once on a fresh day still earn exactly 200', async () => {
    at('2030-01-12T08:00:00Z');
    const member = await signUp(ctx.app, { timezone: 'Europe/Berlin' });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        request(ctx.server).post('/v1/notes').set(member.auth).send(draft(CROSS)),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    expect(await expectConsistent(member)).toBe(200);
  });
});
