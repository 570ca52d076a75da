import type { components } from '../api/schema';
import { toMinorUnits } from '../format/money';

type CreateBody = components['schemas']['CreateListingRequest'];

export interface ListingFormProblem {
  status: number;
  code: string;
  message: string;
  param: string | null;
}

const CONDITIONS = ['new', 'used', 'handmade'] as const;

/**
 * The listing form as the API's body. The price is typed in major units and turned into the
 * currency's minor units here; anything else the API checks itself and names in its answer.
 */
export function listingBodyOf(
  form: FormData,
  currency: string,
): { body: CreateBody } | { problem: ListingFormProblem } {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const priceAmount = toMinorUnits(text('price'), currency);
  if (priceAmount === undefined || priceAmount < 1)
    return {
      problem: { status: 400, code: 'price_format', message: '', param: 'priceAmount' },
    };
  const quantity = Number(text('quantity') || '1');
  const condition = text('condition');
  return {
    body: {
      title: text('title'),
      description: text('description'),
      priceAmount,
      currency,
      quantity: Number.isInteger(quantity) ? quantity : -1,
      category: text('category'),
      condition: (CONDITIONS as readonly string[]).includes(condition)
        ? (condition as CreateBody['condition'])
        : 'new',
      images: form.getAll('images').map(String).filter(Boolean),
      shipsTo: form.getAll('shipsTo').map(String).filter(Boolean),
    },
  };
}
