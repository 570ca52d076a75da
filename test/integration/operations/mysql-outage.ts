import mysql from 'mysql2/promise';
import request from 'supertest';
import { parseDatabaseUrl } from '../../../src/db/database';
import { CuttableProxy } from '../../support/fault-servers';
import { ADDRESS, createListing, signUp, type TestUser } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';
import { MYSQL_SERVER_URL } from '../../support/test-env';

let proxy: CuttableProxy;
let ctx: TestContext;
/** Straight to MySQL, past the proxy: the test's own view of what was committed. */
let direct: mysql.Connection;

beforeAll(async () => {
  const server = parseDatabaseUrl(`${MYSQL_SERVER_URL}/mysql`).server;
  proxy = await CuttableProxy.start({ host: server.host!, port: server.port! });
  const name = `cs_t_${Math.floor(Date.now() / 1000)}_proxy${Math.floor(Math.random() * 1e6)}`;
  ctx = await startTestContext({
    env: { DATABASE_URL: `mysql://root@127.0.0.1:${proxy.port}/${name}`, LOG_LEVEL: 'error' },
  });
  direct = await mysql.createConnection({ ...server, database: name });
});

afterAll(async () => {
  proxy?.restore();
  await direct?.end();
  await ctx?.close();
  await proxy?.close();
});

test('MySQL restarts during checkout traffic: no order without its stock hold, no stock hold without its order, never a 500', async () => {
  const sellers = await Promise.all(Array.from({ length: 3 }, () => signUp(ctx.app)));
  const listings = await Promise.all(
    sellers.map((seller) => createListing(ctx.app, seller, { quantity: 100_000 })),
  );
  const buyers = await Promise.all(Array.from({ length: 8 }, () => signUp(ctx.app)));
  const statuses: number[] = [];
  const bodies: Array<{ error?: { type: string } }> = [];
  let running = true;

  const shopper = async (buyer: TestUser, index: number) => {
    let i = index;
    while (running) {
      const listing = listings[i % listings.length]!;
      i += 1;
      const res = await request(ctx.app)
        .post('/v1/orders')
        .set(buyer.auth)
        .send({
          items: [{ listingId: listing.id, quantity: 1 + (i % 3) }],
          shippingAddress: ADDRESS,
        });
      statuses.push(res.status);
      bodies.push(res.body);
    }
  };
  const traffic = Promise.all(buyers.map((buyer, i) => shopper(buyer, i)));
  await new Promise((resolve) => setTimeout(resolve, 700));
  proxy.cut();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  proxy.restore();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  running = false;
  await traffic;

  // Answers: orders taken, or 503 in the error shape while MySQL was away; never a 500.
  expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(10);
  expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
  for (const [i, status] of statuses.entries()) {
    expect([201, 503]).toContain(status);
    if (status === 503) expect(bodies[i]!.error).toMatchObject({ type: 'unavailable' });
  }
  // The service recovered: a new order goes through.
  const after = await request(ctx.app)
    .post('/v1/orders')
    .set(buyers[0]!.auth)
    .send({ items: [{ listingId: listings[0]!.id, quantity: 1 }], shippingAddress: ADDRESS });
  expect(after.status).toBe(201);

  const [rows] = await direct.query(
    `SELECT l.id, l.quantity,
        (SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id
          WHERE i.listing_id = l.id AND o.status = 'pending_payment') AS held
       FROM listings l WHERE l.id IN (?)`,
    [listings.map((l) => l.id)],
  );
  for (const row of rows as Array<{ quantity: number; held: string }>) {
    expect(row.quantity + Number(row.held)).toBe(100_000);
  }
  const [orphans] = await direct.query(
    `SELECT o.id FROM orders o LEFT JOIN order_items i ON i.order_id = o.id WHERE i.order_id IS NULL`,
  );
  expect(orphans).toEqual([]);
  const [[committed]] = (await direct.query('SELECT COUNT(*) AS n FROM orders')) as unknown as [
    [{ n: number }],
  ];
  // Every 201 is a committed order (a commit whose answer was lost may add one more).
  expect(Number(committed.n)).toBeGreaterThanOrEqual(statuses.filter((s) => s === 201).length + 1);
}, 60_000);
