import { z } from 'zod';
import type { ApiRoutes } from '../http/route';
import type { AccountsService } from '../accounts';
import type { PayoutsService } from './payouts.service';
import type { WebhooksService } from './webhooks.service';

export function paymentsRoutes(
  routes: ApiRoutes,
  payouts: PayoutsService,
  webhooks: WebhooksService,
  accounts: AccountsService,
): void {
  routes.add({
    method: 'post',
    path: '/v1/payouts/onboarding',
    operationId: 'startPayoutOnboarding',
    summary: 'Start (or resume) payout onboarding: a Stripe Connect Express account and its link',
    tag: 'Payments',
    access: 'signed-in',
    response: z
      .object({ accountId: z.string(), url: z.string().nullable() })
      .openapi('PayoutOnboarding'),
    errors: [503],
    handler: async ({ auth }) => {
      const user = await accounts.getUser(auth!.userId);
      return payouts.startOnboarding({ userId: user.id, email: user.email, country: user.country });
    },
  });
  routes.add({
    method: 'post',
    path: '/v1/webhooks/stripe',
    operationId: 'receiveStripeEvent',
    summary: 'Stripe events (signature checked against STRIPE_WEBHOOK_SECRET)',
    tag: 'Payments',
    access: 'public',
    response: z.object({ received: z.literal(true) }),
    handler: ({ req }) => webhooks.receive(req.rawBody, req.get('stripe-signature')),
  });
}
