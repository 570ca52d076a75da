import { Cluster, type Redis } from 'ioredis';
import { SessionCache } from '../../../src/accounts/session-cache';
import type { AuthContext } from '../../../src/http/auth-context';
import { deleteKeys } from '../../../src/redis/connection';
import { until } from '../../support/fixtures';
import { uniqueTestName } from '../../support/test-env';
import { monitorRedis, type RedisMonitor } from '../../support/redis-monitor';
import { openTestRedis } from '../../support/test-redis';

/** A command the test Redis ran, as MONITOR reports it. */
interface Ran {
  time: number;
  command: string;
  key: string | undefined;
  source: string;
}

const prefix = uniqueTestName();
let redis: Redis | Cluster;
let monitors: RedisMonitor[];
const ran: Ran[] = [];

beforeAll(async () => {
  redis = await openTestRedis();
  // Every node of a Redis Cluster reports only what it runs itself.
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  monitors = await Promise.all(
    nodes.map((node) =>
      monitorRedis(node.options.host!, node.options.port!, ({ time, source, args }) =>
        ran.push({ time, command: args[0]!.toLowerCase(), key: args[1], source }),
      ),
    ),
  );
});

afterAll(async () => {
  for (const monitor of monitors) monitor.close();
  await deleteKeys(redis, `${prefix}:*`);
  redis.disconnect();
});

const auth = (userId: string): AuthContext => ({
  userId,
  roles: new Set(['member']),
  brandId: null,
  country: 'JP',
  timezone: 'UTC',
});
const inAnHour = () => new Date(Date.now() + 3_600_000);

describe('SessionCache.put', () => {
  test('lists the session under its user before writing it, one key per step (Redis Cluster slots)', async () => {
    const cache = new SessionCache(redis, prefix);
    const [userKey, sessionKey] = [`${prefix}:user-sessions:usr_1`, `${prefix}:session:hash1`];
    await cache.put('hash1', auth('usr_1'), inAnHour());

    const ours = await until('the session write in MONITOR', async () => {
      const keyed = ran.filter((entry) => entry.key?.startsWith(`${prefix}:`));
      return keyed.some((entry) => entry.key === sessionKey) ? keyed : null;
    });
    // With the MULTI and EXEC the cache's connections sent around them.
    const sources = new Set(ours.map((entry) => entry.source));
    const steps = ran
      .filter((entry) => sources.has(entry.source))
      .filter(
        (entry) => entry.key?.startsWith(`${prefix}:`) || /^(multi|exec)$/.test(entry.command),
      )
      .sort((a, b) => a.time - b.time)
      .map((entry) => [entry.command, entry.key].filter(Boolean).join(' '));
    expect(steps).toEqual([
      'multi',
      `sadd ${userKey}`,
      `expire ${userKey}`,
      'exec',
      `set ${sessionKey}`,
    ]);
  });

  test('what was put is read back, until the user is forgotten or the token revoked', async () => {
    const cache = new SessionCache(redis, prefix);
    await cache.put('hash2', auth('usr_2'), inAnHour());
    await cache.put('hash3', auth('usr_2'), inAnHour());
    expect(await cache.get('hash2')).toEqual(auth('usr_2'));
    const ttl = await redis.ttl(`${prefix}:session:hash2`);
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);

    await cache.forgetUser('usr_2');
    expect(await cache.get('hash2')).toBeNull();
    expect(await cache.get('hash3')).toBeNull();
    expect(await redis.exists(`${prefix}:user-sessions:usr_2`)).toBe(0);

    await cache.put('hash4', auth('usr_3'), inAnHour());
    await cache.revoke('usr_3', ['hash4']);
    expect(await cache.get('hash4')).toBe('revoked');
    // A lookup that raced the revocation cannot put the session back.
    await cache.put('hash4', auth('usr_3'), inAnHour());
    expect(await cache.get('hash4')).toBe('revoked');
  });

  test('a session whose token has expired is not written', async () => {
    const cache = new SessionCache(redis, prefix);
    await cache.put('hash5', auth('usr_4'), new Date(Date.now() - 1000));
    expect(await cache.get('hash5')).toBeNull();
    expect(await redis.exists(`${prefix}:user-sessions:usr_4`)).toBe(0);
  });
});
