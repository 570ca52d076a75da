import type { OfferRow } from './offers.repository';
import type { OfferView } from './offers.schema';

export function isOfferOpen(offer: OfferRow, now: Date): boolean {
  return offer.startsAt.getTime() <= now.getTime() && now.getTime() < offer.endsAt.getTime();
}

export function offerStatus(offer: OfferRow, now: Date): OfferView['status'] {
  if (now.getTime() < offer.startsAt.getTime()) return 'scheduled';
  if (now.getTime() >= offer.endsAt.getTime()) return 'ended';
  return offer.issued >= offer.budget ? 'exhausted' : 'active';
}

export function toOfferView(offer: OfferRow, now: Date): OfferView {
  return {
    id: offer.id,
    brandId: offer.brandId,
    brandName: offer.brandName,
    title: offer.title,
    pointsCost: offer.pointsCost,
    coupon: {
      discountType: offer.discountType,
      percentOff: offer.percentOff,
      amountOff: offer.amountOff === null ? null : Number(offer.amountOff),
      currency: offer.currency,
      minSpendAmount: offer.minSpendAmount === null ? null : Number(offer.minSpendAmount),
      validDays: offer.validDays,
    },
    budget: offer.budget,
    issued: offer.issued,
    perUserLimit: offer.perUserLimit,
    startsAt: offer.startsAt.toISOString(),
    endsAt: offer.endsAt.toISOString(),
    status: offerStatus(offer, now),
    createdAt: offer.createdAt.toISOString(),
  };
}
