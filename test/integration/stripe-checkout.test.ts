import request from 'supertest';
import type Stripe from 'stripe';
import { startWorkers, type RunningWorkers } from '../../jobs/worker';
import { selectOne, selectRows } from '../../src/db/sql';
import {
  ADDRESS,
  createListing,
  eventually,
  signUp,
  signUpBrand,
  type TestUser,
} from '../support/fixtures';
import { startTestContext, type TestContext } from '../support/harness';
import { signedWebhook, StripeFake } from '../support/stripe-fake';

const WEBHOOK_SECRET = 'whsec_test_secret';
let fake: StripeFake;
let ctx: TestContext;
let workers: RunningWorkers;

beforeAll(async () => {
  fake = await new StripeFake().start();
  ctx = await startTestContext({
    env: {
      PAYMENTS_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_cyberstall',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: fake.url,
      PLATFORM_FEE_BPS: '250',
    },
  });
  workers = await startWorkers(ctx.deps, ctx.services);
});

afterAll(async () => {
  await workers.close();
  await ctx.close();
  await fake.stop();
});

const deliver = (event: Stripe.Event, secret = WEBHOOK_SECRET) => {
  const { body, signature } = signedWebhook(event, secret);
  return request(ctx.app)
    .post('/v1/webhooks/stripe')
    .set('content-type', 'application/json')
    .set('Stripe-Signature', signature)
    .send(body);
};

const orderOf = (id: string) =>
  selectOne<{ status: string; paidAt: Date | null; refunded: number; paymentStatus: string }>(
    ctx.db,
    'SELECT status, paid_at AS paidAt, refunded_amount AS refunded, payment_status AS paymentStatus FROM orders WHERE id = ?',
    [id],
  );

const quantityOf = async (listingId: string) =>
  (await selectOne<{ quantity: number }>(ctx.db, 'SELECT quantity FROM listings WHERE id = ?', [
    listingId,
  ]))!.quantity;

const eventOutcome = (eventId: string) =>
  eventually(
    async () =>
      (
        await selectOne<{ outcome: string | null }>(
          ctx.db,
          'SELECT outcome FROM payment_events WHERE id = ? AND processed_at IS NOT NULL',
          [eventId],
        )
      )?.outcome,
  );

/** A seller whose Connect account Stripe has enabled. */
async function payableSeller(seller?: TestUser): Promise<{ seller: TestUser; accountId: string }> {
  const who = seller ?? (await signUp(ctx.app));
  const onboarding = await request(ctx.app).post('/v1/payouts/onboarding').set(who.auth);
  expect(onboarding.status).toBe(200);
  const event = fake.accountUpdated(onboarding.body.accountId, {
    charges_enabled: true,
    payouts_enabled: true,
    details_submitted: true,
  });
  expect((await deliver(event)).status).toBe(200);
  expect(await eventOutcome(event.id)).toBe('account_updated');
  return { seller: who, accountId: onboarding.body.accountId };
}

async function placeOrder(buyer: TestUser, listingId: string, extra: Record<string, unknown> = {}) {
  return request(ctx.app)
    .post('/v1/orders')
    .set(buyer.auth)
    .send({ items: [{ listingId, quantity: 1 }], shippingAddress: ADDRESS, ...extra });
}

