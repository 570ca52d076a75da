/**
 * Issue 19.4 end to end: the API process is SIGKILLed in the middle of a drop's burst, which
 * can leave claims in Redis whose rows MySQL never got. After the worker restarts (its start-up
 * reconcile), Redis and MySQL agree: every member's claims are the units MySQL holds for them,
 * and the stock is the drop's stock less those units.
 */
import { isDeepStrictEqual } from 'node:util';
import Redis from 'ioredis';
import { Db } from '../../src/db/db';
import { selectRows } from '../../src/db/sql';
import { bulkMembers, PUZZLE } from '../support/drops';
import { callJson, E2eServices } from '../support/e2e';
import { TEST_REDIS_URL } from '../support/test-env';

const services = new E2eServices();
const GRACE_MS = 1500;
const STOCK = 300;

afterAll(() => services.cleanup());

test('API SIGKILLed mid-burst: after the worker restarts, Redis stock and claims match MySQL', async () => {
  const worker = await services.start('worker', { DROP_REPAIR_GRACE_MS: String(GRACE_MS) });
  const api = await services.start('api');
  const call = (url: string, method: string, token: string | null, body?: unknown) =>
    callJson<Record<string, unknown>>(url, method, token, body);

  const brand = await call(`${api.url}/v1/auth/signup`, 'POST', null, {
    email: 'brand@crash-repair.test',
    password: 'crash-password',
    displayName: 'Crash',
    country: 'JP',
    accountType: 'brand',
    brandName: 'Crash Brand',
  });
  const token = brand.body.token as string;
  const listing = await call(`${api.url}/v1/listings`, 'POST', token, {
    title: 'Crash bowl',
    description: 'Some of these',
    priceAmount: 5000,
    currency: 'JPY',
    quantity: STOCK,
    category: 'ceramics',
    condition: 'new',
  });
  expect(listing.status).toBe(201);
  const drop = await call(`${api.url}/v1/campaigns/drops`, 'POST', token, {
    title: 'Crash',
    listingId: listing.body.id,
    stock: STOCK,
    startsAt: new Date(Date.now() + 1000).toISOString(),
    timezone: 'Asia/Tokyo',
    durationHours: 1,
    puzzle: PUZZLE,
  });
  expect(drop.status).toBe(201);
  const dropId = drop.body.id as string;

  const db = new Db(services.env.DATABASE_URL!, { poolMax: 2 });
  const redis = new Redis(TEST_REDIS_URL);
  const base = `${services.name}:drop:{${dropId}}`;
  try {
    const members = await bulkMembers(db, 400);
    const deadline = Date.now() + 10_000;
    while (
      (await call(`${api.url}/v1/campaigns/drops/${dropId}`, 'GET', null)).body.status !== 'live'
    ) {
      if (Date.now() > deadline) throw new Error('drop did not open');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }

    // The burst; the API dies once a few dozen units are claimed in Redis.
    const burst = Promise.allSettled(
      members.map((m) =>
        call(`${api.url}/v1/campaigns/drops/${dropId}/attempts`, 'POST', m.token, {
          answer: 'mount fuji',
        }),
      ),
    );
    while (Number(await redis.hget(`${base}:state`, 'reservations')) < 30)
      await new Promise((resolve) => setTimeout(resolve, 1));
    api.child.kill('SIGKILL');
    await api.exited;
    await burst;

    // The worker restarts once every claim is older than the grace: its reconcile repairs.
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 500));
    worker.child.kill('SIGKILL');
    await worker.exited;
    await services.start('worker', { DROP_REPAIR_GRACE_MS: String(GRACE_MS) });

    const stores = async () => {
      const held = await selectRows<{ userId: string; units: number }>(
        db,
        `SELECT user_id AS userId, COUNT(*) AS units FROM drop_reservations
          WHERE drop_id = ? AND status IN ('active', 'consumed') GROUP BY user_id`,
        [dropId],
      );
      const mysql = Object.fromEntries(held.map((row) => [row.userId, Number(row.units)]));
      const claims = Object.fromEntries(
        Object.entries(await redis.hgetall(`${base}:claims`))
          .map(([member, units]) => [member, Number(units)])
          .filter(([, units]) => units !== 0),
      );
      const taken = Object.values(mysql).reduce((sum, units) => sum + units, 0);
      return {
        mysql: { claims: mysql, stock: STOCK - taken },
        redis: { claims, stock: Number(await redis.hget(`${base}:state`, 'stock')) },
      };
    };
    let now = await stores();
    const until = Date.now() + 15_000;
    while (!isDeepStrictEqual(now.redis, now.mysql) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      now = await stores();
    }
    expect(now.redis.stock).toBe(now.mysql.stock);
    expect(now.redis.claims).toEqual(now.mysql.claims);
  } finally {
    redis.disconnect();
    await db.close();
  }
}, 90_000);
