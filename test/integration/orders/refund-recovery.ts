import request from 'supertest';
import type Stripe from 'stripe';
import { ManualClock } from '../../../src/clock';
import { selectOne } from '../../../src/db/sql';
import { ADDRESS, createListing, eventually, signUp, type TestUser } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';
import { signedWebhook, StripeFake } from '../../support/stripe-fake';

/**
 * A refund is booked before Stripe is asked. These tests hold Stripe's answer, as if the
 * process that asked had died, and let the sweep (the settle-pending-refunds job) finish it.
 */
const WEBHOOK_SECRET = 'whsec_test_secret';
const clock = new ManualClock();
let fake: StripeFake;
let ctx: TestContext;

beforeAll(async () => {
  fake = await new StripeFake().start();
  ctx = await startTestContext({
    clock,
    env: {
      PAYMENTS_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_cyberstall',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: fake.url,
    },
  });
});

afterAll(async () => {
  await ctx.close();
  await fake.stop();
});

/**
 * Stripe's event received, then applied as its queue job would (no workers run here: their
 * own refund sweep every minute would race the sweeps these tests make).
 */
async function deliver(event: Stripe.Event): Promise<void> {
  const { body, signature } = signedWebhook(event, WEBHOOK_SECRET);
  const res = await request(ctx.app)
    .post('/v1/webhooks/stripe')
    .set('content-type', 'application/json')
    .set('Stripe-Signature', signature)
    .send(body);
  expect(res.status).toBe(200);
  await ctx.services.webhooks.handle(event.id);
}

const orderOf = async (id: string) =>
  (await selectOne<{ status: string; refunded: number }>(
    ctx.db,
    'SELECT status, refunded_amount AS refunded FROM orders WHERE id = ?',
    [id],
  ))!;

const refundOf = (orderId: string) =>
  selectOne<{ id: string; status: string; providerRefundId: string | null }>(
    ctx.db,
    'SELECT id, status, provider_refund_id AS providerRefundId FROM refunds WHERE order_id = ?',
    [orderId],
  );

/** A seller Stripe has enabled, a buyer, and an order of 1,000 they paid. */
async function paidOrder(): Promise<{ seller: TestUser; orderId: string; intentId: string }> {
  const seller = await signUp(ctx.app);
  const onboarding = await request(ctx.app).post('/v1/payouts/onboarding').set(seller.auth);
  await deliver(
    fake.accountUpdated(onboarding.body.accountId, {
      charges_enabled: true,
      payouts_enabled: true,
      details_submitted: true,
    }),
  );
  const listing = await createListing(ctx.app, seller, { priceAmount: 1000 });
  const buyer = await signUp(ctx.app);
  const placed = await request(ctx.app)
    .post('/v1/orders')
    .set(buyer.auth)
    .send({ items: [{ listingId: listing.id, quantity: 1 }], shippingAddress: ADDRESS });
  expect(placed.status).toBe(201);
  const intentId = placed.body.payment.paymentIntentId as string;
  await deliver(fake.succeed(intentId));
  expect((await orderOf(placed.body.id)).status).toBe('paid');
  return { seller, orderId: placed.body.id, intentId };
}

/** Starts a refund whose request reaches Stripe but is not answered until released. */
async function refundLeftHanging(seller: TestUser, orderId: string, body: object) {
  const hold = fake.holdNext('/v1/refunds');
  const answer = request(ctx.app)
    .post(`/v1/orders/${orderId}/refund`)
    .set(seller.auth)
    .send(body)
    .then((res) => res);
  const booked = await eventually(async () => await refundOf(orderId));
  expect(booked.status).toBe('pending');
  return { hold, answer, refundId: booked.id };
}

describe('refunds whose process died before Stripe answered', () => {
  test('the sweep asks again under the same key: refunded once, booked once', async () => {
    const { seller, orderId, intentId } = await paidOrder();
    const { hold, answer, refundId } = await refundLeftHanging(seller, orderId, { amount: 400 });

    // Within the grace period the refund still belongs to the request that booked it.
    expect(await ctx.services.orders.settlePendingRefunds()).toEqual({ succeeded: 0, failed: 0 });
    clock.advance({ minutes: 6 });
    expect(await ctx.services.orders.settlePendingRefunds()).toEqual({ succeeded: 1, failed: 0 });
    expect(await refundOf(orderId)).toMatchObject({
      status: 'succeeded',
      providerRefundId: expect.stringMatching(/^re_/),
    });
    expect(await orderOf(orderId)).toEqual({ status: 'partially_refunded', refunded: 400 });

    // The first request's call, answered at last, is Stripe's replay of the same refund.
    hold.release();
    const late = await answer;
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ status: 'partially_refunded', refundedAmount: 400 });
    const calls = fake
      .callsTo('/v1/refunds')
      .filter((call) => call.params.payment_intent === intentId);
    expect(calls.map((call) => call.idempotencyKey)).toEqual([
      `refund-${refundId}`,
      `refund-${refundId}`,
    ]);
    expect(fake.intents.get(intentId)!.amount_refunded).toBe(400);
    expect(await ctx.services.orders.settlePendingRefunds()).toEqual({ succeeded: 0, failed: 0 });
  });

  test('a refund Stripe turns down is taken back off the order', async () => {
    const { seller, orderId, intentId } = await paidOrder();
    const { hold, answer } = await refundLeftHanging(seller, orderId, {});
    expect(await orderOf(orderId)).toEqual({ status: 'refunded', refunded: 1000 });

    clock.advance({ minutes: 6 });
    fake.failNext('/v1/refunds', 2, 400);
    expect(await ctx.services.orders.settlePendingRefunds()).toEqual({ succeeded: 0, failed: 1 });
    expect(await refundOf(orderId)).toMatchObject({ status: 'failed' });
    expect(await orderOf(orderId)).toEqual({ status: 'paid', refunded: 0 });

    // The first request, refused too, undoes nothing twice.
    hold.release();
    expect((await answer).status).toBe(503);
    expect(await orderOf(orderId)).toEqual({ status: 'paid', refunded: 0 });
    expect(fake.intents.get(intentId)!.amount_refunded).toBe(0);
  });

  test('an unanswered retry leaves the refund booked for the next sweep', async () => {
    const { seller, orderId } = await paidOrder();
    const { hold, answer } = await refundLeftHanging(seller, orderId, { amount: 300 });
    clock.advance({ minutes: 6 });
    fake.failNext('/v1/refunds', 3);
    expect(await ctx.services.orders.settlePendingRefunds()).toEqual({ succeeded: 0, failed: 0 });
    expect(await refundOf(orderId)).toMatchObject({ status: 'pending' });
    expect(await orderOf(orderId)).toEqual({ status: 'partially_refunded', refunded: 300 });

    clock.advance({ minutes: 6 });
    expect(await ctx.services.orders.settlePendingRefunds()).toEqual({ succeeded: 1, failed: 0 });
    expect(await refundOf(orderId)).toMatchObject({ status: 'succeeded' });
    hold.release();
    expect((await answer).status).toBe(200);
    expect(await orderOf(orderId)).toEqual({ status: 'partially_refunded', refunded: 300 });
  });
});
