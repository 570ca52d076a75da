import { AppError } from '../../src/http/app-error';
import { isOfferOpen } from './offer-view';
import type { OfferRow } from './offers.repository';
import type { ConversionFailure } from './offers.schema';

/** What is known of a member and an offer when a conversion is asked for. */
export interface ConversionStanding {
  now: Date;
  balance: number;
  /** Coupons of this offer the member already holds. */
  owned: number;
}

/**
 * Why a conversion cannot succeed, judged from what the request already shows; checked in the
 * order the settling job checks them. Null: it may still succeed (races are settled by the job).
 */
export function conversionRefusal(
  offer: OfferRow,
  standing: ConversionStanding,
): ConversionFailure | null {
  if (!isOfferOpen(offer, standing.now)) return 'offer_not_active';
  if (standing.balance < offer.pointsCost) return 'insufficient_points';
  if (standing.owned >= offer.perUserLimit) return 'limit_reached';
  if (offer.issued >= offer.budget) return 'budget_exhausted';
  return null;
}

/** The 409 answering a conversion refused at once. */
export function refusalError(
  reason: ConversionFailure,
  offer: OfferRow,
  standing: ConversionStanding,
): AppError {
  const messages: Record<ConversionFailure, string> = {
    offer_not_active: 'This offer is not open right now.',
    insufficient_points: `This offer costs ${offer.pointsCost} points and you have ${standing.balance}.`,
    limit_reached: `You already hold ${standing.owned} coupon(s) of this offer, as many as a member may.`,
    budget_exhausted: 'Every coupon of this offer has been given out.',
  };
  return AppError.conflict(reason, messages[reason], 'offerId');
}
