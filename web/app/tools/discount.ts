import { formatMoney } from '../format/money';

interface Discount {
  discountType: 'percent' | 'fixed';
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
}

/** "10%" or "¥500": what a coupon takes off, in the viewer's language. */
export function discountText(discount: Discount, locale: string): string {
  if (discount.discountType === 'percent')
    return new Intl.NumberFormat(locale, { style: 'percent' }).format(
      (discount.percentOff ?? 0) / 100,
    );
  return formatMoney(discount.amountOff ?? 0, discount.currency ?? 'USD', locale);
}
