import type Stripe from 'stripe';
import { PaymentRefused, type PaymentProvider } from './payment-provider';

export interface StripeSettings {
  secretKey: string;
  /** A Stripe-compatible server for tests, e.g. http://127.0.0.1:12111. */
  apiBase?: string;
}

/**
 * The Stripe client, made on first use: loading the SDK costs a process (and every test file)
 * a few hundred milliseconds, and most never take a payment through Stripe.
 */
export type StripeClient = () => Promise<Stripe>;

export function createStripeClient(settings: StripeSettings): StripeClient {
  const base = settings.apiBase ? new URL(settings.apiBase) : undefined;
  let client: Promise<Stripe> | undefined;
  return () =>
    (client ??= import('stripe').then(
      ({ default: StripeSdk }) =>
        new StripeSdk(settings.secretKey, {
          maxNetworkRetries: 2,
          timeout: 10_000,
          telemetry: false,
          ...(base
            ? {
                host: base.hostname,
                port: base.port || (base.protocol === 'https:' ? 443 : 80),
                protocol: base.protocol === 'https:' ? ('https' as const) : ('http' as const),
              }
            : {}),
        }),
    ));
}

/**
 * Stripe Connect destination charges: the buyer pays the platform, Stripe transfers the total
 * less `application_fee_amount` to the seller (https://docs.stripe.com/connect/destination-charges).
 * Every create carries an idempotency key derived from our own ids, so a retry after a
 * timeout never makes a second PaymentIntent or refund.
 */
export function stripeProvider(client: StripeClient): PaymentProvider {
  return {
    name: 'stripe',
    needsSellerAccount: true,
    isLocal: false,
    async createPayment(request) {
      const stripe = await client();
      const intent = await stripe.paymentIntents.create(
        {
          amount: request.amount,
          currency: request.currency.toLowerCase(),
          automatic_payment_methods: { enabled: true },
          ...(request.sellerAccountId
            ? { transfer_data: { destination: request.sellerAccountId } }
            : {}),
          ...(request.platformFeeAmount > 0
            ? { application_fee_amount: request.platformFeeAmount }
            : {}),
          metadata: { orderId: request.orderId },
        },
        { idempotencyKey: `order-${request.orderId}-payment-intent` },
      );
      return {
        paymentIntentId: intent.id,
        clientSecret: intent.client_secret,
        status: intent.status,
      };
    },
    async cancelPayment(paymentIntentId, orderId) {
      const stripe = await client();
      try {
        await stripe.paymentIntents.cancel(
          paymentIntentId,
          {},
          { idempotencyKey: `order-${orderId}-cancel` },
        );
      } catch (error) {
        // Already canceled or succeeded: the webhook decides what happens next.
        if (!(error instanceof stripe.errors.StripeInvalidRequestError)) throw error;
      }
    },
    async refund(request) {
      if (!request.paymentIntentId)
        throw new Error(`order ${request.orderId} has no PaymentIntent to refund`);
      const stripe = await client();
      try {
        const refund = await stripe.refunds.create(
          {
            payment_intent: request.paymentIntentId,
            amount: request.amount,
            metadata: { orderId: request.orderId, refundId: request.refundId },
          },
          { idempotencyKey: `refund-${request.refundId}` },
        );
        return { providerRefundId: refund.id };
      } catch (error) {
        throw refusedOrUnknown(stripe, error);
      }
    },
    async onboard(request) {
      const stripe = await client();
      const accountId =
        request.existingAccountId ??
        (
          await stripe.accounts.create(
            {
              type: 'express',
              country: request.country,
              email: request.email,
              capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
              metadata: { userId: request.userId },
            },
            { idempotencyKey: `onboard-${request.userId}` },
          )
        ).id;
      const link = await stripe.accountLinks.create({
        account: accountId,
        refresh_url: request.returnUrl,
        return_url: request.returnUrl,
        type: 'account_onboarding',
      });
      return { accountId, url: link.url };
    },
  };
}

/**
 * A 4xx from Stripe is an answer (e.g. the charge is already refunded); 409 (a request with
 * the same key still running) and 429 (rate limited) are not, nor is a timeout or a 5xx.
 */
function refusedOrUnknown(stripe: Stripe, error: unknown): unknown {
  const status = error instanceof stripe.errors.StripeError ? error.statusCode : undefined;
  if (status !== undefined && status >= 400 && status < 500 && status !== 409 && status !== 429)
    return new PaymentRefused(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  return error;
}
