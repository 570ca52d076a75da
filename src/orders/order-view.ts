import { formatCouponCode } from '../coupons';
import type { PricedLine } from './order-pricing';
import type { NamedOrderRow } from './orders.repository';
import type { OrderView } from './orders.schema';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A vault member's order keeps only a reference to the address (src/vault): shown as null. */
function shownAddress(stored: string): OrderView['shippingAddress'] {
  const address = JSON.parse(stored) as
    NonNullable<OrderView['shippingAddress']> | { vaultRef: string };
  return 'vaultRef' in address ? null : address;
}

/** The API shape of an order; the client secret is shown to the buyer only. */
export function toOrderView(
  row: NamedOrderRow,
  items: PricedLine[],
  viewerId: string | null,
): OrderView {
  return {
    id: row.id,
    status: row.status,
    buyerId: row.buyerId,
    buyerName: row.buyerName,
    sellerId: row.sellerId,
    sellerName: row.sellerName,
    items: items.map(({ listingId, title, quantity, unitAmount }) => ({
      listingId,
      title,
      quantity,
      unitAmount,
    })),
    currency: row.currency,
    subtotalAmount: row.subtotalAmount,
    discountAmount: row.discountAmount,
    totalAmount: row.totalAmount,
    platformFeeAmount: row.platformFeeAmount,
    refundedAmount: row.refundedAmount,
    couponCode: row.couponCode ? formatCouponCode(row.couponCode) : null,
    dropId: row.dropId,
    referringNoteId: row.referringNoteId,
    shippingAddress: shownAddress(row.shippingAddress),
    payment: {
      provider: row.paymentProvider,
      status: row.paymentStatus,
      ...(row.paymentIntentId ? { paymentIntentId: row.paymentIntentId } : {}),
      ...(row.paymentClientSecret && viewerId === row.buyerId
        ? { clientSecret: row.paymentClientSecret }
        : {}),
    },
    carrier: row.carrier,
    trackingNumber: row.trackingNumber,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    paidAt: iso(row.paidAt),
    shippedAt: iso(row.shippedAt),
    completedAt: iso(row.completedAt),
    canceledAt: iso(row.canceledAt),
  };
}
