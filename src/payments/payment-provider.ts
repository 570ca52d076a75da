export type ProviderName = 'manual' | 'stripe';

export interface PaymentRequest {
  orderId: string;
  amount: number;
  currency: string;
  platformFeeAmount: number;
  /** The seller's connected account; required by providers that pay sellers out. */
  sellerAccountId: string | null;
}

export interface PaymentHandle {
  paymentIntentId: string | null;
  clientSecret: string | null;
  status: string;
}

export interface RefundRequest {
  refundId: string;
  orderId: string;
  paymentIntentId: string | null;
  amount: number;
}

export interface OnboardingRequest {
  userId: string;
  email: string;
  country: string;
  existingAccountId: string | null;
  returnUrl: string;
}

/**
 * The provider answered and said no (a 4xx from Stripe): trying again with the same request
 * cannot succeed. Any other error (a timeout, a 5xx) leaves the outcome unknown.
 */
export class PaymentRefused extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PaymentRefused';
  }
}

/** The small surface checkout needs from a payment provider. */
export interface PaymentProvider {
  readonly name: ProviderName;
  /** Whether sellers must have a connected account before they can be paid. */
  readonly needsSellerAccount: boolean;
  /** Answers createPayment without I/O, so checkout can write the handle with the order. */
  readonly isLocal: boolean;
  createPayment(request: PaymentRequest): Promise<PaymentHandle>;
  /** Cancels an unpaid payment so it can no longer succeed; unknown or finished ones are left alone. */
  cancelPayment(paymentIntentId: string, orderId: string): Promise<void>;
  /** Idempotent by `refundId`; throws `PaymentRefused` when the provider turns it down. */
  refund(request: RefundRequest): Promise<{ providerRefundId: string | null }>;
  onboard(request: OnboardingRequest): Promise<{ accountId: string; url: string | null }>;
}
