import type { Tx } from '../db/sql';

/** The events integrators can subscribe to (API.md, Mail and notifications). */
export const WEBHOOK_EVENT_TYPES = [
  'order.created',
  'order.paid',
  'order.shipped',
  'order.refunded',
  'drop.live',
  'drop.ended',
  'coupon.redeemed',
  'conversion.completed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** One event, as the change that causes it reports it. */
export interface WebhookEventInput {
  type: WebhookEventType;
  /** What makes it one event (`order.paid:ord_…`): recorded again, it is not a second one. */
  key: string;
  /** Whose it is: endpoints of this seller, of this brand, and admins' endpoints receive it. */
  sellerId?: string | null;
  brandId?: string | null;
  data: Record<string, unknown>;
}

/** Where features record their events, in the transaction of the change itself. */
export interface WebhookEventRecorder {
  record(event: WebhookEventInput, transaction: Tx): Promise<void>;
}
