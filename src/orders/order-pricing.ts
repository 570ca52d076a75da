import { AppError } from '../http/app-error';
import { basisPointsOf, MAX_ORDER_AMOUNT } from '../money/arithmetic';

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

/**
 * The sum of an order's lines, at most MAX_ORDER_AMOUNT. The request's bounds keep a new order
 * under it; a listing priced before the bound existed could pass it, so the sum is taken in
 * bigint and refused (400 on `items`) rather than rounded.
 */
export function subtotalOf(lines: PricedLine[]): number {
  const sum = lines.reduce(
    (total, line) => total + BigInt(line.unitAmount) * BigInt(line.quantity),
    0n,
  );
  if (sum > BigInt(MAX_ORDER_AMOUNT))
    throw AppError.invalid(
      'order_too_large',
      `items must add up to at most ${MAX_ORDER_AMOUNT} minor units`,
      'items',
    );
  return Number(sum);
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
