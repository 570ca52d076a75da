import type { Problem } from '../components/FormProblem';
import { toMinorUnits } from '../format/money';

export interface DiscountInput {
  discountType: 'percent' | 'fixed';
  percentOff?: number;
  amountOff?: number;
  currency?: string;
  minSpendAmount?: number;
}

const invalid = (param: string): Problem => ({
  status: 400,
  code: 'invalid_amount',
  message: '',
  param,
});

/**
 * The discount fields of a coupon form (DiscountFields.tsx), amounts typed in major units;
 * a field that is not a number is refused here, everything else by the API.
 */
export function readDiscount(form: FormData): DiscountInput | Problem {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const currency = text('currency').toUpperCase();
  const minSpendText = text('minSpend');
  let minSpendAmount: number | undefined;
  if (minSpendText !== '') {
    minSpendAmount = toMinorUnits(minSpendText, currency || 'USD');
    if (minSpendAmount === undefined) return invalid('minSpendAmount');
  }
  const common = {
    ...(currency ? { currency } : {}),
    ...(minSpendAmount !== undefined ? { minSpendAmount } : {}),
  };
  if (text('discountType') === 'fixed') {
    const amountOff = toMinorUnits(text('amountOff'), currency || 'USD');
    if (amountOff === undefined) return invalid('amountOff');
    return { discountType: 'fixed', amountOff, ...common };
  }
  const percentOff = Number(text('percentOff'));
  if (!Number.isInteger(percentOff)) return invalid('percentOff');
  return { discountType: 'percent', percentOff, ...common };
}

export function isProblem(value: object): value is Problem {
  return 'status' in value && 'code' in value;
}
