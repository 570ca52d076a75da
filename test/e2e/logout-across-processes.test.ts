import type { Cluster, Redis } from 'ioredis';
import { Db } from '../../src/db/db';
import { E2eServices } from '../support/e2e';
import { until } from '../support/fixtures';
import { SignedInProcesses } from '../support/signed-in-processes';
import { openTestRedis } from '../support/test-redis';

/*
 * Two API processes, each with its own Redis connections and (on a Galera cluster) its own
 * database node: a token signed out through one must be refused by the other on the very next
 * request, though the other holds it in its in-process token cache (a few seconds).
 * Under `npm run test:cluster` this runs on the Redis Cluster, where a revocation message
 * published on one node reaches subscribers on other nodes later (src/accounts/revocations.ts).
 */
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
});

test('50 tokens signed out through one API process are each refused at once by the other, which had cached them', async () => {
  // One after the other: the first start makes the database.
  const apis = [(await services.start('api')).url, (await services.start('api')).url];
  const member = new SignedInProcesses(services, db, redis, 'logout@across.test');
  await member.signUp(apis[0]!);
  for (const api of apis)
    await until('the process to cache tokens', () => member.servesFromItsCache(api));

  const acceptedAfterLogout: number[] = [];
  for (let i = 0; i < 50; i += 1) {
    const [here, there] = i % 2 === 0 ? [apis[0]!, apis[1]!] : [apis[1]!, apis[0]!];
    const token = await member.signIn(here);
    for (const api of [there, here, there]) expect(await member.me(api, token)).toBe(200);

    expect(await member.logout(here, token)).toBe(204);

    if ((await member.me(there, token)) !== 401) acceptedAfterLogout.push(i);
    expect(await member.me(here, token)).toBe(401);
  }
  expect(acceptedAfterLogout).toEqual([]);
  // The caches were in use throughout, so the refusals above were not cache misses.
  for (const api of apis) expect(await member.servesFromItsCache(api)).toBe(true);
}, 120_000);