describe('Stripe Connect checkout', () => {
  test('onboarding makes an Express account and a link; until Stripe enables it, checkout is refused', async () => {
    const seller = await signUp(ctx.app);
    const listing = await createListing(ctx.app, seller);
    const buyer = await signUp(ctx.app);
    const onboarding = await request(ctx.app).post('/v1/payouts/onboarding').set(seller.auth);
    expect(onboarding.body.accountId).toMatch(/^acct_/);
    expect(onboarding.body.url).toMatch(/^https:\/\/connect\.stripe\.test\//);
    expect(fake.callsTo('/v1/accounts').at(-1)!.params).toMatchObject({
      type: 'express',
      country: 'JP',
    });
    const again = await request(ctx.app).post('/v1/payouts/onboarding').set(seller.auth);
    expect(again.body.accountId).toBe(onboarding.body.accountId);
    const refused = await placeOrder(buyer, listing.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('seller_cannot_accept_payments');
    expect(await quantityOf(listing.id)).toBe(5);
  });

  test('an order is a destination charge with the platform fee and an idempotency key from the order', async () => {
    const { seller, accountId } = await payableSeller();
    const listing = await createListing(ctx.app, seller, { priceAmount: 1999 });
    const buyer = await signUp(ctx.app);
    const res = await placeOrder(buyer, listing.id);
    expect(res.status).toBe(201);
    expect(res.body.payment).toMatchObject({
      provider: 'stripe',
      status: 'requires_payment_method',
      paymentIntentId: expect.stringMatching(/^pi_/),
      clientSecret: expect.stringMatching(/_secret_/),
    });
    const call = fake.callsTo('/v1/payment_intents').at(-1)!;
    expect(call.params).toMatchObject({
      amount: '1999',
      currency: 'usd',
      transfer_data: { destination: accountId },
      application_fee_amount: '50',
      metadata: { orderId: res.body.id },
    });
    expect(call.idempotencyKey).toBe(`order-${res.body.id}-payment-intent`);
    const asSeller = await request(ctx.app).get(`/v1/orders/${res.body.id}`).set(seller.auth);
    expect(asSeller.body.payment.clientSecret).toBeUndefined();
    const manualPay = await request(ctx.app).post(`/v1/orders/${res.body.id}/pay`).set(buyer.auth);
    expect(manualPay.status).toBe(409);
    expect(manualPay.body.error.code).toBe('payment_via_provider');
  });

  test('the same payment_intent.succeeded delivered 3 times: one transition, one paid_at', async () => {
    const { seller } = await payableSeller();
    const listing = await createListing(ctx.app, seller);
    const buyer = await signUp(ctx.app);
    const { body: order } = await placeOrder(buyer, listing.id);
    const event = fake.succeed(order.payment.paymentIntentId);
    expect((await deliver(event)).status).toBe(200);
    expect(await eventOutcome(event.id)).toBe('order_paid');
    const first = await orderOf(order.id);
    expect(first!.status).toBe('paid');
    for (let i = 0; i < 2; i += 1) expect((await deliver(event)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await orderOf(order.id);
    expect(after!.paidAt!.getTime()).toBe(first!.paidAt!.getTime());
    const stored = await selectOne<{ n: number }>(
      ctx.db,
      'SELECT COUNT(*) AS n FROM payment_events WHERE id = ?',
      [event.id],
    );
    expect(Number(stored!.n)).toBe(1);
  });

  test('forged, unsigned or altered webhooks are 400 and change nothing', async () => {
    const { seller } = await payableSeller();
    const listing = await createListing(ctx.app, seller);
    const buyer = await signUp(ctx.app);
    const { body: order } = await placeOrder(buyer, listing.id);
    const event = fake.succeed(order.payment.paymentIntentId);
    const forged = await deliver(event, 'whsec_not_ours');
    expect(forged.status).toBe(400);
    expect(forged.body.error).toMatchObject({ type: 'invalid_request', code: 'signature_invalid' });
    const unsigned = await request(ctx.app)
      .post('/v1/webhooks/stripe')
      .set('content-type', 'application/json')
      .send(JSON.stringify(event));
    expect(unsigned.status).toBe(400);
    const { body, signature } = signedWebhook(event, WEBHOOK_SECRET);
    const altered = await request(ctx.app)
      .post('/v1/webhooks/stripe')
      .set('content-type', 'application/json')
      .set('Stripe-Signature', signature)
      .send(body.replace('"amount":2000', '"amount":1'));
    expect(altered.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await orderOf(order.id))!.status).toBe('pending_payment');
    const stored = await selectOne<{ n: number }>(
      ctx.db,
      'SELECT COUNT(*) AS n FROM payment_events WHERE id = ?',
      [event.id],
    );
    expect(Number(stored!.n)).toBe(0);
  });

  test('a failed payment releases stock and coupon; a late failure after success changes nothing', async () => {
    const brand = await signUpBrand(ctx.app, 'Stripe Brand');
    await payableSeller(brand);
    const listing = await createListing(ctx.app, brand, { quantity: 2 });
    const batch = await request(ctx.app)
      .post('/v1/brands/me/coupon-batches')
      .set(brand.auth)
      .send({
        count: 1,
        discountType: 'percent',
        percentOff: 10,
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
    await eventually(
      async () =>
        (
          await request(ctx.app)
            .get(`/v1/brands/me/coupon-batches/${batch.body.id}`)
            .set(brand.auth)
        ).body.status === 'ready',
    );
    const csv = await request(ctx.app)
      .get(`/v1/brands/me/coupon-batches/${batch.body.id}/codes.csv`)
      .set(brand.auth);
    const code = csv.text.trim().split('\n')[1]!.split(',')[0]!;
    const buyer = await signUp(ctx.app);
    const { body: order } = await placeOrder(buyer, listing.id, { couponCode: code });
    expect(order.discountAmount).toBe(200);
    expect(await quantityOf(listing.id)).toBe(1);
    const failed = fake.fail(order.payment.paymentIntentId);
    await deliver(failed);
    expect(await eventOutcome(failed.id)).toBe('order_released');
    expect(await orderOf(order.id)).toMatchObject({ status: 'canceled', paymentStatus: 'failed' });
    expect(await quantityOf(listing.id)).toBe(2);
    const reused = await placeOrder(await signUp(ctx.app), listing.id, { couponCode: code });
    expect(reused.status).toBe(201);

    const paid = fake.succeed(reused.body.payment.paymentIntentId);
    await deliver(paid);
    expect(await eventOutcome(paid.id)).toBe('order_paid');
    const late = fake.event('payment_intent.payment_failed', {
      ...fake.intents.get(reused.body.payment.paymentIntentId)!,
      status: 'requires_payment_method',
    });
    await deliver(late);
    expect(await eventOutcome(late.id)).toBe('no_change');
    expect((await orderOf(reused.body.id))!.status).toBe('paid');
  });

  test('refunds go through the Refunds API; a provider failure leaves nothing booked', async () => {
    const { seller } = await payableSeller();
    const listing = await createListing(ctx.app, seller, { priceAmount: 1000 });
    const buyer = await signUp(ctx.app);
    const { body: order } = await placeOrder(buyer, listing.id);
    const paid = fake.succeed(order.payment.paymentIntentId);
    await deliver(paid);
    await eventOutcome(paid.id);
    const path = `/v1/orders/${order.id}/refund`;
    const partial = await request(ctx.app).post(path).set(seller.auth).send({ amount: 400 });
    expect(partial.body).toMatchObject({ status: 'partially_refunded', refundedAmount: 400 });
    const refundCall = fake.callsTo('/v1/refunds').at(-1)!;
    expect(refundCall.params).toMatchObject({
      payment_intent: order.payment.paymentIntentId,
      amount: '400',
    });
    expect(refundCall.idempotencyKey).toMatch(/^refund-rfd_/);
    fake.failNext('/v1/refunds', 3);
    const outage = await request(ctx.app).post(path).set(seller.auth).send({ amount: 100 });
    expect(outage.status).toBe(503);
    expect(await orderOf(order.id)).toMatchObject({ status: 'partially_refunded', refunded: 400 });
    const over = await request(ctx.app).post(path).set(seller.auth).send({ amount: 601 });
    expect(over.status).toBe(400);
    const rest = await request(ctx.app).post(path).set(seller.auth).send({});
    expect(rest.body).toMatchObject({ status: 'refunded', refundedAmount: 1000 });
    const echo = fake.refundEvent(order.payment.paymentIntentId, 1000);
    await deliver(echo);
    expect(await eventOutcome(echo.id)).toBe('no_change');
  });

  test('a refund made in Stripe itself is booked from charge.refunded', async () => {
    const { seller } = await payableSeller();
    const listing = await createListing(ctx.app, seller, { priceAmount: 1000 });
    const buyer = await signUp(ctx.app);
    const { body: order } = await placeOrder(buyer, listing.id);
    const paid = fake.succeed(order.payment.paymentIntentId);
    await deliver(paid);
    await eventOutcome(paid.id);
    const refunded = fake.refundEvent(order.payment.paymentIntentId, 250);
    await deliver(refunded);
    expect(await eventOutcome(refunded.id)).toBe('refund_booked');
    expect(await orderOf(order.id)).toMatchObject({ status: 'partially_refunded', refunded: 250 });
    // The seller's integrations hear of it as of a refund made through the API.
    const events = await selectRows<{ type: string; data: string }>(
      ctx.db,
      "SELECT type, data FROM webhook_events WHERE type = 'order.refunded' AND data LIKE ?",
      [`%${order.id}%`],
    );
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.data)).toMatchObject({ id: order.id, refundedAmount: 250 });
  });

  test('when the PaymentIntent cannot be created, checkout is 503 and the stock is back', async () => {
    const { seller } = await payableSeller();
    const listing = await createListing(ctx.app, seller, { quantity: 1 });
    const buyer = await signUp(ctx.app);
    fake.failNext('/v1/payment_intents', 3);
    const res = await placeOrder(buyer, listing.id);
    expect(res.status).toBe(503);
    expect(res.body.error.type).toBe('unavailable');
    expect(await quantityOf(listing.id)).toBe(1);
    const pending = await selectOne<{ n: number }>(
      ctx.db,
      "SELECT COUNT(*) AS n FROM orders WHERE buyer_id = ? AND status = 'pending_payment'",
      [buyer.id],
    );
    expect(Number(pending!.n)).toBe(0);
  });

  test("the SDK's retries reuse the idempotency key, so a blip makes one PaymentIntent", async () => {
    const { seller } = await payableSeller();
    const listing = await createListing(ctx.app, seller);
    const buyer = await signUp(ctx.app);
    const before = fake.intents.size;
    fake.failNext('/v1/payment_intents', 1);
    const res = await placeOrder(buyer, listing.id);
    expect(res.status).toBe(201);
    expect(fake.intents.size).toBe(before + 1);
    const attempts = fake
      .callsTo('/v1/payment_intents')
      .filter((c) => c.idempotencyKey === `order-${res.body.id}-payment-intent`);
    expect(attempts).toHaveLength(2);
  });

  test('an event for an unknown PaymentIntent is acknowledged and recorded as such', async () => {
    const event = fake.event('payment_intent.succeeded', {
      id: 'pi_unknown',
      object: 'payment_intent',
      amount: 1,
      metadata: {},
    });
    expect((await deliver(event)).status).toBe(200);
    expect(await eventOutcome(event.id)).toBe('unknown_object');
  });
});

describe('with the manual provider', () => {
  test('the Stripe webhook endpoint is a 400 and stores nothing', async () => {
    const manual = await startTestContext();
    try {
      const event = fake.event('payment_intent.succeeded', {
        id: 'pi_x',
        object: 'payment_intent',
      });
      const { body, signature } = signedWebhook(event, WEBHOOK_SECRET);
      const res = await request(manual.app)
        .post('/v1/webhooks/stripe')
        .set('content-type', 'application/json')
        .set('Stripe-Signature', signature)
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('webhooks_not_configured');
    } finally {
      await manual.close();
    }
  });
});
