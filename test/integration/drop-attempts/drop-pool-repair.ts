/**
 * A crash splits a live drop's truth (issue 19.4): claims in Redis that MySQL never recorded,
 * stock below what is left. The split is made by hand here, as a process killed between the
 * claim and its row leaves it; the worker-start reconcile (and the 30 s sweep) sets Redis back
 * to MySQL's reservations, and leaves alone a claim young enough to be in a group commit now.
 */
import request from 'supertest';
import { execute, selectRows } from '../../../src/db/sql';
import { newId } from '../../../src/ids';
import { createDrop, waitForStatus } from '../../support/drops';
import { signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const ctx = useTestApp({ listen: true, workers: true });

const attempt = (member: TestUser, dropId: string) =>
  request(ctx.server)
    .post(`/v1/campaigns/drops/${dropId}/attempts`)
    .set(member.auth)
    .send({ answer: 'Mount Fuji' });

const MINUTES_AGO = (n: number) => Date.now() - n * 60_000;

test('reconcile sets stock and claims back to MySQL, sparing claims in flight', async () => {
  const brand = await signUpBrand(ctx.app, 'Split Truth Co');
  const [winner, orphan, inFlight, releasing] = await Promise.all(
    ['Winner', 'Orphan', 'In flight', 'Releasing'].map((displayName) =>
      signUp(ctx.app, { displayName }),
    ),
  );
  const STOCK = 10;
  const { drop } = await createDrop(ctx.app, brand, { stock: STOCK, perUserLimit: 2 });
  await waitForStatus(ctx.app, drop.id, 'live');
  expect((await attempt(winner!, drop.id)).status).toBe(200);

  const base = `${ctx.config.REDIS_PREFIX}:drop:{${drop.id}}`;
  const redis = ctx.redis;
  // The split, as a crash leaves it, minutes ago: the winner claimed a second unit and the
  // orphan two whose rows were never written; a member's release reached MySQL, not Redis.
  await execute(
    ctx.db,
    'UPDATE drop_reservations SET created_at = ?, updated_at = ? WHERE drop_id = ?',
    [new Date(MINUTES_AGO(10)), new Date(MINUTES_AGO(10)), drop.id],
  );
  await execute(
    ctx.db,
    `INSERT INTO drop_reservations (id, drop_id, user_id, token_hash, status, expires_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'expired', ?, ?, ?)`,
    [
      newId('rsv'),
      drop.id,
      releasing!.id,
      'f'.repeat(64),
      new Date(MINUTES_AGO(5)),
      new Date(MINUTES_AGO(20)),
      new Date(MINUTES_AGO(5)),
    ],
  );
  await redis.hincrby(`${base}:claims`, winner!.id, 1);
  await redis.hincrby(`${base}:claims`, orphan!.id, 2);
  await redis.hincrby(`${base}:claims`, releasing!.id, 1);
  for (const member of [winner!, orphan!, releasing!])
    await redis.hset(`${base}:claimed-at`, member.id, MINUTES_AGO(10));
  // A claim made just now, whose row may be in a group commit at this moment.
  await redis.hincrby(`${base}:claims`, inFlight!.id, 1);
  await redis.hset(`${base}:claimed-at`, inFlight!.id, Date.now());
  await redis.hincrby(`${base}:state`, 'stock', -5);
  expect(Number(await redis.hget(`${base}:state`, 'stock'))).toBe(STOCK - 1 - 5);

  // Limited early: the orphan's phantom units count against their limit.
  expect((await attempt(orphan!, drop.id)).body.error?.code).toBe('limit_reached');

  await ctx.services.drops.reconcile();

  const claims = await redis.hgetall(`${base}:claims`);
  const held = await selectRows<{ userId: string; units: number }>(
    ctx.db,
    `SELECT user_id AS userId, COUNT(*) AS units FROM drop_reservations
      WHERE drop_id = ? AND status IN ('active', 'consumed') GROUP BY user_id`,
    [drop.id],
  );
  const heldBy = Object.fromEntries(held.map((row) => [row.userId, Number(row.units)]));
  // Both stores agree for every settled member; the in-flight claim is kept.
  expect(Number(claims[winner!.id])).toBe(heldBy[winner!.id]);
  expect(heldBy[winner!.id]).toBe(1);
  expect(Number(claims[orphan!.id])).toBe(0);
  expect(Number(claims[releasing!.id])).toBe(0);
  expect(Number(claims[inFlight!.id])).toBe(1);
  expect(Number(await redis.hget(`${base}:state`, 'stock'))).toBe(STOCK - 1 - 1);

  // The orphan is no longer limited, and wins a real unit.
  const won = await attempt(orphan!, drop.id);
  expect(won.status).toBe(200);
  expect(Number(await redis.hget(`${base}:state`, 'stock'))).toBe(STOCK - 3);
});

test('a release committed in MySQL moments ago is left for Redis to receive', async () => {
  const brand = await signUpBrand(ctx.app, 'Fresh Release Co');
  const member = await signUp(ctx.app, { displayName: 'Just Released' });
  const { drop } = await createDrop(ctx.app, brand, { stock: 3 });
  await waitForStatus(ctx.app, drop.id, 'live');
  expect((await attempt(member, drop.id)).status).toBe(200);
  const base = `${ctx.config.REDIS_PREFIX}:drop:{${drop.id}}`;
  await ctx.redis.hset(`${base}:claimed-at`, member.id, MINUTES_AGO(10));
  // Released in MySQL just now; its Redis release has not run yet.
  await execute(
    ctx.db,
    `UPDATE drop_reservations SET status = 'expired', updated_at = ? WHERE drop_id = ?`,
    [new Date(), drop.id],
  );
  await ctx.services.drops.sweep();
  expect(Number(await ctx.redis.hget(`${base}:claims`, member.id))).toBe(1);
  expect(Number(await ctx.redis.hget(`${base}:state`, 'stock'))).toBe(2);
});
