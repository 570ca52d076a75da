import { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import pino from 'pino';
import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../../jobs/worker';
import { queuePrefix } from '../../../jobs/queues';
import { selectOne, selectRows } from '../../../src/db/sql';
import { WebhookDispatcher } from '../../../src/webhooks/webhook-dispatcher';
import { WebhookOutbox } from '../../../src/webhooks/webhook-outbox';
import { verifySignature } from '../../../src/webhooks/webhook-signature';
import { createDrop } from '../../support/drops';
import {
  ADDRESS,
  createListing,
  signUp,
  signUpBrand,
  until,
  type TestUser,
} from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';
import { WebhookReceiver } from '../../support/webhook-receiver';

let ctx: TestContext;
let workers: RunningWorkers;
let receiver: WebhookReceiver;
let unread: Queue;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  ctx = await startTestContext({
    env: { WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '100' },
  });
  workers = await startWorkers(ctx.deps, ctx.services);
  unread = new Queue('webhooks-unread', {
    connection: ctx.redis,
    prefix: queuePrefix(ctx.config.REDIS_PREFIX),
  });
});

afterAll(async () => {
  await unread.close();
  await workers.close();
  await ctx.close();
  await receiver.close();
});

async function endpoint(user: TestUser, path: string, events: string[], host?: string) {
  const res = await request(ctx.app)
    .post('/v1/webhook-endpoints')
    .set(user.auth)
    .send({ url: receiver.url(path, host), events });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string };
}

const parsed = (path: string) =>
  receiver
    .at(path)
    .map((hook) => JSON.parse(hook.body) as { id: string; type: string; data: { id: string } });

const settle = () => new Promise((resolve) => setTimeout(resolve, 600));

