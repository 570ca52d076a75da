import type { PaymentProvider } from './payment-provider';

/**
 * The local provider: no keys, no network. A payment is "requires_payment" until
 * POST /v1/orders/:id/pay marks it paid, as a succeeded payment would.
 */
export const manualProvider: PaymentProvider = {
  name: 'manual',
  needsSellerAccount: false,
  isLocal: true,
  async createPayment() {
    return { paymentIntentId: null, clientSecret: null, status: 'requires_payment' };
  },
  async cancelPayment() {},
  async refund() {
    return { providerRefundId: null };
  },
  async onboard({ userId }) {
    return { accountId: `manual_${userId}`, url: null };
  },
};
