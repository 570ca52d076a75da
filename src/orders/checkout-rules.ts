import { evaluateCoupon, type CouponRow } from '../coupons';
import { AppError } from '../http/app-error';
import type { CheckoutListing } from './checkout.repository';
import type { NewOrder, OrderRow } from './orders.repository';

/**
 * The listings of an order as the rules allow them: each exists and is for sale, ships to the
 * address's country, and all share one seller and one currency the buyer is not.
 */
export function checkoutListings(
  buyerId: string,
  ids: string[],
  found: CheckoutListing[],
  country: string,
): CheckoutListing[] {
  const byId = new Map(found.map((listing) => [listing.id, listing]));
  const listings = ids.map((id, index) => {
    const listing = byId.get(id);
    if (!listing || listing.status === 'archived') {
      throw new AppError(
        404,
        'not_found',
        'listing_not_found',
        `No such listing: ${id}.`,
        `items.${index}.listingId`,
      );
    }
    if (listing.status !== 'active')
      throw AppError.conflict(
        'listing_not_available',
        `Listing ${id} is not for sale right now.`,
        `items.${index}.listingId`,
      );
    const shipsTo = JSON.parse(listing.shipsTo) as string[];
    if (shipsTo.length > 0 && !shipsTo.includes(country))
      throw AppError.invalid(
        'cannot_ship_to',
        `Listing ${id} does not ship to ${country}; it ships to ${shipsTo.join(', ')}.`,
        'shippingAddress.country',
      );
    return listing;
  });
  if (new Set(listings.map((l) => l.sellerId)).size > 1) {
    throw AppError.invalid(
      'multiple_sellers',
      'An order holds items of one seller; place one order per seller.',
      'items',
    );
  }
  if (new Set(listings.map((l) => l.currency)).size > 1) {
    throw AppError.invalid(
      'currency_mismatch',
      'An order is in one currency; these listings are priced in several.',
      'items',
    );
  }
  if (listings[0]!.sellerId === buyerId)
    throw AppError.forbidden('You cannot buy your own listing.', 'own_listing');
  return listings;
}

/** The coupon of an order, if it applies to these items for this buyer. */
export function applicableCoupon(
  row: CouponRow | undefined,
  buyerId: string,
  listing: CheckoutListing,
  subtotalAmount: number,
  now: Date,
) {
  if (!row)
    throw new AppError(404, 'not_found', 'coupon_not_found', 'No such coupon code.', 'couponCode');
  const verdict = evaluateCoupon(row, {
    buyerId,
    sellerBrandId: listing.sellerBrandId,
    currency: listing.currency,
    subtotalAmount,
    now,
  });
  if (!verdict.valid)
    throw AppError.conflict(verdict.reason, couponMessage(verdict.reason), 'couponCode');
  return { row, discountAmount: verdict.discountAmount };
}

/** The full row of an order just written: nothing refunded, shipped or closed yet. */
export function newOrderRow(order: NewOrder): OrderRow {
  return {
    ...order,
    refundedAmount: 0,
    carrier: null,
    trackingNumber: null,
    paidAt: null,
    shippedAt: null,
    completedAt: null,
    canceledAt: null,
  };
}

function couponMessage(reason: string): string {
  switch (reason) {
    case 'coupon_expired':
      return 'This coupon has expired.';
    case 'coupon_already_used':
      return 'This coupon has already been used.';
    case 'currency_mismatch':
      return "The coupon's currency differs from the order's.";
    case 'coupon_min_spend_not_met':
      return 'The order does not reach the coupon’s minimum spend.';
    default:
      return 'This coupon does not apply to these items.';
  }
}