describe('webhooks out', () => {
  test('a receiver answering 500 twice then 200 gets one signed event, three times with one id', async () => {
    const brand = await signUpBrand(ctx.app);
    const hook = await endpoint(brand, '/flaky', ['drop.live']);
    receiver.answer('/flaky', [500, 500]);
    const { drop } = await createDrop(ctx.app, brand, {}, 300);

    await until('a 2xx answer', async () => receiver.at('/flaky').some((h) => h.answered === 200));
    await settle();
    const hooks = receiver.at('/flaky');
    expect(hooks.map((h) => h.answered)).toEqual([500, 500, 200]);
    const events = parsed('/flaky');
    expect(new Set(events.map((e) => e.id)).size).toBe(1);
    expect(events[0]).toMatchObject({ type: 'drop.live', data: { id: drop.id, status: 'live' } });
    expect(events[0]!.id).toMatch(/^evt_/);
    const now = Math.floor(Date.now() / 1000);
    for (const h of hooks) {
      const header = h.headers['cyberstall-signature'] as string;
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifySignature(hook.secret, h.body, header, now)).toBe(true);
      expect(verifySignature('whsec_wrong', h.body, header, now)).toBe(false);
      expect(verifySignature(hook.secret, h.body.replace('live', 'ended'), header, now)).toBe(
        false,
      );
    }

    const log = await request(ctx.app)
      .get(`/v1/webhook-endpoints/${hook.id}/deliveries`)
      .set(brand.auth);
    expect(log.status).toBe(200);
    expect(
      log.body.data.map((a: { attempt: number; statusCode: number; succeeded: boolean }) => [
        a.attempt,
        a.statusCode,
        a.succeeded,
      ]),
    ).toEqual([
      [3, 200, true],
      [2, 500, false],
      [1, 500, false],
    ]);
    expect(log.body.data[0]).toMatchObject({
      eventId: events[0]!.id,
      type: 'drop.live',
      error: null,
    });

    // A replayed dispatch or delivery job sends nothing more.
    const delivery = (await selectOne<{ id: string }>(
      ctx.db,
      'SELECT id FROM webhook_deliveries WHERE endpoint_id = ?',
      [hook.id],
    ))!;
    expect(await ctx.services.webhookDispatcher.dispatch(events[0]!.id)).toBe(0);
    expect(await ctx.services.webhookDispatcher.deliver(delivery.id)).toBe('skipped');
    await ctx.services.webhookOutbox.announce(events[0]!.id);
    await settle();
    expect(receiver.at('/flaky')).toHaveLength(3);
  });

  test("events reach their owner's and admins' endpoints, nobody else's", async () => {
    const brand = await signUpBrand(ctx.app);
    const otherBrand = await signUpBrand(ctx.app);
    const admin = await signUp(ctx.app);
    await ctx.services.accounts.grantRole(admin.email, 'admin');
    await endpoint(brand, '/mine', ['drop.live', 'drop.ended']);
    await endpoint(brand, '/mine-other-type', ['order.paid']);
    await endpoint(otherBrand, '/theirs', ['drop.live']);
    const admins = await endpoint(admin, '/admin', ['drop.live']);
    const { drop } = await createDrop(ctx.app, brand, {}, 200);

    await until(
      'the brand and admin deliveries',
      async () =>
        receiver.at('/mine').length > 0 &&
        receiver.at('/admin').some((h) => parsed('/admin').some((e) => e.data.id === drop.id) && h),
    );
    await settle();
    expect(parsed('/mine').filter((e) => e.data.id === drop.id)).toHaveLength(1);
    expect(receiver.at('/mine-other-type')).toHaveLength(0);
    expect(parsed('/theirs').filter((e) => e.data.id === drop.id)).toHaveLength(0);
    expect(admins.id).toMatch(/^we_/);
  });

  test("an order's life reaches its seller once per change: created, paid, shipped, refunded", async () => {
    const seller = await signUp(ctx.app);
    const buyer = await signUp(ctx.app);
    const types = ['order.created', 'order.paid', 'order.shipped', 'order.refunded'];
    await endpoint(seller, '/orders', types);
    await endpoint(buyer, '/buyer', types);
    const listing = await createListing(ctx.app, seller, { priceAmount: 1500, currency: 'USD' });
    const placed = await request(ctx.app)
      .post('/v1/orders')
      .set(buyer.auth)
      .send({ shippingAddress: ADDRESS, items: [{ listingId: listing.id, quantity: 1 }] });
    expect(placed.status).toBe(201);
    const id = placed.body.id as string;
    const pay = () => request(ctx.app).post(`/v1/orders/${id}/pay`).set(buyer.auth);
    expect((await pay()).status).toBe(200);
    expect((await pay()).status).toBe(409);
    const shipped = await request(ctx.app)
      .post(`/v1/orders/${id}/ship`)
      .set(seller.auth)
      .send({ carrier: 'JP Post', trackingNumber: 'EJ123456789JP' });
    expect(shipped.status).toBe(200);
    const refunded = await request(ctx.app)
      .post(`/v1/orders/${id}/refund`)
      .set(seller.auth)
      .send({ amount: 500 });
    expect(refunded.status).toBe(200);

    await until('four order events', async () => receiver.at('/orders').length >= 4);
    await settle();
    const events = parsed('/orders') as Array<{
      id: string;
      type: string;
      data: Record<string, unknown>;
    }>;
    expect(events.map((e) => e.type).sort()).toEqual([...types].sort());
    expect(new Set(events.map((e) => e.id)).size).toBe(4);
    const of = (type: string) => events.find((e) => e.type === type)!.data;
    expect(of('order.created')).toMatchObject({ id, status: 'pending_payment', totalAmount: 1500 });
    expect(of('order.paid')).toMatchObject({ id, status: 'paid', currency: 'USD' });
    expect(of('order.shipped')).toMatchObject({
      trackingNumber: 'EJ123456789JP',
      carrier: 'JP Post',
    });
    expect(of('order.refunded')).toMatchObject({
      status: 'partially_refunded',
      refundedAmount: 500,
      refund: { amount: 500 },
    });
    // The buyer's endpoint hears nothing of it: the events are the seller's.
    expect(receiver.at('/buyer')).toHaveLength(0);
  });

  test('an event whose announce was lost (a crash after commit) is swept and delivered once', async () => {
    const brand = await signUpBrand(ctx.app);
    await endpoint(brand, '/swept', ['drop.ended']);
    // A queue no worker reads: the event row is committed, its dispatch job is never run.
    const crashing = new WebhookOutbox(ctx.clock, unread, logger);
    const record = (key: string) =>
      ctx.db.transaction((transaction) =>
        crashing.record(
          { type: 'drop.ended', key, brandId: brand.brandId, data: { object: 'drop', id: key } },
          transaction,
        ),
      );
    await record('drop.ended:drp_swept');
    await record('drop.ended:drp_swept');
    const rows = await selectRows<{ id: string }>(
      ctx.db,
      "SELECT id FROM webhook_events WHERE event_key = 'drop.ended:drp_swept'",
    );
    expect(rows).toHaveLength(1);

    const later = new WebhookDispatcher(
      ctx.db,
      { now: () => DateTime.utc().plus({ seconds: 11 }) },
      ctx.queues.webhooks,
      { allowPrivate: true, retryBaseMs: 100, timeoutMs: 5000 },
      logger,
    );
    await later.sweep();
    await until('the swept event', async () => receiver.at('/swept').length > 0);
    await settle();
    await later.sweep();
    await settle();
    expect(parsed('/swept').map((e) => e.id)).toEqual([rows[0]!.id]);
  });

  test('a name that resolves to loopback at delivery time is refused there, not connected to', async () => {
    const brand = await signUpBrand(ctx.app);
    // Registered where private targets were allowed; delivered by a deployment where they are not.
    const hook = await endpoint(brand, '/rebound', ['drop.live'], 'localhost');
    const strict = new WebhookDispatcher(
      ctx.db,
      ctx.clock,
      ctx.queues.webhooks,
      { allowPrivate: false, retryBaseMs: 100, timeoutMs: 5000 },
      logger,
    );
    const eventKey = `drop.live:drp_rebound_${Date.now()}`;
    // Recorded with its announce going to a queue no worker reads: this test delivers by hand.
    const recorder = new WebhookOutbox(ctx.clock, unread, logger);
    await ctx.db.transaction((transaction) =>
      recorder.record(
        { type: 'drop.live', key: eventKey, brandId: brand.brandId, data: { id: eventKey } },
        transaction,
      ),
    );
    const event = (await selectOne<{ id: string }>(
      ctx.db,
      'SELECT id FROM webhook_events WHERE event_key = ?',
      [eventKey],
    ))!;
    await ctx.db.query(
      `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, status, created_at)
       VALUES ('whd_rebound', '${hook.id}', '${event.id}', 'pending', NOW(3))`,
    );
    await expect(strict.deliver('whd_rebound')).rejects.toThrow(
      /refused: localhost is a private address/,
    );
    expect(receiver.at('/rebound')).toHaveLength(0);
    const log = await request(ctx.app)
      .get(`/v1/webhook-endpoints/${hook.id}/deliveries`)
      .set(brand.auth);
    expect(log.body.data[0]).toMatchObject({
      statusCode: null,
      succeeded: false,
      error: 'refused: localhost is a private address',
    });
  });

  test('a redirect is not followed, to a private address or anywhere', async () => {
    const brand = await signUpBrand(ctx.app);
    const hook = await endpoint(brand, '/moved', ['drop.live']);
    receiver.redirect('/moved', receiver.url('/moved-to'));
    await createDrop(ctx.app, brand, {}, 200);
    await until('two attempts', async () => receiver.at('/moved').length >= 2);
    expect(receiver.at('/moved-to')).toHaveLength(0);
    const log = await request(ctx.app)
      .get(`/v1/webhook-endpoints/${hook.id}/deliveries`)
      .set(brand.auth);
    expect(log.body.data.at(-1)).toMatchObject({ attempt: 1, statusCode: 302, succeeded: false });
    // Deleting the endpoint stops its retries.
    expect(
      (await request(ctx.app).delete(`/v1/webhook-endpoints/${hook.id}`).set(brand.auth)).status,
    ).toBe(204);
    await settle();
    const count = receiver.at('/moved').length;
    await settle();
    expect(receiver.at('/moved').length).toBe(count);
  });
});
