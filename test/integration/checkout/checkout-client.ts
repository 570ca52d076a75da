import request from 'supertest';
import { selectOne } from '../../../src/db/sql';
import { ADDRESS, createListing, signUpBrand, type TestUser } from '../../support/fixtures';
import { type TestApp, useTestApp } from '../../support/test-app';

/** The app of a checkout part: a 2.5% platform fee, listening, so requests share one server. */
export function useCheckoutApp(): TestApp {
  return useTestApp({ env: { PLATFORM_FEE_BPS: '250' }, listen: true });
}

/** What the checkout parts do through the API of `ctx`, and the rows they read in its database. */
export function checkoutClient(ctx: TestApp) {
  const order = (buyer: TestUser, body: Record<string, unknown>) =>
    request(ctx.server)
      .post('/v1/orders')
      .set(buyer.auth)
      .send({ shippingAddress: ADDRESS, ...body });

  async function listingQuantity(id: string): Promise<number> {
    const row = await selectOne<{ quantity: number }>(
      ctx.db,
      'SELECT quantity FROM listings WHERE id = ?',
      [id],
    );
    return row!.quantity;
  }

  /** A brand seller with a listing and a batch of `count` coupons, generated in-process. */
  async function brandWithCoupons(
    count: number,
    discount: Record<string, unknown>,
    listing: Record<string, unknown> = {},
  ) {
    const brand = await signUpBrand(ctx.app);
    const item = await createListing(ctx.app, brand, listing);
    const batch = await request(ctx.server)
      .post('/v1/brands/me/coupon-batches')
      .set(brand.auth)
      .send({ count, expiresAt: new Date(Date.now() + 86_400_000).toISOString(), ...discount });
    expect(batch.status).toBe(201);
    await ctx.services.coupons.generateBatch(batch.body.id, async () => {});
    const csv = await request(ctx.server)
      .get(`/v1/brands/me/coupon-batches/${batch.body.id}/codes.csv`)
      .set(brand.auth);
    expect(csv.status).toBe(200);
    const codes = csv.text
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]!);
    return { brand, item, codes, batchId: batch.body.id as string };
  }

  return { order, listingQuantity, brandWithCoupons };
}
