import { Db } from '../../src/db/db';
import { selectOne, selectRows } from '../../src/db/sql';
import { bulkMembers } from '../support/drops';
import { E2eServices } from '../support/e2e';
import { ADDRESS } from '../support/fixtures';
import { killGaleraNode, restoreClusters } from './cluster-nodes';

const services = new E2eServices();

afterAll(async () => {
  await services.cleanup();
  await restoreClusters();
}, 240_000);

const QUANTITY = 500;
const ORDERS = 200;
const CONCURRENCY = 8;
const KILL_AFTER = 40;

interface Outcome {
  orderId: string;
  /** Each try: the API it went to, its status, and whether its 201 was a replayed answer. */
  history: string[];
  tries: number;
  failures: number;
  startedAt: number;
  doneAt: number;
}

async function post(url: string, token: string, body: unknown, key?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    replayed: res.headers.get('idempotent-replayed') === 'true',
    body: (await res.json()) as Record<string, unknown>,
  };
}

test('a Galera node killed during checkout traffic: orders go on through the others, none lost or doubled, stock balances', async () => {
  // Worker on node 1, API A on node 2 (the one killed), API B on node 3.
  await services.start('worker');
  const apiA = await services.start('api');
  const apiB = await services.start('api');
  const seller = await fetch(`${apiA.url}/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: 'seller@galera.test',
      password: 'galera-password',
      displayName: 'Seller',
      country: 'JP',
      accountType: 'member',
    }),
  }).then((res) => res.json() as Promise<{ token: string }>);
  const listing = await post(`${apiA.url}/v1/listings`, seller.token, {
    title: 'Galera cup',
    description: 'Replicated',
    priceAmount: 2000,
    currency: 'USD',
    quantity: QUANTITY,
    category: 'ceramics',
    condition: 'new',
  });
  expect(listing.status).toBe(201);
  const listingId = listing.body.id as string;

  const db = new Db(services.env.DATABASE_URL!, { poolMax: 2, firstNode: 2 });
  try {
    const buyers = await bulkMembers(db, 40);
    let next = 0;
    let killedAt = 0;
    const outcomes: Outcome[] = [];
    // Each order is sent until it is answered 201, with one Idempotency-Key: a try that failed
    // (5xx, a connection cut) may be sent again, and must never make a second order.
    const client = async () => {
      for (let i = next++; i < ORDERS; i = next++) {
        if (i === KILL_AFTER) {
          killGaleraNode(2);
          killedAt = Date.now();
        }
        const startedAt = Date.now();
        let tries = 0;
        let failures = 0;
        const history: string[] = [];
        for (;;) {
          tries += 1;
          const api = (i + tries) % 2 ? apiA : apiB;
          const res = await post(
            `${api.url}/v1/orders`,
            buyers[i % buyers.length]!.token,
            { items: [{ listingId, quantity: 1 }], shippingAddress: ADDRESS },
            `galera-drill-${i}`,
          ).catch(() => ({ status: 599, replayed: false, body: {} as Record<string, unknown> }));
          history.push(
            `${api === apiA ? 'A' : 'B'}:${res.status}${res.replayed ? ' replayed' : ''}`,
          );
          if (res.status === 201) {
            outcomes.push({
              orderId: res.body.id as string,
              history,
              tries,
              failures,
              startedAt,
              doneAt: Date.now(),
            });
            break;
          }
          expect([409, 500, 502, 503, 599]).toContain(res.status);
          if (res.status === 409)
            expect((res.body.error as { code: string }).code).toBe('idempotency_key_in_use');
          failures += 1;
          if (Date.now() - startedAt > 60_000) throw new Error(`order ${i} not taken in 60 s`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    };
    const began = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    const ended = Date.now();

    const failed = outcomes.reduce((sum, o) => sum + o.failures, 0);
    const slowest = Math.max(...outcomes.map((o) => o.doneAt - o.startedAt));
    const afterKill = outcomes.filter((o) => o.startedAt >= killedAt);
    console.info(
      `Galera node 2 killed after ${KILL_AFTER} orders: ${ORDERS} orders in ${ended - began} ms, ${failed} failed tries, slowest order ${slowest} ms, ${afterKill.length} orders started after the kill, first of them answered ${Math.min(...afterKill.map((o) => o.doneAt)) - killedAt} ms after it`,
    );
    expect(new Set(outcomes.map((o) => o.orderId)).size).toBe(ORDERS);
    // Every answered order is stored: any that is not is named, with how it was answered.
    const storedIds = new Set(
      (
        await selectRows<{ id: string }>(
          db,
          `SELECT DISTINCT o.id FROM orders o JOIN order_items i ON i.order_id = o.id
            WHERE i.listing_id = ?`,
          [listingId],
        )
      ).map((row) => row.id),
    );
    const missing = outcomes
      .filter((o) => !storedIds.has(o.orderId))
      .map((o) => ({ orderId: o.orderId, history: o.history, afterKill: o.startedAt >= killedAt }));
    expect(missing).toEqual([]);
    const stored = await selectOne<{ orders: number; units: number }>(
      db,
      `SELECT COUNT(DISTINCT o.id) AS orders, COALESCE(SUM(i.quantity), 0) AS units
         FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.listing_id = ?`,
      [listingId],
    );
    expect(Number(stored!.orders)).toBe(ORDERS);
    expect(Number(stored!.units)).toBe(ORDERS);
    const left = await selectOne<{ quantity: number }>(
      db,
      'SELECT quantity FROM listings WHERE id = ?',
      [listingId],
    );
    expect(Number(left!.quantity)).toBe(QUANTITY - ORDERS);
  } finally {
    await db.close();
  }
}, 180_000);
