/**
 * The daily points cap against time-zone changes (issue 19.6): the cap holds per real day
 * whatever the member does with their zone; a ledger day's zone is fixed when it opens.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import request from 'supertest';
import { ManualClock } from '../../../src/clock';
import { selectRows } from '../../../src/db/sql';
import { signUp, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const clock = new ManualClock(DateTime.fromISO('2030-01-10T08:00:00Z'));
const ctx = useTestApp({ clock });

const at = (iso: string) => clock.set(DateTime.fromISO(iso));

/** A cross-cultural note: 30 points wanted. */
async function postNote(member: TestUser): Promise<void> {
  const res = await request(ctx.app)
    .post('/v1/notes')
    .set(member.auth)
    .send({
      clientId: randomUUID(),
      title: 'Tea',
      body: 'Whisked.',
      languages: ['ja', 'en'],
    });
  expect(res.status).toBe(201);
}

async function moveTo(member: TestUser, timezone: string): Promise<void> {
  const res = await request(ctx.app).patch('/v1/me').set(member.auth).send({ timezone });
  expect(res.status).toBe(200);
}

async function balanceOf(member: TestUser): Promise<number> {
  const res = await request(ctx.app).get('/v1/me/points').set(member.auth);
  return res.body.balance as number;
}

async function earnings(member: TestUser): Promise<Array<{ amount: number; at: number }>> {
  const rows = await selectRows<{ amount: number; createdAt: Date }>(
    ctx.db,
    'SELECT amount, created_at AS createdAt FROM point_entries WHERE member_id = ? AND amount > 0',
    [member.id],
  );
  return rows.map((r) => ({ amount: r.amount, at: r.createdAt.getTime() }));
}

test('at the cap, switching to Pacific/Kiritimati earns nothing more until the open day ends', async () => {
  at('2030-01-10T08:00:00Z');
  const member = await signUp(ctx.app, { timezone: 'UTC' });
  for (let i = 0; i < 7; i += 1) await postNote(member);
  expect(await balanceOf(member)).toBe(200);

  at('2030-01-10T10:30:00Z'); // 00:30 on the 11th in Kiritimati, still the 10th in UTC
  await moveTo(member, 'Pacific/Kiritimati');
  await postNote(member);
  expect(await balanceOf(member)).toBe(200);

  at('2030-01-10T23:59:59Z');
  await postNote(member);
  expect(await balanceOf(member)).toBe(200);

  // The UTC day it opened in is over: a new day, in Kiritimati, that runs at least 24 h.
  at('2030-01-11T00:00:01Z');
  await postNote(member);
  expect(await balanceOf(member)).toBe(230);
  for (let i = 0; i < 7; i += 1) await postNote(member);
  expect(await balanceOf(member)).toBe(400);
  at('2030-01-12T09:59:59Z'); // 23:59:59 on the 12th in Kiritimati
  await postNote(member);
  expect(await balanceOf(member)).toBe(400);
  at('2030-01-12T10:00:00Z'); // Kiritimati midnight: days follow its midnights again
  await postNote(member);
  expect(await balanceOf(member)).toBe(430);
});

test('hopping between zones every 2 hours for 2 days: no real 24 h earns more than 400, nor any day 200', async () => {
  const zones = [
    'Pacific/Kiritimati',
    'Pacific/Pago_Pago',
    'Asia/Tokyo',
    'America/Los_Angeles',
    'Pacific/Kiritimati',
    'UTC',
  ];
  at('2030-02-01T00:30:00Z');
  const member = await signUp(ctx.app, { timezone: 'Pacific/Pago_Pago' });
  for (let step = 0; step < 24; step += 1) {
    at(
      DateTime.fromISO('2030-02-01T00:30:00Z')
        .plus({ hours: 2 * step })
        .toISO()!,
    );
    await moveTo(member, zones[step % zones.length]!);
    for (let i = 0; i < 3; i += 1) await postNote(member);
  }
  const earned = await earnings(member);
  const day = 24 * 3600_000;
  const worst = Math.max(
    ...earned.map((start) =>
      earned
        .filter((e) => e.at >= start.at && e.at < start.at + day)
        .reduce((sum, e) => sum + e.amount, 0),
    ),
  );
  expect(worst).toBeLessThanOrEqual(400);
  const days = await selectRows<{ earned: number }>(
    ctx.db,
    'SELECT earned FROM point_days WHERE member_id = ?',
    [member.id],
  );
  expect(days.every((d) => d.earned <= 200)).toBe(true);
});
