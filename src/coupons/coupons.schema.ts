import { z } from 'zod';
import {
  currencyCode,
  idValue,
  isoDateTime,
  minorAmount,
  orderAmount,
} from '../http/common-schemas';

/** The discount a coupon gives; shared by batches and by points offers' coupon templates. */
export const couponDiscountFields = {
  discountType: z.enum(['percent', 'fixed']),
  percentOff: z.number().int().min(1).max(100).optional(),
  amountOff: minorAmount.min(1).optional(),
  currency: currencyCode.optional(),
  minSpendAmount: orderAmount.optional(),
};

type DiscountFields = {
  discountType: 'percent' | 'fixed';
  percentOff?: number;
  amountOff?: number;
  currency?: string;
  minSpendAmount?: number;
};

/** percent needs percentOff; fixed needs amountOff and currency; min spend needs a currency. */
export function checkDiscount(body: DiscountFields, ctx: z.RefinementCtx): void {
  if (body.discountType === 'percent') {
    if (body.percentOff === undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'required for a percent discount',
        path: ['percentOff'],
      });
    if (body.amountOff !== undefined)
      ctx.addIssue({ code: 'custom', message: 'only for a fixed discount', path: ['amountOff'] });
  } else {
    if (body.amountOff === undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'required for a fixed discount',
        path: ['amountOff'],
      });
    if (body.currency === undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'required for a fixed discount',
        path: ['currency'],
      });
    if (body.percentOff !== undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'only for a percent discount',
        path: ['percentOff'],
      });
  }
  if (body.minSpendAmount !== undefined && body.currency === undefined) {
    ctx.addIssue({ code: 'custom', message: 'required with minSpendAmount', path: ['currency'] });
  }
}

export const createBatchBody = z
  .object({
    count: z.number().int().min(1).max(100_000),
    ...couponDiscountFields,
    expiresAt: isoDateTime,
  })
  .strict()
  .superRefine(checkDiscount)
  .openapi('CreateCouponBatchRequest');
export type CreateBatchInput = z.output<typeof createBatchBody>;

export const batchSchema = z
  .object({
    id: z.string(),
    count: z.number(),
    generated: z.number(),
    status: z.enum(['pending', 'generating', 'ready']),
    progress: z
      .object({ done: z.number().int(), total: z.number().int() })
      .openapi({ description: 'Codes generated so far, of `count`' }),
    discountType: z.enum(['percent', 'fixed']),
    percentOff: z.number().nullable(),
    amountOff: z.number().nullable(),
    currency: z.string().nullable(),
    minSpendAmount: z.number().nullable(),
    expiresAt: z.string(),
    createdAt: z.string(),
    redeemedCount: z
      .number()
      .int()
      .openapi({ description: 'Codes of the batch redeemed by a paid order' }),
  })
  .openapi('CouponBatch');
export type BatchView = z.output<typeof batchSchema>;

export const couponSchema = z
  .object({
    code: z.string().openapi({ example: 'ABCD-EFGH-JKMN-PQRS' }),
    brandId: z.string(),
    brandName: z.string().nullable(),
    discountType: z.enum(['percent', 'fixed']),
    percentOff: z.number().nullable(),
    amountOff: z.number().nullable(),
    currency: z.string().nullable(),
    minSpendAmount: z.number().nullable(),
    expiresAt: z.string(),
    status: z.enum(['available', 'held', 'redeemed']),
    redeemedAt: z.string().nullable(),
  })
  .openapi('Coupon');
export type CouponView = z.output<typeof couponSchema>;

export const previewQuery = z.object({
  listingId: idValue,
  quantity: z.coerce.number().int().min(1).max(1000).default(1),
});

export const previewSchema = z
  .object({ valid: z.boolean(), discountAmount: z.number(), reason: z.string().optional() })
  .openapi('CouponPreview');
