import { execute, selectOne, selectRows, type Tx } from '../../src/db/sql';
import { useTestApp } from '../support/test-app';

// What one transaction does, in order, on one node: on a Galera cluster every statement stays on
// one node (writes there do not wait for what another node committed a moment before, see
// docs/scaling.md); the cross-node races are the checkout and drop suites'.
const ctx = useTestApp({ env: { DATABASE_NODE_SPREAD: 'process' } });

beforeAll(async () => {
  await ctx.db.query(
    'CREATE TABLE batch_probe (id VARCHAR(16) PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB',
  );
});

beforeEach(async () => {
  await ctx.db.query('DELETE FROM batch_probe');
  await ctx.db.query("INSERT INTO batch_probe (id, n) VALUES ('a', 10)");
});

const valueOf = async (id: string) =>
  (await selectOne<{ n: number }>(ctx.db, 'SELECT n FROM batch_probe WHERE id = ?', [id]))?.n;

/** Counts the round trips a transaction makes on its connection. */
function counted(transaction: Tx): { trips: number } {
  const raw = (transaction as unknown as { connection: { query: (...args: unknown[]) => unknown } })
    .connection;
  const counter = { trips: 0 };
  const query = raw.query.bind(raw);
  raw.query = (...args: unknown[]) => {
    counter.trips += 1;
    return query(...args);
  };
  return counter;
}

describe('a batched transaction', () => {
  test('BEGIN rides with the first statement and deferred writes with the COMMIT: two round trips', async () => {
    // On a Galera cluster batches go statement by statement (Db.batching says why).
    const trips = ctx.db.batching ? 2 : 5;
    let counter = { trips: 0 };
    await ctx.db.transaction(
      async (tx) => {
        counter = counted(tx);
        const changed = await execute(
          ctx.db,
          "UPDATE batch_probe SET n = n - 1 WHERE id = 'a' AND n >= 1",
          [],
          tx,
        );
        expect(changed).toBe(1);
        tx.atCommit(["INSERT INTO batch_probe (id, n) VALUES ('b', ?)", [1]]);
        tx.atCommit(["INSERT INTO batch_probe (id, n) VALUES ('c', ?)", [2]]);
      },
      { batched: true },
    );
    expect(counter.trips).toBe(trips);
    expect([await valueOf('a'), await valueOf('b'), await valueOf('c')]).toEqual([9, 1, 2]);
  });

  test('a deferred write that fails at COMMIT undoes everything before it', async () => {
    await expect(
      ctx.db.transaction(
        async (tx) => {
          await execute(ctx.db, "UPDATE batch_probe SET n = n - 1 WHERE id = 'a'", [], tx);
          tx.atCommit(["INSERT INTO batch_probe (id, n) VALUES ('b', 1)", []]);
          // Duplicate key: the batch stops here, COMMIT is never reached.
          tx.atCommit(["INSERT INTO batch_probe (id, n) VALUES ('a', 1)", []]);
        },
        { batched: true },
      ),
    ).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    expect(await valueOf('a')).toBe(10);
    expect(await valueOf('b')).toBeUndefined();
  });

  test('work that throws after a write rolls it back, and the connection is clean for the next user', async () => {
    await expect(
      ctx.db.transaction(
        async (tx) => {
          await execute(ctx.db, "UPDATE batch_probe SET n = 0 WHERE id = 'a'", [], tx);
          tx.atCommit(["INSERT INTO batch_probe (id, n) VALUES ('b', 1)", []]);
          throw new Error('changed my mind');
        },
        { batched: true },
      ),
    ).rejects.toThrow('changed my mind');
    expect(await valueOf('a')).toBe(10);
    expect(await valueOf('b')).toBeUndefined();
    // Every pooled connection is out of any transaction: a write through each one sticks.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        execute(ctx.db, 'INSERT INTO batch_probe (id, n) VALUES (?, ?)', [`p${i}`, i]),
      ),
    );
    expect(
      await selectOne(ctx.db, "SELECT COUNT(*) AS n FROM batch_probe WHERE id LIKE 'p%'"),
    ).toEqual({ n: 10 });
  });

  test('a batch answers each statement with its own result, values bound in order', async () => {
    const results = await ctx.db.transaction(
      (tx) =>
        tx.batch([
          ['SELECT n FROM batch_probe WHERE id = ? FOR UPDATE', ['a']],
          ['SELECT ? AS x, ? AS y', ['p;q', "it's"]],
          ['UPDATE batch_probe SET n = n + 1 WHERE id IN (?)', [['a', 'zz']]],
        ]),
      { batched: true },
    );
    expect(results[0]).toEqual([{ n: 10 }]);
    expect(results[1]).toEqual([{ x: 'p;q', y: "it's" }]);
    expect(results[2]).toMatchObject({ affectedRows: 1 });
    expect(await valueOf('a')).toBe(11);
  });
});

