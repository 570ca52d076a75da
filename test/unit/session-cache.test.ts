import { SessionCache } from '../../src/accounts/session-cache';
import type { Redis } from '../../src/redis/connection';

/** Records the keys of every command, and which went together in one MULTI. */
function recordingRedis() {
  const steps: Array<{ kind: 'multi' | 'single'; keys: string[] }> = [];
  const redis = {
    multi() {
      const keys: string[] = [];
      const chain = {
        set: (key: string) => (keys.push(key), chain),
        sadd: (key: string) => (keys.push(key), chain),
        expire: (key: string) => (keys.push(key), chain),
        exec: async () => {
          steps.push({ kind: 'multi', keys });
          return [];
        },
      };
      return chain;
    },
    set: async (key: string) => {
      steps.push({ kind: 'single', keys: [key] });
      return 'OK';
    },
  };
  return { steps, redis: redis as unknown as Redis };
}

describe('SessionCache.put', () => {
  test('lists the session under its user before writing it, one key per step (Redis Cluster slots)', async () => {
    const { steps, redis } = recordingRedis();
    await new SessionCache(redis, 'p').put(
      'hash1',
      {
        userId: 'usr_1',
        roles: new Set(['member']),
        brandId: null,
        country: 'JP',
        timezone: 'UTC',
      },
      new Date(Date.now() + 3_600_000),
    );
    expect(steps).toEqual([
      { kind: 'multi', keys: ['p:user-sessions:usr_1', 'p:user-sessions:usr_1'] },
      { kind: 'single', keys: ['p:session:hash1'] },
    ]);
  });
});
