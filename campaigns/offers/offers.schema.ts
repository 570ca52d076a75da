import { z } from 'zod';
import { checkDiscount, couponDiscountFields } from '../../src/coupons';
import { cursorParam, idValue, isoDateTime, limitParam } from '../../src/http/common-schemas';

export const OFFER_STATUSES = ['scheduled', 'active', 'exhausted', 'ended'] as const;
export const CONVERSION_FAILURES = [
  'insufficient_points',
  'budget_exhausted',
  'limit_reached',
  'offer_not_active',
] as const;
export type ConversionFailure = (typeof CONVERSION_FAILURES)[number];

const couponTemplate = z
  .object({ ...couponDiscountFields, validDays: z.number().int().min(1).max(3650) })
  .strict()
  .superRefine(checkDiscount);

export const createOfferBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    pointsCost: z.number().int().min(1).max(1_000_000),
    coupon: couponTemplate,
    budget: z.number().int().min(1).max(10_000_000),
    perUserLimit: z.number().int().min(1).max(1000).default(1),
    startsAt: isoDateTime,
    endsAt: isoDateTime,
  })
  .strict()
  .refine((body) => new Date(body.endsAt) > new Date(body.startsAt), {
    message: 'must be after startsAt',
    path: ['endsAt'],
  })
  .openapi('CreatePointsOfferRequest');
export type CreateOfferInput = z.output<typeof createOfferBody>;

export const offerSchema = z
  .object({
    id: z.string(),
    brandId: z.string(),
    brandName: z.string().nullable(),
    title: z.string(),
    pointsCost: z.number().int(),
    coupon: z.object({
      discountType: z.enum(['percent', 'fixed']),
      percentOff: z.number().int().nullable(),
      amountOff: z.number().int().nullable(),
      currency: z.string().nullable(),
      minSpendAmount: z.number().int().nullable(),
      validDays: z.number().int(),
    }),
    budget: z.number().int(),
    issued: z.number().int(),
    perUserLimit: z.number().int(),
    startsAt: z.string(),
    endsAt: z.string(),
    status: z.enum(OFFER_STATUSES),
    createdAt: z.string(),
  })
  .openapi('PointsOffer');
export type OfferView = z.output<typeof offerSchema>;

export const offerStatsSchema = z
  .object({
    issued: z.number().int().openapi({ description: 'Coupons given out for points' }),
    redeemed: z
      .number()
      .int()
      .openapi({ description: 'Coupons of the offer redeemed by a paid order' }),
    redemptionRate: z.number().openapi({ description: 'redeemed / issued (0 when none issued)' }),
    revenueAmount: z.number().int().openapi({
      description:
        'What those orders charged after discounts, minus refunds, in `currency` (minor units)',
    }),
    currency: z.string().nullable().openapi({
      description:
        "The coupon's currency, else the one most redemptions were paid in; null before any",
    }),
    revenueByCurrency: z.array(z.object({ currency: z.string(), amount: z.number().int() })),
  })
  .openapi('PointsOfferStats');
export type OfferStatsView = z.output<typeof offerStatsSchema>;

export const ownOfferSchema = offerSchema
  .extend({ stats: offerStatsSchema })
  .openapi('OwnPointsOffer');

export const listOffersQuery = z.object({
  brandId: idValue.optional(),
  limit: limitParam,
  cursor: cursorParam,
});

export const conversionBody = z.object({ offerId: idValue }).strict().openapi('ConversionRequest');

export const conversionSchema = z
  .object({
    id: z.string(),
    offerId: z.string(),
    status: z.enum(['pending', 'completed', 'failed']),
    reason: z.enum(CONVERSION_FAILURES).nullable(),
    pointsCost: z.number().int().nullable(),
    couponCode: z.string().nullable(),
    createdAt: z.string(),
    settledAt: z.string().nullable(),
  })
  .openapi('PointsConversion');
export type ConversionView = z.output<typeof conversionSchema>;

export const airdropAcceptedSchema = z.object({ jobId: z.string() }).openapi('AirdropAccepted');

export const jobSchema = z
  .object({
    id: z.string(),
    kind: z.literal('airdrop'),
    state: z.enum(['waiting', 'active', 'completed', 'failed']),
    progress: z.object({ done: z.number().int(), total: z.number().int() }),
    result: z
      .object({
        issued: z.number().int(),
        stoppedBy: z.enum(['budget_exhausted', 'offer_not_active']).nullable(),
      })
      .optional(),
  })
  .openapi('Job');
export type JobView = z.output<typeof jobSchema>;
