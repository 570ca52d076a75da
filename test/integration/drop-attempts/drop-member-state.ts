/**
 * What a drop page shows without answering: `soldOut` and `nextHintAt` on the public
 * view, and GET .../me, the signed-in member's attempts left, units held and reservations.
 */
import request from 'supertest';
import { selectOne } from '../../../src/db/sql';
import { createDrop, PUZZLE, waitForStatus } from '../../support/drops';
import { eventually, signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const ctx = useTestApp({ listen: true, workers: true });
let brand: TestUser;

beforeAll(async () => {
  brand = await signUpBrand(ctx.app, 'Sold Out Co');
});

const attempt = (member: TestUser, dropId: string, answer: string) =>
  request(ctx.server)
    .post(`/v1/campaigns/drops/${dropId}/attempts`)
    .set(member.auth)
    .send({ answer });
const view = async (dropId: string, viewer?: TestUser) => {
  const res = await request(ctx.server)
    .get(`/v1/campaigns/drops/${dropId}`)
    .set(viewer?.auth ?? {});
  expect(res.status).toBe(200);
  return res.body;
};
const listed = async (dropId: string) => {
  const res = await request(ctx.server).get(`/v1/campaigns/drops?brandId=${brand.brandId}`);
  return res.body.data.find((drop: { id: string }) => drop.id === dropId);
};
const standing = async (member: TestUser, dropId: string) => {
  const res = await request(ctx.server).get(`/v1/campaigns/drops/${dropId}/me`).set(member.auth);
  expect(res.status).toBe(200);
  return res.body;
};

describe('soldOut', () => {
  test('true once the last unit is won, false again when its reservation lapses', async () => {
    const { drop } = await createDrop(ctx.app, brand, { stock: 1, reservationMinutes: 0.1 });
    expect((await view(drop.id)).soldOut).toBe(false);
    await waitForStatus(ctx.app, drop.id, 'live');
    expect((await view(drop.id)).soldOut).toBe(false);
    const [winner, late] = [await signUp(ctx.app), await signUp(ctx.app)];

    const won = await attempt(winner, drop.id, 'Mount Fuji');
    expect(won.body.correct).toBe(true);
    expect((await view(drop.id)).soldOut).toBe(true);
    expect((await listed(drop.id)).soldOut).toBe(true);
    expect(await standing(winner, drop.id)).toEqual({
      dropId: drop.id,
      attemptsLeft: 10,
      unitsHeld: 1,
      limitReached: true,
      reservations: [
        {
          expiresAt: won.body.reservation.expiresAt,
          purchaseUrl: won.body.reservation.purchaseUrl,
        },
      ],
    });
    expect(await standing(late, drop.id)).toMatchObject({
      unitsHeld: 0,
      limitReached: false,
      reservations: [],
    });

    await eventually(
      async () =>
        (
          await selectOne<{ status: string }>(
            ctx.db,
            'SELECT status FROM drop_reservations WHERE drop_id = ?',
            [drop.id],
          )
        )?.status === 'expired',
      15_000,
    );
    // The expiry gives the unit back to the pool right after its commit.
    await eventually(async () => (await view(drop.id)).soldOut === false, 5_000);
    expect((await listed(drop.id)).soldOut).toBe(false);
    expect(await standing(winner, drop.id)).toMatchObject({
      unitsHeld: 0,
      limitReached: false,
      reservations: [],
    });
    expect((await attempt(late, drop.id, 'Mount Fuji')).body.correct).toBe(true);
    expect((await view(drop.id)).soldOut).toBe(true);
  });
});

describe("a member's standing", () => {
  test('attempts left counts down with wrong answers, per member, and survives coming back', async () => {
    const { drop } = await createDrop(ctx.app, brand, { maxAttemptsPerUser: 10 }, 1_000);
    const [player, newcomer] = [await signUp(ctx.app), await signUp(ctx.app)];
    expect((await standing(player, drop.id)).attemptsLeft).toBe(10);
    await waitForStatus(ctx.app, drop.id, 'live');
    for (let i = 0; i < 7; i++) await attempt(player, drop.id, `Mount Takao ${i}`);
    expect(await standing(player, drop.id)).toEqual({
      dropId: drop.id,
      attemptsLeft: 3,
      unitsHeld: 0,
      limitReached: false,
      reservations: [],
    });
    expect((await standing(newcomer, drop.id)).attemptsLeft).toBe(10);
    for (let i = 0; i < 3; i++) await attempt(player, drop.id, `Mount Aso ${i}`);
    expect((await standing(player, drop.id)).attemptsLeft).toBe(0);
    expect((await attempt(player, drop.id, 'Mount Fuji')).body.error.code).toBe(
      'attempts_exhausted',
    );
  });

  test('is for signed-in members only, and a 404 for an unknown drop', async () => {
    const { drop } = await createDrop(ctx.app, brand, {}, 3_600_000);
    expect((await request(ctx.server).get(`/v1/campaigns/drops/${drop.id}/me`)).status).toBe(401);
    const member = await signUp(ctx.app);
    const missing = await request(ctx.server)
      .get('/v1/campaigns/drops/drp_00000000000000000000000000/me')
      .set(member.auth);
    expect(missing.status).toBe(404);
    expect(missing.body.error.type).toBe('not_found');
  });
});

describe('nextHintAt', () => {
  const lockedText = PUZZLE.hints[1]!.text.en;

  test('names when the locked hint unlocks, never its text; null for the brand, who sees all', async () => {
    // Long enough for the second hint (24 hours in) to unlock while it runs.
    const { drop } = await createDrop(ctx.app, brand, { durationHours: 48 }, 400);
    const scheduled = await view(drop.id);
    expect(scheduled.puzzle.hints).toEqual([]);
    expect(scheduled.nextHintAt).toBe(scheduled.startsAt);
    await waitForStatus(ctx.app, drop.id, 'live');

    const live = await view(drop.id);
    expect(live.puzzle.hints).toEqual([PUZZLE.hints[0]]);
    expect(live.nextHintAt).toBe(
      new Date(Date.parse(live.startsAt) + 24 * 3_600_000).toISOString(),
    );
    const member = await signUp(ctx.app);
    for (const body of [live, await listed(drop.id), await view(drop.id, member)])
      expect(JSON.stringify(body)).not.toContain(lockedText);
    expect(JSON.stringify(await standing(member, drop.id))).not.toContain(lockedText);

    const own = await view(drop.id, brand);
    expect(own.puzzle.hints).toEqual(PUZZLE.hints);
    expect(own.nextHintAt).toBeNull();
  });

  test('null for a hint due after the end, and once the drop is canceled', async () => {
    const late = [{ afterHours: 2, text: { en: 'After the end.' } }];
    const { drop: short } = await createDrop(ctx.app, brand, {
      durationHours: 1,
      puzzle: { ...PUZZLE, hints: late },
    });
    const shortView = await view(short.id);
    expect(shortView.puzzle.hints).toEqual([]);
    expect(shortView.nextHintAt).toBeNull();

    const { drop } = await createDrop(ctx.app, brand);
    expect((await view(drop.id)).nextHintAt).not.toBeNull();
    const canceled = await request(ctx.app)
      .post(`/v1/campaigns/drops/${drop.id}/cancel`)
      .set(brand.auth);
    expect(canceled.status).toBe(200);
    const after = await view(drop.id);
    expect(after.status).toBe('canceled');
    expect(after.nextHintAt).toBeNull();
  });

  test('a hint three seconds in shows from nextHintAt on, and nextHintAt is then null', async () => {
    const hints = [{ afterHours: 3 / 3600, text: { en: 'Three seconds in.' } }];
    const { drop } = await createDrop(ctx.app, brand, { puzzle: { ...PUZZLE, hints } }, 300);
    await waitForStatus(ctx.app, drop.id, 'live');
    const first = await view(drop.id);
    const unlocksAt = new Date(Date.parse(first.startsAt) + 3_000).toISOString();
    // However slow the machine, the two fields agree: hidden with its time, or shown without.
    expect([first.puzzle.hints, first.nextHintAt]).toEqual(
      first.puzzle.hints.length === 0 ? [[], unlocksAt] : [hints, null],
    );
    await eventually(async () => Date.now() >= Date.parse(unlocksAt), 10_000);
    const after = await view(drop.id);
    expect(after.puzzle.hints).toEqual(hints);
    expect(after.nextHintAt).toBeNull();
  });
});
