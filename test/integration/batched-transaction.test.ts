import { batchedTransaction, execute, selectOne, type BatchedTransaction } from '../../src/db/sql';
import { useTestApp } from '../support/test-app';

const ctx = useTestApp();

beforeAll(async () => {
  await ctx.sequelize.query(
    'CREATE TABLE batch_probe (id VARCHAR(16) PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB',
  );
});

beforeEach(async () => {
  await ctx.sequelize.query('DELETE FROM batch_probe');
  await ctx.sequelize.query("INSERT INTO batch_probe (id, n) VALUES ('a', 10)");
});

const valueOf = async (id: string) =>
  (await selectOne<{ n: number }>(ctx.sequelize, 'SELECT n FROM batch_probe WHERE id = ?', [id]))
    ?.n;

/** Counts the round trips a transaction makes on its connection. */
function counted(transaction: BatchedTransaction): { trips: number } {
  const raw = (transaction as unknown as { raw: { query: (...args: unknown[]) => unknown } }).raw;
  const counter = { trips: 0 };
  const query = raw.query.bind(raw);
  raw.query = (...args: unknown[]) => {
    counter.trips += 1;
    return query(...args);
  };
  return counter;
}

describe('BatchedTransaction', () => {
  test('BEGIN rides with the first statement and deferred writes with the COMMIT: two round trips', async () => {
    let counter = { trips: 0 };
    await batchedTransaction(ctx.sequelize, async (tx) => {
      counter = counted(tx);
      const changed = await execute(
        ctx.sequelize,
        "UPDATE batch_probe SET n = n - 1 WHERE id = 'a' AND n >= 1",
        [],
        tx,
      );
      expect(changed).toBe(1);
      tx.atCommit(["INSERT INTO batch_probe (id, n) VALUES ('b', ?)", [1]]);
      tx.atCommit(["INSERT INTO batch_probe (id, n) VALUES ('c', ?)", [2]]);
    });
    expect(counter.trips).toBe(2);
    expect([await valueOf('a'), await valueOf('b'), await valueOf('c')]).toEqual([9, 1, 2]);
  });

  test('a deferred write that fails at COMMIT undoes everything before it', async () => {
    await expect(
      batchedTransaction(ctx.sequelize, async (tx) => {
        await execute(ctx.sequelize, "UPDATE batch_probe SET n = n - 1 WHERE id = 'a'", [], tx);
        tx.atCommit(["INSERT INTO batch_probe (id, n) VALUES ('b', 1)", []]);
        // Duplicate key: the batch stops here, COMMIT is never reached.
        tx.atCommit(["INSERT INTO batch_probe (id, n) VALUES ('a', 1)", []]);
      }),
    ).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    expect(await valueOf('a')).toBe(10);
    expect(await valueOf('b')).toBeUndefined();
  });

  test('work that throws after a write rolls it back, and the connection is clean for the next user', async () => {
    await expect(
      batchedTransaction(ctx.sequelize, async (tx) => {
        await execute(ctx.sequelize, "UPDATE batch_probe SET n = 0 WHERE id = 'a'", [], tx);
        tx.atCommit(["INSERT INTO batch_probe (id, n) VALUES ('b', 1)", []]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await valueOf('a')).toBe(10);
    expect(await valueOf('b')).toBeUndefined();
    // Every pooled connection is out of any transaction: a write through each one sticks.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        execute(ctx.sequelize, 'INSERT INTO batch_probe (id, n) VALUES (?, ?)', [`p${i}`, i]),
      ),
    );
    expect(
      await selectOne(ctx.sequelize, "SELECT COUNT(*) AS n FROM batch_probe WHERE id LIKE 'p%'"),
    ).toEqual({ n: 10 });
  });

  test('a batch answers each statement with its own result, values bound in order', async () => {
    const results = await batchedTransaction(ctx.sequelize, (tx) =>
      tx.batch([
        ['SELECT n FROM batch_probe WHERE id = ? FOR UPDATE', ['a']],
        ['SELECT ? AS x, ? AS y', ['p;q', "it's"]],
        ['UPDATE batch_probe SET n = n + 1 WHERE id IN (?)', [['a', 'zz']]],
      ]),
    );
    expect(results[0]).toEqual([{ n: 10 }]);
    expect(results[1]).toEqual([{ x: 'p;q', y: "it's" }]);
    expect(results[2]).toMatchObject({ affectedRows: 1 });
    expect(await valueOf('a')).toBe(11);
  });
});
