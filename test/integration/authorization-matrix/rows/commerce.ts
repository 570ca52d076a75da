import { ADDRESS, createListing } from '../../../support/fixtures';
import { signedWebhook } from '../../../support/stripe-fake';
import { batchBody, stripeEvent, WEBHOOK_SECRET } from '../bodies';
import { brandsOnly, everyone, only, type Row, signedIn } from '../table';
import { ctx, freshOrder, fx, users, webhookApp } from '../world';

/** Listings, orders, payments and coupons. */
export const commerceRows: Row[] = [
  // Listings
  {
    method: 'POST',
    path: '/v1/listings',
    expected: signedIn(201),
    target: () => ({
      url: '/v1/listings',
      body: {
        title: 'Tea bowl',
        description: 'Hand thrown',
        priceAmount: 2000,
        currency: 'USD',
        quantity: 1,
        category: 'ceramics',
        condition: 'handmade',
      },
    }),
  },
  {
    method: 'GET',
    path: '/v1/listings',
    expected: everyone(200),
    target: () => ({ url: '/v1/listings' }),
  },
  {
    method: 'GET',
    path: '/v1/listings/{id}',
    expected: everyone(200),
    target: () => ({ url: `/v1/listings/${fx.memberListing}` }),
  },
  {
    method: 'GET',
    path: '/v1/listings/{id}',
    variant: 'archived listing',
    // Visible to its seller only; a public route, so anonymous gets 404 too.
    expected: { ...everyone(404), member: 200 },
    target: () => ({ url: `/v1/listings/${fx.archivedListing}` }),
  },
  {
    method: 'GET',
    path: '/v1/me/listings',
    // Each signed-in user lists their own (the test of the route checks they see only theirs).
    expected: signedIn(200),
    target: () => ({ url: '/v1/me/listings?status=archived' }),
  },
  {
    method: 'PATCH',
    path: '/v1/listings/{id}',
    expected: only({ member: 200 }),
    target: () => ({ url: `/v1/listings/${fx.memberListing}`, body: { priceAmount: 2100 } }),
  },
  {
    method: 'DELETE',
    path: '/v1/listings/{id}',
    expected: only({ member: 200 }),
    target: async (as) => ({
      url: `/v1/listings/${as === 'member' ? (await createListing(ctx.app, users.member)).id : fx.memberListing}`,
    }),
  },

  // Orders: someone else's order is 404 (existence private); the other party of it 403.
  {
    method: 'POST',
    path: '/v1/orders',
    // brand is the seller: a buyer cannot buy their own listing.
    expected: { ...signedIn(201), brand: 403 },
    target: () => ({
      url: '/v1/orders',
      body: { items: [{ listingId: fx.brandListing, quantity: 1 }], shippingAddress: ADDRESS },
    }),
  },
  {
    method: 'GET',
    path: '/v1/orders',
    expected: signedIn(200),
    target: () => ({ url: '/v1/orders?role=buyer' }),
  },
  {
    method: 'GET',
    path: '/v1/orders/{id}',
    // API.md: buyer or seller of it. The code also lets an admin read any order (see report).
    expected: only({ member: 200, brand: 200, admin: 200 }, 404),
    target: () => ({ url: `/v1/orders/${fx.order}` }),
  },
  {
    method: 'POST',
    path: '/v1/orders/{id}/pay',
    expected: only({ member: 200, brand: 403 }, 404),
    target: async (as) => ({
      url: `/v1/orders/${as === 'member' ? await freshOrder('pending_payment') : fx.order}/pay`,
    }),
  },
  {
    method: 'POST',
    path: '/v1/orders/{id}/cancel',
    expected: only({ member: 200, brand: 403 }, 404),
    target: async (as) => ({
      url: `/v1/orders/${as === 'member' ? await freshOrder('pending_payment') : fx.order}/cancel`,
    }),
  },
  {
    method: 'POST',
    path: '/v1/orders/{id}/ship',
    expected: only({ brand: 200, member: 403 }, 404),
    target: async (as) => ({
      url: `/v1/orders/${as === 'brand' ? await freshOrder('paid') : fx.order}/ship`,
      body: { carrier: 'Yamato', trackingNumber: '1234-5678' },
    }),
  },
  {
    method: 'POST',
    path: '/v1/orders/{id}/complete',
    expected: only({ member: 200, brand: 403 }, 404),
    target: async (as) => ({
      url: `/v1/orders/${as === 'member' ? await freshOrder('shipped') : fx.order}/complete`,
    }),
  },
  {
    method: 'POST',
    path: '/v1/orders/{id}/refund',
    expected: only({ brand: 200, admin: 200, member: 403 }, 404),
    target: async (as) => ({
      url: `/v1/orders/${as === 'brand' || as === 'admin' ? await freshOrder('paid') : fx.order}/refund`,
      body: {},
    }),
  },

  // Payments
  {
    method: 'POST',
    path: '/v1/payouts/onboarding',
    expected: signedIn(200),
    target: () => ({ url: '/v1/payouts/onboarding' }),
  },
  {
    method: 'POST',
    path: '/v1/webhooks/stripe',
    // Public: Stripe signs it, no bearer token. Sent to the same app configured for Stripe.
    expected: everyone(200),
    target: () => {
      const { body, signature } = signedWebhook(stripeEvent(), WEBHOOK_SECRET);
      return {
        url: '/v1/webhooks/stripe',
        body,
        headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
        app: webhookApp,
      };
    },
  },

  // Coupons: another brand's batch is 404 (existence private), a non-brand 403.
  {
    method: 'POST',
    path: '/v1/brands/me/coupon-batches',
    expected: brandsOnly(201, 201),
    target: () => ({ url: '/v1/brands/me/coupon-batches', body: batchBody() }),
  },
  {
    method: 'GET',
    path: '/v1/brands/me/coupon-batches',
    // Each brand lists its own: the other brand gets its own (empty) list.
    expected: brandsOnly(200, 200),
    target: () => ({ url: '/v1/brands/me/coupon-batches' }),
  },
  {
    method: 'GET',
    path: '/v1/brands/me/coupon-batches/{id}',
    expected: brandsOnly(200, 404),
    target: () => ({ url: `/v1/brands/me/coupon-batches/${fx.couponBatch}` }),
  },
  {
    method: 'GET',
    path: '/v1/brands/me/coupon-batches/{id}/codes.csv',
    expected: brandsOnly(200, 404),
    target: () => ({ url: `/v1/brands/me/coupon-batches/${fx.couponBatch}/codes.csv` }),
  },
  {
    method: 'GET',
    path: '/v1/me/coupons',
    expected: signedIn(200),
    target: () => ({ url: '/v1/me/coupons' }),
  },
  {
    method: 'GET',
    path: '/v1/coupons/{code}/preview',
    expected: signedIn(200),
    target: () => ({
      url: `/v1/coupons/${fx.couponCode}/preview?listingId=${fx.brandListing}&quantity=1`,
    }),
  },
];
