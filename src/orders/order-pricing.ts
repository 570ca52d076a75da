import { basisPointsOf } from '../money/arithmetic';

export interface PricedLine {
  listingId: string;
  title: string;
  quantity: number;
  unitAmount: number;
}

export interface OrderAmounts {
  subtotalAmount: number;
  discountAmount: number;
  totalAmount: number;
  platformFeeAmount: number;
}

export function subtotalOf(lines: PricedLine[]): number {
  return lines.reduce((sum, line) => sum + line.unitAmount * line.quantity, 0);
}

/** Totals of an order; the discount is capped at the subtotal, the fee taken from the total. */
export function priceOrder(
  lines: PricedLine[],
  discountAmount: number,
  platformFeeBps: number,
): OrderAmounts {
  const subtotalAmount = subtotalOf(lines);
  const discount = Math.min(Math.max(0, discountAmount), subtotalAmount);
  const totalAmount = subtotalAmount - discount;
  return {
    subtotalAmount,
    discountAmount: discount,
    totalAmount,
    platformFeeAmount: basisPointsOf(totalAmount, platformFeeBps),
  };
}
