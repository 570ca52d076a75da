/**
 * The open switch as members see it: a drop reads live only once its pool takes attempts, and
 * a winner between the pool going up and the switch committing is recorded, not refused. The
 * switch is run by hand here (no workers), held before and after the pool goes up.
 */
import request from 'supertest';
import { DropState } from '../../../campaigns/drops/drop-state';
import { selectOne } from '../../../src/db/sql';
import { createDrop } from '../../support/drops';
import { eventually, signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const ctx = useTestApp({ listen: true });

const attempt = (member: TestUser, dropId: string) =>
  request(ctx.server)
    .post(`/v1/campaigns/drops/${dropId}/attempts`)
    .set(member.auth)
    .send({ answer: 'Mount Fuji' });

const statusOf = async (dropId: string) =>
  (await request(ctx.server).get(`/v1/campaigns/drops/${dropId}`)).body.status as string;

function gate() {
  let open!: () => void;
  const passed = new Promise<void>((resolve) => (open = resolve));
  return { open, passed };
}

afterEach(() => jest.restoreAllMocks());

test('a drop reads live only once attempts are taken; a winner while it opens is recorded', async () => {
  const brand = await signUpBrand(ctx.app, 'Opening Hour Co');
  const member = await signUp(ctx.app);
  // Due a second ago: the open job would switch it now.
  const { drop } = await createDrop(ctx.app, brand, { stock: 1 }, -1000);
  const [beforePool, letPoolUp, afterPool, letCommit] = [gate(), gate(), gate(), gate()];
  const putPoolUp = DropState.prototype.open;
  jest.spyOn(DropState.prototype, 'open').mockImplementationOnce(async function (
    this: DropState,
    ...args
  ) {
    beforePool.open();
    await letPoolUp.passed;
    await putPoolUp.apply(this, args);
    afterPool.open();
    await letCommit.passed;
  });

  const opening = ctx.services.drops.open(drop.id);
  try {
    await beforePool.passed;
    // No pool yet: the drop must not read live, as its attempts are refused.
    expect(await statusOf(drop.id)).toBe('scheduled');
    expect((await attempt(member, drop.id)).body.error?.code).toBe('drop_not_live');

    letPoolUp.open();
    await afterPool.passed;
    // The pool takes the answer; its reservation waits on the drop row the switch holds.
    const winning = attempt(member, drop.id).then((res) => res);
    // InnoDB refreshes these tables only for a reader idle 100 ms: polled faster, they never change.
    await eventually(
      () =>
        selectOne<{ n: number }>(
          ctx.db,
          `SELECT COUNT(*) AS n FROM information_schema.INNODB_LOCKS
            WHERE lock_mode = 'S' AND lock_data = ?`,
          [`'${drop.id}'`],
        ).then((row) => Number(row?.n) > 0),
      10_000,
      250,
    );
    expect(await statusOf(drop.id)).toBe('scheduled');
    letCommit.open();

    expect(await opening).toBe(true);
    const won = await winning;
    expect(won.status).toBe(200);
    expect(won.body.reservation.token).toMatch(/^rsv_/);
  } finally {
    // A failed check must not leave the switch's transaction open under the context's close.
    letPoolUp.open();
    letCommit.open();
    await opening.catch(() => false);
  }
  expect(await statusOf(drop.id)).toBe('live');
});

describe('on a pool of one MySQL connection', () => {
  const single = useTestApp({ poolMax: 1 });

  test('the open switch reads the reservations on its own connection', async () => {
    const brand = await signUpBrand(single.app, 'One Line Co');
    const { drop } = await createDrop(single.app, brand, { stock: 1 }, -1000);
    expect(await single.services.drops.open(drop.id)).toBe(true);
  });
});
