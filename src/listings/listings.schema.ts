import { z } from 'zod';
import {
  countryCode,
  currencyCode,
  cursorParam,
  idValue,
  limitParam,
  minorAmount,
} from '../http/common-schemas';
import { imageRef, mediaSchema } from '../media';

export const CONDITIONS = ['new', 'used', 'handmade'] as const;
export const LISTING_STATUSES = ['active', 'paused', 'archived'] as const;

const category = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .transform((value) => value.toLowerCase())
  .refine((value) => value.length <= 60, {
    message: 'must be at most 60 characters once lower-cased',
  });

const editable = {
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(10_000),
  priceAmount: minorAmount.min(1),
  quantity: z.number().int().min(0).max(1_000_000),
  category,
  condition: z.enum(CONDITIONS),
  images: z.array(imageRef).max(10),
  shipsTo: z.array(countryCode).max(250),
};

export const createListingBody = z
  .object({
    ...editable,
    currency: currencyCode,
    images: editable.images.optional(),
    shipsTo: editable.shipsTo.optional(),
  })
  .strict()
  .openapi('CreateListingRequest');
export type CreateListingInput = z.output<typeof createListingBody>;

export const patchListingBody = z
  .object({
    title: editable.title.optional(),
    description: editable.description.optional(),
    priceAmount: editable.priceAmount.optional(),
    quantity: editable.quantity.optional(),
    category: editable.category.optional(),
    condition: editable.condition.optional(),
    images: editable.images.optional(),
    shipsTo: editable.shipsTo.optional(),
    status: z.enum(['active', 'paused']).optional(),
  })
  .strict()
  .openapi('UpdateListingRequest');
export type PatchListingInput = z.output<typeof patchListingBody>;

const price = z.coerce.number().int().min(0).max(1_000_000_000_000);

export const browseQuery = z
  .object({
    q: z.string().trim().max(200).optional().openapi({
      description:
        'Words of the title or description (any language); the last may be a prefix. A q with no letter or digit matches nothing.',
    }),
    category: category.optional(),
    condition: z.enum(CONDITIONS).optional(),
    currency: currencyCode.optional(),
    minPrice: price.optional(),
    maxPrice: price.optional(),
    sellerId: idValue.optional(),
    shipsTo: countryCode.optional(),
    limit: limitParam,
    cursor: cursorParam,
  })
  .refine(
    (query) =>
      query.minPrice === undefined ||
      query.maxPrice === undefined ||
      query.minPrice <= query.maxPrice,
    {
      message: 'minPrice must not exceed maxPrice',
      path: ['minPrice'],
    },
  )
  // Prices are in minor units of their own currency: 15000 yen and 15000 cents are not comparable.
  .refine(
    (query) =>
      query.currency !== undefined ||
      (query.minPrice === undefined && query.maxPrice === undefined),
    {
      message: 'currency is required with minPrice or maxPrice',
      path: ['currency'],
    },
  );
export type BrowseQuery = z.output<typeof browseQuery>;

export const OWN_LISTING_FILTERS = ['active', 'paused', 'archived', 'sold_out'] as const;

export const ownListingsQuery = z.object({
  status: z
    .enum(OWN_LISTING_FILTERS)
    .optional()
    .openapi({
      description:
        'None: every listing of yours. `active` is every active listing, sold out or not; ' +
        '`sold_out` only the active ones with quantity 0 (nothing left outside pending orders and drops).',
    }),
  limit: limitParam,
  cursor: cursorParam,
});
export type OwnListingsQuery = z.output<typeof ownListingsQuery>;

const listingDropSchema = z
  .object({
    id: z.string(),
    status: z.enum(['scheduled', 'live']),
    startsAt: z.string(),
    endsAt: z.string(),
  })
  .openapi('ListingDrop');

export const listingSchema = z
  .object({
    id: z.string(),
    sellerId: z.string(),
    sellerName: z.string().openapi({ description: "The seller's display name" }),
    title: z.string(),
    description: z.string(),
    priceAmount: z.number(),
    currency: z.string(),
    quantity: z.number().openapi({
      description:
        'Units left to sell: held by pending orders or set aside for a drop are not in it',
    }),
    category: z.string(),
    condition: z.enum(CONDITIONS),
    images: z.array(z.string()).openapi({
      description: "Image URLs; an uploaded photo's is its medium variant",
    }),
    media: z.array(mediaSchema).openapi({
      description: 'The uploaded photos among `images`, in order, with their variants',
    }),
    shipsTo: z.array(z.string()).openapi({ description: 'Empty: ships anywhere' }),
    status: z.enum(LISTING_STATUSES),
    createdAt: z.string(),
    updatedAt: z.string(),
    drop: listingDropSchema.nullable().openapi({
      description:
        "A scheduled or live puzzle drop of this listing: its units are bought with the drop's reservation, the listing's `quantity` without one",
    }),
  })
  .openapi('Listing');
export type ListingView = z.output<typeof listingSchema>;
