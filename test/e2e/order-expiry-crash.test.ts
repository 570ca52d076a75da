import {
  sleep,
  newServices,
  poolOf,
  rows,
  holdRowLock,
  waitingOn,
  kill,
  signup,
  queueState,
  type Session,
  cleanUpAfterEachDrill,
} from '../support/crash-drill';
import { callJson } from '../support/e2e';
import { until } from '../support/fixtures';

cleanUpAfterEachDrill();

test('order expiry: worker SIGKILLed while expiry jobs fall due; after restart every order expires once, stock and coupons back exactly once', async () => {
  const STOCK = 100;
  const ORDERS = 24;
  const WITH_COUPON = 12;
  const PER_ORDER = 2;
  // Hold 6 s: orders are created over ~2 s, so their expiries fall due over ~2 s too.
  const services = newServices({ ORDER_HOLD_MINUTES: '0.1' });
  const api = await services.start('api');
  const first = await services.start('worker');
  const db = poolOf(services);
  const call = <T>(method: string, url: string, token: string | null, body?: unknown) =>
    callJson<T>(`${api.url}${url}`, method, token, body);

  const brand = await signup(api, { accountType: 'brand', brandName: 'Expiry Brand' });
  const listing = await call<{ id: string; quantity: number }>(
    'POST',
    '/v1/listings',
    brand.token,
    {
      title: 'Lacquer tray',
      description: 'Held, then let go',
      priceAmount: 2000,
      currency: 'USD',
      quantity: STOCK,
      category: 'crafts',
      condition: 'new',
    },
  );
  expect(listing.status).toBe(201);
  const batch = await call<{ id: string }>('POST', '/v1/brands/me/coupon-batches', brand.token, {
    count: WITH_COUPON,
    discountType: 'percent',
    percentOff: 10,
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  expect(batch.status).toBe(201);
  const codes = await until(
    'the coupon batch',
    async () => {
      const res = await fetch(`${api.url}/v1/brands/me/coupon-batches/${batch.body.id}/codes.csv`, {
        headers: { authorization: `Bearer ${brand.token}` },
      });
      if (res.status !== 200) return null;
      return (await res.text())
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[0]!);
    },
    15_000,
  );
  expect(codes).toHaveLength(WITH_COUPON);
  const buyers = await Promise.all(Array.from({ length: 4 }, () => signup(api)));

  const orders: Array<{ id: string; buyer: Session; couponCode: string | null }> = [];
  for (let i = 0; i < ORDERS; i += 1) {
    const buyer = buyers[i % buyers.length]!;
    const couponCode = i < WITH_COUPON ? codes[i]! : null;
    const res = await call<{ id: string; status: string; discountAmount: number }>(
      'POST',
      '/v1/orders',
      buyer.token,
      {
        items: [{ listingId: listing.body.id, quantity: PER_ORDER }],
        ...(couponCode ? { couponCode } : {}),
        shippingAddress: {
          name: 'Ana Souza',
          line1: 'Rua Augusta 1',
          city: 'São Paulo',
          postalCode: '01305-000',
          country: 'BR',
        },
      },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'pending_payment',
      discountAmount: couponCode ? 400 : 0,
    });
    orders.push({ id: res.body.id, buyer, couponCode });
    await sleep(80);
  }
  const listingQuantity = async () =>
    (await call<{ quantity: number }>('GET', `/v1/listings/${listing.body.id}`, null)).body
      .quantity;
  expect(await listingQuantity()).toBe(STOCK - ORDERS * PER_ORDER);
  const [{ held }] = (await rows<{ held: number }>(
    db,
    "SELECT COUNT(*) AS held FROM coupons WHERE batch_id = ? AND status = 'held'",
    [batch.body.id],
  )) as [{ held: number }];
  expect(Number(held)).toBe(WITH_COUPON);

  const statusCounts = async () => {
    const counts = { pending_payment: 0, expired: 0, other: 0 };
    for (const r of await rows<{ status: string; n: number }>(
      db,
      'SELECT status, COUNT(*) AS n FROM orders GROUP BY status',
    )) {
      if (r.status === 'pending_payment' || r.status === 'expired') counts[r.status] = Number(r.n);
      else counts.other += Number(r.n);
    }
    return counts;
  };

  // Once the first expiries are done, the listing's row is locked: the next expiry jobs stop
  // inside their transaction (order row changed, stock not yet back). SIGKILL the worker then.
  await until('the first expiry', async () => (await statusCounts()).expired > 0, 20_000, 5);
  const lock = await holdRowLock(db, 'SELECT id FROM listings WHERE id = ? FOR UPDATE', [
    listing.body.id,
  ]);
  await until(
    'expiry jobs inside their transaction',
    async () => (await waitingOn(db, services, 'UPDATE listings SET quantity')) >= 3,
    10_000,
    20,
  );
  const atKill = await statusCounts();
  await kill(first);
  await lock.release();
  expect(atKill.pending_payment).toBeGreaterThan(0);
  const lastDue = Math.max(
    ...(await rows<{ expiresAt: Date }>(db, 'SELECT expires_at AS expiresAt FROM orders')).map(
      (r) => r.expiresAt.getTime(),
    ),
  );
  // Every hold runs out with no worker alive: nothing expires them meanwhile.
  await sleep(Math.max(0, lastDue - Date.now()) + 1000);
  const whileDown = await statusCounts();
  expect(whileDown.other).toBe(0);
  expect(whileDown.pending_payment).toBeGreaterThan(0);

  await services.start('worker');
  // Done when no order is pending and no expiry job is left anywhere (a killed worker's active
  // jobs come back once their lock lapses).
  await until(
    'every order to expire and every expiry job to finish',
    async () =>
      (await statusCounts()).pending_payment === 0 &&
      (await queueState(services, 'orders')).unfinished.every(
        (id) => !id.startsWith('order:expire:'),
      ),
    20_000,
    100,
  );
  expect(await statusCounts()).toEqual({ pending_payment: 0, expired: ORDERS, other: 0 });

  for (const order of orders) {
    const view = await call<{ status: string; couponCode: string | null }>(
      'GET',
      `/v1/orders/${order.id}`,
      order.buyer.token,
    );
    expect(view.status).toBe(200);
    expect(view.body.status).toBe('expired');
  }
  // Stock back exactly once: not short, not twice.
  expect(await listingQuantity()).toBe(STOCK);
  const [stock] = await rows<{ quantity: number }>(
    db,
    'SELECT quantity FROM listings WHERE id = ?',
    [listing.body.id],
  );
  expect(Number(stock!.quantity)).toBe(STOCK);
  const coupons = await rows<{ status: string; orderId: string | null; redeemedAt: Date | null }>(
    db,
    'SELECT status, order_id AS orderId, redeemed_at AS redeemedAt FROM coupons WHERE batch_id = ?',
    [batch.body.id],
  );
  expect(coupons).toEqual(
    Array.from({ length: WITH_COUPON }, () => ({
      status: 'available',
      orderId: null,
      redeemedAt: null,
    })),
  );
  for (const code of codes) {
    const preview = await call<{ valid: boolean }>(
      'GET',
      `/v1/coupons/${code}/preview?listingId=${listing.body.id}&quantity=1`,
      buyers[0]!.token,
    );
    expect(preview.status).toBe(200);
    expect(preview.body.valid).toBe(true);
  }

  // Every expiry job finished once, none failed or left behind.
  const queue = await queueState(services, 'orders');
  expect(queue.failed).toEqual([]);
  expect(queue.unfinished.filter((id) => id.startsWith('order:expire:'))).toEqual([]);
  expect(orders.filter((o) => !queue.completed.has(`order:expire:${o.id}`))).toEqual([]);

  // What came back is usable, exactly: all the stock with a released coupon, not one unit more.
  const order = (quantity: number) =>
    call<{ status: string; error?: { code: string } }>('POST', '/v1/orders', buyers[1]!.token, {
      items: [{ listingId: listing.body.id, quantity }],
      couponCode: codes[0],
      shippingAddress: {
        name: 'Ana Souza',
        line1: 'Rua Augusta 1',
        city: 'São Paulo',
        postalCode: '01305-000',
        country: 'BR',
      },
    });
  const tooMany = await order(STOCK + 1);
  expect(tooMany.status).toBe(409);
  expect(tooMany.body.error?.code).toBe('out_of_stock');
  const everything = await order(STOCK);
  expect(everything.status).toBe(201);
  expect(everything.body.status).toBe('pending_payment');
}, 60_000);
