import type { Queue } from 'bullmq';
import type { Db } from '../db/db';
import type Stripe from 'stripe';
import type { Clock } from '../clock';
import { AppError } from '../http/app-error';
import type { Logger } from '../logger';
import type { OrdersService } from '../orders';
import { PaymentEventsRepository } from './payment-events.repository';
import { PayoutAccountsRepository } from './payout-accounts.repository';
import type { StripeClient } from './stripe-provider';

export const HANDLE_STRIPE_EVENT = 'handle-stripe-event';

export interface WebhookSettings {
  stripe: StripeClient | null;
  webhookSecret: string | null;
}

/**
 * Stripe webhooks: verified with the SDK, stored by event id (a redelivery is stored once),
 * acknowledged at once and handled by a queue job whose id is the event id. Every handler is
 * a conditional state change, so replays and out-of-order events never move an order back.
 */
export class WebhooksService {
  private readonly events: PaymentEventsRepository;
  private readonly accounts: PayoutAccountsRepository;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly queue: Queue,
    private readonly orders: OrdersService,
    private readonly settings: WebhookSettings,
    private readonly logger: Logger,
  ) {
    this.events = new PaymentEventsRepository(db);
    this.accounts = new PayoutAccountsRepository(db);
  }

  async receive(
    rawBody: Buffer | undefined,
    signature: string | undefined,
  ): Promise<{ received: true }> {
    const { stripe, webhookSecret } = this.settings;
    if (!stripe || !webhookSecret)
      throw AppError.invalid('webhooks_not_configured', 'Stripe is not configured on this server.');
    if (!rawBody || !signature)
      throw AppError.invalid(
        'signature_missing',
        'A signed Stripe event body is required.',
        'Stripe-Signature',
      );
    const sdk = await stripe();
    let event: Stripe.Event;
    try {
      event = sdk.webhooks.constructEvent(rawBody, signature, webhookSecret);
    } catch {
      throw AppError.invalid(
        'signature_invalid',
        'The Stripe-Signature does not match this body.',
        'Stripe-Signature',
      );
    }
    await this.events.store(
      { id: event.id, type: event.type, payload: rawBody.toString('utf8') },
      this.clock.now().toJSDate(),
    );
    const stored = await this.events.findProcessedAt(event.id);
    if (!stored?.processedAt) {
      await this.queue.add(
        HANDLE_STRIPE_EVENT,
        { eventId: event.id },
        { jobId: `stripe:event:${event.id}` },
      );
    }
    return { received: true };
  }

  async handle(eventId: string): Promise<string> {
    const stored = await this.events.find(eventId);
    if (!stored) return 'unknown_event';
    if (stored.processedAt) return 'already_processed';
    const event = JSON.parse(stored.payload) as Stripe.Event;
    const outcome = await this.apply(event);
    await this.events.markProcessed(eventId, outcome, this.clock.now().toJSDate());
    this.logger.info({ eventId, type: event.type, outcome }, 'stripe event handled');
    return outcome;
  }

  private async apply(event: Stripe.Event): Promise<string> {
    switch (event.type) {
      case 'payment_intent.succeeded': {
        const orderId = await this.orderFor(event.data.object);
        if (!orderId) return 'unknown_object';
        if (await this.orders.markPaid(orderId)) return 'order_paid';
        await this.orders.refundLatePayment(orderId);
        return 'no_change';
      }
      case 'payment_intent.payment_failed': {
        const orderId = await this.orderFor(event.data.object);
        if (!orderId) return 'unknown_object';
        return (await this.orders.failPayment(orderId)) ? 'order_released' : 'no_change';
      }
      case 'charge.refunded': {
        const charge = event.data.object;
        const paymentIntentId =
          typeof charge.payment_intent === 'string'
            ? charge.payment_intent
            : charge.payment_intent?.id;
        if (!paymentIntentId) return 'unknown_object';
        return (await this.orders.syncProviderRefund(paymentIntentId, charge.amount_refunded))
          ? 'refund_booked'
          : 'no_change';
      }
      case 'account.updated': {
        const account = event.data.object;
        const changed = await this.accounts.updateStatus(
          account.id,
          {
            chargesEnabled: account.charges_enabled,
            payoutsEnabled: account.payouts_enabled,
            detailsSubmitted: account.details_submitted,
          },
          this.clock.now().toJSDate(),
        );
        return changed ? 'account_updated' : 'unknown_object';
      }
      default:
        return 'ignored';
    }
  }

  private orderFor(intent: Stripe.PaymentIntent): Promise<string | null> {
    return this.orders.orderIdForPaymentIntent(intent.id, intent.metadata?.orderId);
  }
}
