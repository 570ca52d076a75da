import { loadConfig } from '../../src/config';
import { parseDatabaseUrl } from '../../src/db/database';
import { Db } from '../../src/db/db';
import { NodeRotation, parseNodes } from '../../src/db/nodes';
import { isLockConflict, retryOnLockConflict } from '../../src/db/retry';

describe('several database nodes in DATABASE_URL', () => {
  test('hosts are read in order, with 3306 when no port is written', () => {
    const target = parseDatabaseUrl('mysql://app:s%40cret@10.0.0.1:3307,db2,[::1]:3309/shop');
    expect(target.nodes).toEqual([
      { host: '10.0.0.1', port: 3307 },
      { host: 'db2', port: 3306 },
      { host: '::1', port: 3309 },
    ]);
    expect(target.database).toBe('shop');
    expect(target.server).toMatchObject({
      host: '10.0.0.1',
      port: 3307,
      user: 'app',
      password: 's@cret',
    });
    expect(parseNodes('127.0.0.1')).toEqual([{ host: '127.0.0.1', port: 3306 }]);
  });

  test('one process stays on its node; each try after a refusal starts at the next one', () => {
    const nodes = parseNodes('a:1,b:2,c:3');
    const sticky = new NodeRotation(nodes, 1);
    expect(sticky.order().map((n) => n.host)).toEqual(['b', 'c', 'a']);
    expect(sticky.order().map((n) => n.host)).toEqual(['b', 'c', 'a']);
    sticky.settle(nodes[2]!); // b refused, c answered: later connections go to c
    expect(sticky.order().map((n) => n.host)).toEqual(['c', 'a', 'b']);
    const spread = new NodeRotation(nodes, 0, true);
    expect(
      [spread.order()[0], spread.order()[0], spread.order()[0], spread.order()[0]].map(
        (n) => n!.host,
      ),
    ).toEqual(['a', 'b', 'c', 'a']);
  });

  test('batches travel in one round trip on one server, statement by statement on a cluster', async () => {
    const single = new Db('mysql://root@127.0.0.1:3306/shop');
    const cluster = new Db('mysql://root@127.0.0.1:3307,127.0.0.1:3308/shop');
    expect([single.batching, cluster.batching]).toEqual([true, false]);
    await Promise.all([single.close(), cluster.close()]);
  });

  test('the config takes several hosts and a Redis Cluster, and names a bad seed', () => {
    const config = loadConfig({
      DATABASE_URL: 'mysql://root@127.0.0.1:3307,127.0.0.1:3308/cyberstall',
      REDIS_CLUSTER_NODES: '127.0.0.1:7001, 127.0.0.1:7002',
    });
    expect(config.REDIS_CLUSTER_NODES).toEqual(['127.0.0.1:7001', '127.0.0.1:7002']);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1' })).toThrow('REDIS_CLUSTER_NODES');
  });
});

describe('retries on lock conflicts (deadlocks, Galera certification)', () => {
  const conflict = Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK' });

  test('work that lost a race runs again until it passes', async () => {
    let calls = 0;
    const result = await retryOnLockConflict(async () => {
      calls += 1;
      if (calls < 3) throw conflict;
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  test('other errors are not retried; a conflict past the last try is thrown', async () => {
    let calls = 0;
    const other = Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY' });
    await expect(
      retryOnLockConflict(async () => {
        calls += 1;
        throw other;
      }),
    ).rejects.toBe(other);
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      retryOnLockConflict(async () => {
        calls += 1;
        throw conflict;
      }, 2),
    ).rejects.toBe(conflict);
    expect(calls).toBe(2);
    expect(isLockConflict({ parent: { code: 'ER_LOCK_DEADLOCK' } })).toBe(true);
  });
});
