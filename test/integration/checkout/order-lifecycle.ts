import request from 'supertest';
import { selectOne } from '../../../src/db/sql';
import { createListing, signUp } from '../../support/fixtures';
import { checkoutClient, useCheckoutApp } from './checkout-client';

/** An order after checkout: paid, shipped, completed, canceled or refunded. */
const ctx = useCheckoutApp();
const { order, listingQuantity } = checkoutClient(ctx);

test('pay, ship, complete; illegal transitions are 409 and change nothing', async () => {
  const seller = await signUp(ctx.app);
  const listing = await createListing(ctx.app, seller);
  const buyer = await signUp(ctx.app);
  const { body: created } = await order(buyer, {
    items: [{ listingId: listing.id, quantity: 2 }],
  });
  const path = `/v1/orders/${created.id}`;

  const early = await request(ctx.server).post(`${path}/complete`).set(buyer.auth);
  expect(early.status).toBe(409);
  expect(early.body.error).toMatchObject({ type: 'conflict', code: 'invalid_state' });
  expect((await request(ctx.server).post(`${path}/ship`).set(seller.auth).send({})).status).toBe(
    409,
  );

  const paid = await request(ctx.server).post(`${path}/pay`).set(buyer.auth);
  expect(paid.status).toBe(200);
  expect(paid.body).toMatchObject({ status: 'paid', payment: { status: 'succeeded' } });
  expect(paid.body.paidAt).not.toBeNull();
  expect((await request(ctx.server).post(`${path}/pay`).set(buyer.auth)).status).toBe(409);
  expect((await request(ctx.server).post(`${path}/cancel`).set(buyer.auth)).status).toBe(409);

  const shipped = await request(ctx.server)
    .post(`${path}/ship`)
    .set(seller.auth)
    .send({ carrier: 'Japan Post', trackingNumber: 'EJ123' });
  expect(shipped.body).toMatchObject({
    status: 'shipped',
    carrier: 'Japan Post',
    trackingNumber: 'EJ123',
  });
  const done = await request(ctx.server).post(`${path}/complete`).set(buyer.auth);
  expect(done.body.status).toBe('completed');
  expect(await listingQuantity(listing.id)).toBe(3);
});

test('cancel gives back stock', async () => {
  const seller = await signUp(ctx.app);
  const listing = await createListing(ctx.app, seller);
  const buyer = await signUp(ctx.app);
  const { body: created } = await order(buyer, {
    items: [{ listingId: listing.id, quantity: 4 }],
  });
  expect(await listingQuantity(listing.id)).toBe(1);
  const canceled = await request(ctx.server)
    .post(`/v1/orders/${created.id}/cancel`)
    .set(buyer.auth);
  expect(canceled.body).toMatchObject({ status: 'canceled' });
  expect(await listingQuantity(listing.id)).toBe(5);
  expect(
    (await request(ctx.server).post(`/v1/orders/${created.id}/cancel`).set(buyer.auth)).status,
  ).toBe(409);
  expect(await listingQuantity(listing.id)).toBe(5);
});

test('refunds: partial, then the rest; never more than paid; only seller or admin', async () => {
  const seller = await signUp(ctx.app);
  const listing = await createListing(ctx.app, seller, { priceAmount: 1000 });
  const buyer = await signUp(ctx.app);
  const { body: created } = await order(buyer, {
    items: [{ listingId: listing.id, quantity: 1 }],
  });
  const path = `/v1/orders/${created.id}`;
  expect((await request(ctx.server).post(`${path}/refund`).set(seller.auth).send({})).status).toBe(
    409,
  );
  await request(ctx.server).post(`${path}/pay`).set(buyer.auth);
  expect((await request(ctx.server).post(`${path}/refund`).set(buyer.auth).send({})).status).toBe(
    403,
  );
  const partial = await request(ctx.server)
    .post(`${path}/refund`)
    .set(seller.auth)
    .send({ amount: 300 });
  expect(partial.body).toMatchObject({ status: 'partially_refunded', refundedAmount: 300 });
  const tooMuch = await request(ctx.server)
    .post(`${path}/refund`)
    .set(seller.auth)
    .send({ amount: 701 });
  expect(tooMuch.status).toBe(400);
  expect(tooMuch.body.error.param).toBe('amount');
  const rest = await request(ctx.server).post(`${path}/refund`).set(seller.auth).send({});
  expect(rest.body).toMatchObject({ status: 'refunded', refundedAmount: 1000 });
  expect((await request(ctx.server).post(`${path}/refund`).set(seller.auth).send({})).status).toBe(
    409,
  );
});

test('concurrent partial refunds never exceed the total', async () => {
  const seller = await signUp(ctx.app);
  const listing = await createListing(ctx.app, seller, { priceAmount: 1000 });
  const buyer = await signUp(ctx.app);
  const { body: created } = await order(buyer, {
    items: [{ listingId: listing.id, quantity: 1 }],
  });
  await request(ctx.server).post(`/v1/orders/${created.id}/pay`).set(buyer.auth);
  const answers = await Promise.all(
    Array.from({ length: 10 }, () =>
      request(ctx.server)
        .post(`/v1/orders/${created.id}/refund`)
        .set(seller.auth)
        .send({ amount: 300 }),
    ),
  );
  expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
  const row = await selectOne<{ refunded: number }>(
    ctx.db,
    'SELECT refunded_amount AS refunded FROM orders WHERE id = ?',
    [created.id],
  );
  expect(row!.refunded).toBe(900);
});
