import type { Cluster, Redis } from 'ioredis';
import { hashToken } from '../../src/accounts/tokens';
import { Db } from '../../src/db/db';
import { execute } from '../../src/db/sql';
import { callJson, E2eServices } from '../support/e2e';
import { until } from '../support/fixtures';
import { openTestRedis } from '../support/test-redis';

/*
 * Two API processes, each with its own Redis connections and (on a Galera cluster) its own
 * database node: a token signed out through one must be refused by the other on the very next
 * request, though the other holds it in its in-process token cache (a few seconds).
 * Under `npm run test:cluster` this runs on the Redis Cluster, where a revocation message
 * reaches the other process through whichever node it subscribed on.
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

const PASSWORD = 'logout-across-password';
const call = (url: string, method: string, token: string | null, body?: unknown) =>
  callJson<{ token: string; id: string }>(url, method, token, body);

/** Answers 204 without a body, which callJson would not parse. */
function logout(api: string, token: string): Promise<Response> {
  return fetch(`${api}/v1/auth/logout`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
}

async function signIn(api: string, email: string): Promise<string> {
  const login = await call(`${api}/v1/auth/login`, 'POST', null, { email, password: PASSWORD });
  expect(login.status).toBe(200);
  return login.body.token;
}

/**
 * True once `api` answers a token from its in-process cache: the token's MySQL row and Redis
 * session are removed behind its back, so only that cache can still sign it in.
 */
async function servesFromItsCache(api: string, email: string): Promise<boolean> {
  const token = await signIn(api, email);
  expect((await call(`${api}/v1/me`, 'GET', token)).status).toBe(200);
  await execute(db, 'DELETE FROM auth_tokens WHERE token_hash = ?', [hashToken(token)]);
  await redis.del(`${services.env.REDIS_PREFIX}:session:${hashToken(token)}`);
  return (await call(`${api}/v1/me`, 'GET', token)).status === 200;
}

test('50 tokens signed out through one API process are each refused at once by the other, which had cached them', async () => {
  // One after the other: the first start makes the database.
  const apis = [(await services.start('api')).url, (await services.start('api')).url];
  const email = 'logout@across.test';
  const signup = await call(`${apis[0]}/v1/auth/signup`, 'POST', null, {
    email,
    password: PASSWORD,
    displayName: 'Across',
    country: 'JP',
    accountType: 'member',
  });
  expect(signup.status).toBe(201);
  // Each process trusts its cache only once its revocation subscription is up.
  for (const api of apis)
    await until('the process to cache tokens', () => servesFromItsCache(api, email));

  const acceptedAfterLogout: number[] = [];
  for (let i = 0; i < 50; i += 1) {
    const [here, there] = i % 2 === 0 ? [apis[0]!, apis[1]!] : [apis[1]!, apis[0]!];
    const token = await signIn(here, email);
    for (const api of [there, here, there])
      expect((await call(`${api}/v1/me`, 'GET', token)).status).toBe(200);

    expect((await logout(here, token)).status).toBe(204);

    const next = await call(`${there}/v1/me`, 'GET', token);
    if (next.status !== 401) acceptedAfterLogout.push(i);
    expect((await call(`${here}/v1/me`, 'GET', token)).status).toBe(401);
  }
  expect(acceptedAfterLogout).toEqual([]);
  // The caches were in use throughout, so the refusals above were not cache misses.
  for (const api of apis) expect(await servesFromItsCache(api, email)).toBe(true);
}, 120_000);
