import { z } from 'zod';
import { countryCode, cursorParam, idValue, limitParam, orderAmount } from '../http/common-schemas';
import { MAX_LINE_QUANTITY, MAX_ORDER_LINES } from '../money/arithmetic';
import { ORDER_STATUSES } from './order-state';

const text = (max: number) => z.string().trim().min(1).max(max);

export const shippingAddressSchema = z
  .object({
    name: text(200),
    line1: text(200),
    line2: z.string().trim().max(200).optional(),
    city: text(100),
    postalCode: text(20),
    country: countryCode,
  })
  .strict()
  .openapi('ShippingAddress');

export const createOrderBody = z
  .object({
    items: z
      .array(
        z
          .object({
            listingId: idValue,
            quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_ORDER_LINES)
      .refine((items) => new Set(items.map((i) => i.listingId)).size === items.length, {
        message: 'each listing may appear once; raise its quantity instead',
      }),
    couponCode: z.string().min(1).max(40).optional(),
    reservationToken: z.string().min(1).max(200).optional(),
    referringNoteId: idValue.optional().openapi({
      description:
        'The published note the buyer came through; it must link one of the items. Credited to the note in the seller’s content impact.',
    }),
    shippingAddress: shippingAddressSchema,
  })
  .strict()
  .openapi('CreateOrderRequest');
export type CreateOrderInput = z.output<typeof createOrderBody>;

export const shipBody = z
  .object({
    carrier: z.string().trim().min(1).max(100).optional(),
    trackingNumber: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
  .openapi('ShipOrderRequest');

export const refundBody = z
  .object({ amount: orderAmount.min(1).optional() })
  .strict()
  .openapi('RefundOrderRequest');

export const listOrdersQuery = z.object({
  role: z.enum(['buyer', 'seller']).default('buyer'),
  status: z.enum(ORDER_STATUSES).optional(),
  limit: limitParam,
  cursor: cursorParam,
});

export const orderSchema = z
  .object({
    id: z.string(),
    status: z.enum(ORDER_STATUSES),
    buyerId: z.string(),
    buyerName: z.string().openapi({ description: "The buyer's display name" }),
    sellerId: z.string(),
    sellerName: z.string().openapi({ description: "The seller's display name" }),
    items: z.array(
      z.object({
        listingId: z.string(),
        title: z.string(),
        quantity: z.number(),
        unitAmount: z.number(),
      }),
    ),
    currency: z.string(),
    subtotalAmount: z.number(),
    discountAmount: z.number(),
    totalAmount: z.number(),
    platformFeeAmount: z.number(),
    refundedAmount: z.number(),
    couponCode: z.string().nullable(),
    dropId: z.string().nullable(),
    referringNoteId: z.string().nullable(),
    shippingAddress: shippingAddressSchema.nullable().openapi({
      description:
        'null when the buyer keeps personal data in the data vault: read it with GET /v1/orders/{id}/shipping-address',
    }),
    payment: z.object({
      provider: z.enum(['manual', 'stripe']),
      status: z.string(),
      paymentIntentId: z.string().optional(),
      clientSecret: z.string().optional(),
    }),
    carrier: z.string().nullable(),
    trackingNumber: z.string().nullable(),
    createdAt: z.string(),
    expiresAt: z.string(),
    paidAt: z.string().nullable(),
    shippedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    canceledAt: z.string().nullable(),
  })
  .openapi('Order');
export type OrderView = z.output<typeof orderSchema>;
