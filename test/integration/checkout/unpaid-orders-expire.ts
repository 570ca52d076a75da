import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../../jobs/worker';
import { ADDRESS, createListing, signUp } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';

/** Unpaid orders expire after their hold, stock and coupon going back. */
let expiring: TestContext;
let workers: RunningWorkers | undefined;

beforeAll(async () => {
  expiring = await startTestContext({ env: { ORDER_HOLD_MINUTES: '0.02' } });
});

afterAll(async () => {
  await workers?.close();
  await expiring.close();
});

test('an order expires on time, even if no worker ran at that moment; stock and coupon go back', async () => {
  const seller = await signUp(expiring.app);
  const listing = await createListing(expiring.app, seller, { quantity: 2 });
  const buyer = await signUp(expiring.app);
  const res = await request(expiring.app)
    .post('/v1/orders')
    .set(buyer.auth)
    .send({ items: [{ listingId: listing.id, quantity: 2 }], shippingAddress: ADDRESS });
  expect(res.status).toBe(201);
  // The hold (1.2 s) passes while no worker is running.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(
    (await request(expiring.app).get(`/v1/orders/${res.body.id}`).set(buyer.auth)).body.status,
  ).toBe('pending_payment');
  workers = await startWorkers(expiring.deps, expiring.services);
  const deadline = Date.now() + 10_000;
  let status = '';
  while (Date.now() < deadline && status !== 'expired') {
    status = (await request(expiring.app).get(`/v1/orders/${res.body.id}`).set(buyer.auth)).body
      .status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(status).toBe('expired');
  const listingNow = await request(expiring.app).get(`/v1/listings/${listing.id}`);
  expect(listingNow.body.quantity).toBe(2);
  const pay = await request(expiring.app).post(`/v1/orders/${res.body.id}/pay`).set(buyer.auth);
  expect(pay.status).toBe(409);
});
