import type { WebhookEventInput } from '../webhooks';
import type { OrderRow } from './orders.repository';

type OrderEventType = 'order.created' | 'order.paid' | 'order.shipped' | 'order.refunded';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** An order's webhook event, for its seller's endpoints (and admins'). */
export function orderEvent(
  type: OrderEventType,
  order: OrderRow,
  extra: { key?: string; refund?: { id: string; amount: number } } = {},
): WebhookEventInput {
  return {
    type,
    key: extra.key ?? `${type}:${order.id}`,
    sellerId: order.sellerId,
    data: {
      object: 'order',
      id: order.id,
      status: order.status,
      buyerId: order.buyerId,
      sellerId: order.sellerId,
      currency: order.currency,
      subtotalAmount: order.subtotalAmount,
      discountAmount: order.discountAmount,
      totalAmount: order.totalAmount,
      refundedAmount: order.refundedAmount,
      couponCode: order.couponCode,
      dropId: order.dropId,
      carrier: order.carrier,
      trackingNumber: order.trackingNumber,
      createdAt: iso(order.createdAt),
      paidAt: iso(order.paidAt),
      shippedAt: iso(order.shippedAt),
      ...(extra.refund ? { refund: extra.refund } : {}),
    },
  };
}

/** A coupon redeemed by a paid order, for the coupon's brand's endpoints (and admins'). */
export function couponRedeemedEvent(order: OrderRow): WebhookEventInput {
  return {
    type: 'coupon.redeemed',
    key: `coupon.redeemed:${order.couponId}:${order.id}`,
    brandId: order.couponBrandId,
    data: {
      object: 'coupon_redemption',
      couponId: order.couponId,
      couponCode: order.couponCode,
      orderId: order.id,
      currency: order.currency,
      discountAmount: order.discountAmount,
      redeemedAt: iso(order.paidAt),
    },
  };
}
