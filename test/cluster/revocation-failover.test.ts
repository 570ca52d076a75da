import type { Cluster, Redis } from 'ioredis';
import { Db } from '../../src/db/db';
import { E2eServices } from '../support/e2e';
import { until } from '../support/fixtures';
import { SignedInProcesses } from '../support/signed-in-processes';
import { openTestRedis } from '../support/test-redis';
import { killRedisNode, redisMasterPortOf, restoreClusters } from './cluster-nodes';

const services = new E2eServices();
let db: Db;
let redis: Redis | Cluster;

beforeAll(async () => {
  db = new Db(services.env.DATABASE_URL!, { poolMax: 2 });
  redis = await openTestRedis();
});

afterAll(async () => {
  redis?.disconnect();
  await db?.close();
  await services.cleanup();
  await restoreClusters();
}, 240_000);

/** Signs a token in on `here`, caches it in both, signs it out on `here`: what `there` answers next. */
async function signedOutThenAsked(
  member: SignedInProcesses,
  here: string,
  there: string,
): Promise<{ logout: number; there: number; logoutMs: number }> {
  const token = await member.signIn(here);
  for (const api of [there, here]) expect(await member.me(api, token)).toBe(200);
  const started = Date.now();
  const logout = await member.logout(here, token);
  const logoutMs = Date.now() - started;
  return { logout, there: await member.me(there, token), logoutMs };
}

test('the Redis master of the revocation channel killed: no signed-out token is accepted, during or after the failover', async () => {
  const apis = [(await services.start('api')).url, (await services.start('api')).url];
  const [a, b] = [apis[0]!, apis[1]!];
  const member = new SignedInProcesses(services, db, redis, 'revocation@failover.test');
  await member.signUp(a);
  for (const api of apis)
    await until('the process to cache tokens', () => member.servesFromItsCache(api));

  const tokens = await Promise.all(Array.from({ length: 10 }, () => member.signIn(a)));
  for (const token of tokens)
    for (const api of [b, a]) expect(await member.me(api, token)).toBe(200);

  const killedAt = Date.now();
  killRedisNode(await redisMasterPortOf(`${services.env.REDIS_PREFIX}:revocations`));

  // Tokens both processes had cached, signed out while the channel's master is down.
  for (const token of tokens) {
    expect(await member.logout(a, token)).toBe(204);
    expect(await member.me(b, token)).toBe(401);
  }
  const duringMs = Date.now() - killedAt;

  // Each process subscribes again on the promoted replica and trusts its cache again.
  for (const api of apis)
    await until('the process to cache tokens again', () => member.servesFromItsCache(api), 30_000);
  const cachingAgainMs = Date.now() - killedAt;
  const after = [];
  for (let i = 0; i < 20; i += 1)
    after.push(await signedOutThenAsked(member, i % 2 === 0 ? a : b, i % 2 === 0 ? b : a));
  expect(after.map(({ logout, there }) => [logout, there])).toEqual(Array(20).fill([204, 401]));
  console.info(
    `revocation failover: 10 logouts answered ${duringMs} ms after the kill, ` +
      `both processes caching again after ${cachingAgainMs} ms`,
  );
}, 120_000);