describe('one transaction type', () => {
  test('unbatched, each statement is its own round trip, and atCommit writes still land with COMMIT', async () => {
    let counter = { trips: 0 };
    await ctx.db.transaction(async (tx) => {
      counter = counted(tx);
      await execute(ctx.db, "UPDATE batch_probe SET n = 7 WHERE id = 'a'", [], tx);
      tx.atCommit(["INSERT INTO batch_probe (id, n) VALUES ('b', 1)", []]);
    });
    // START TRANSACTION, UPDATE, INSERT, COMMIT.
    expect(counter.trips).toBe(4);
    expect([await valueOf('a'), await valueOf('b')]).toEqual([7, 1]);
  });

  test('multiple statements in one string are refused outside batched transactions', async () => {
    await expect(ctx.db.query('SELECT 1; SELECT 2')).rejects.toMatchObject({
      code: 'ER_PARSE_ERROR',
    });
    await expect(
      ctx.db.transaction((tx) => tx.query("UPDATE batch_probe SET n = 0 WHERE id = 'a'; SELECT 1")),
    ).rejects.toMatchObject({ code: 'ER_PARSE_ERROR' });
    expect(await valueOf('a')).toBe(10);
  });

  test.each([false, true])(
    'afterCommit runs once COMMIT succeeded, never after a rollback (batched: %s)',
    async (batched) => {
      const ran: string[] = [];
      await ctx.db.transaction(
        async (tx) => {
          tx.afterCommit(() => ran.push('committed'));
          await execute(ctx.db, "UPDATE batch_probe SET n = 1 WHERE id = 'a'", [], tx);
          expect(ran).toEqual([]);
        },
        { batched },
      );
      expect(ran).toEqual(['committed']);
      await expect(
        ctx.db.transaction(
          async (tx) => {
            tx.afterCommit(() => ran.push('rolled back'));
            await execute(ctx.db, "UPDATE batch_probe SET n = 2 WHERE id = 'a'", [], tx);
            throw new Error('no');
          },
          { batched },
        ),
      ).rejects.toThrow('no');
      expect(ran).toEqual(['committed']);
      expect(await valueOf('a')).toBe(1);
    },
  );

  test('a transaction that loses a deadlock is run again from the start, and both commit', async () => {
    await ctx.db.query("INSERT INTO batch_probe (id, n) VALUES ('z', 0)");
    let tries = 0;
    let bothLocked!: () => void;
    const locked = new Promise<void>((resolve) => (bothLocked = resolve));
    let lockCount = 0;
    const cross = (first: string, second: string) =>
      ctx.db.transaction(async (tx) => {
        tries += 1;
        await execute(ctx.db, 'UPDATE batch_probe SET n = n + 1 WHERE id = ?', [first], tx);
        lockCount += 1;
        if (lockCount === 2) bothLocked();
        await locked;
        await execute(ctx.db, 'UPDATE batch_probe SET n = n + 1 WHERE id = ?', [second], tx);
      });
    await Promise.all([cross('a', 'z'), cross('z', 'a')]);
    // One of the two was the deadlock's victim and ran a second time.
    expect(tries).toBe(3);
    expect([await valueOf('a'), await valueOf('z')]).toEqual([12, 2]);
  });

  test('a conditional UPDATE that matches a row but changes nothing answers 0', async () => {
    expect(await execute(ctx.db, "UPDATE batch_probe SET n = 10 WHERE id = 'a'")).toBe(0);
    expect(await execute(ctx.db, "UPDATE batch_probe SET n = 11 WHERE id = 'a'")).toBe(1);
  });

  test('DATE columns come back as calendar days, DATETIME(3) as UTC instants', async () => {
    const rows = await selectRows<{ day: unknown; at: unknown }>(
      ctx.db,
      "SELECT CAST('2026-02-28' AS DATE) AS day, CAST(? AS DATETIME(3)) AS at",
      [new Date('2026-02-28T23:30:00.123Z')],
    );
    expect(rows[0]!.day).toBe('2026-02-28');
    expect(rows[0]!.at).toEqual(new Date('2026-02-28T23:30:00.123Z'));
  });
});
