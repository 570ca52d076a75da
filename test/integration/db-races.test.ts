import { selectOne, selectRows } from '../../src/db/sql';
import { isLockConflict } from '../../src/db/retry';
import { useTestApp } from '../support/test-app';

// Checkout's shape, raced: lock a stock row, check it, take a unit and write an order with the
// COMMIT. On a Galera cluster each new connection goes to the next node (the harness spreads
// them), so transactions on different nodes abort each other at COMMIT or midway; every one
// the database answered as committed must be stored, and nothing else.
const ctx = useTestApp();

const STOCK = 1_000_000;
const RACERS = 12;
const ATTEMPTS_PER_RACER = 40;

beforeAll(async () => {
  await ctx.db.query(
    `CREATE TABLE race_stock (id INT PRIMARY KEY, quantity INT NOT NULL,
       CHECK (quantity >= 0)) ENGINE=InnoDB`,
  );
  await ctx.db.query(
    'CREATE TABLE race_orders (id INT PRIMARY KEY, racer INT NOT NULL) ENGINE=InnoDB',
  );
});

// Each case has its own stock row and order ids: on Galera a DELETE made through one node is
// applied on the others a moment later, so reusing ids across cases could meet a stale row there.
test.each([
  { batched: true, stockId: 1, firstOrderId: 1 },
  { batched: false, stockId: 2, firstOrderId: 1_000_001 },
])(
  'transactions racing for one row: every answered commit is stored, nothing else (batched: $batched)',
  async ({ batched, stockId, firstOrderId }) => {
    await ctx.db.query('INSERT INTO race_stock (id, quantity) VALUES (?, ?)', [stockId, STOCK]);
    let nextId = firstOrderId;
    const answered: number[] = [];
    const racer = async (racerId: number) => {
      for (let i = 0; i < ATTEMPTS_PER_RACER; i += 1) {
        const orderId = nextId++;
        try {
          await ctx.db.transaction(
            async (tx) => {
              const [rows] = (await tx.batch([
                ['SELECT quantity FROM race_stock WHERE id = ? FOR UPDATE', [stockId]],
              ])) as [Array<{ quantity: number }>];
              if (rows[0]!.quantity < 1) throw new Error('sold out');
              tx.atCommit([
                'UPDATE race_stock SET quantity = quantity - 1 WHERE id = ?',
                [stockId],
              ]);
              tx.atCommit([
                'INSERT INTO race_orders (id, racer) VALUES (?, ?)',
                [orderId, racerId],
              ]);
            },
            { batched },
          );
          answered.push(orderId);
        } catch (error) {
          // Lost every retry to the other racers: refused, so it must not be stored either.
          if (!isLockConflict(error)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: RACERS }, (_, i) => racer(i)));

    const stored = await selectRows<{ id: number }>(
      ctx.db,
      'SELECT id FROM race_orders WHERE id BETWEEN ? AND ? ORDER BY id',
      [firstOrderId, nextId - 1],
    );
    const stock = await selectOne<{ quantity: number }>(
      ctx.db,
      'SELECT quantity FROM race_stock WHERE id = ?',
      [stockId],
    );
    expect(answered.length).toBeGreaterThan(0);
    expect(stored.map((row) => row.id)).toEqual([...answered].sort((a, b) => a - b));
    expect(STOCK - stock!.quantity).toBe(answered.length);
  },
);
