import { toMinorUnits } from '../format/money';

/** The storefront's URL parameters: prices in major units, as a visitor types them. */
export interface BrowseFilters {
  q: string;
  category: string;
  condition: string;
  currency: string;
  min: string;
  max: string;
  shipsTo: string;
}

type Condition = 'new' | 'used' | 'handmade';

export interface ListingsQuery {
  q?: string;
  category?: string;
  condition?: Condition;
  currency?: string;
  minPrice?: number;
  maxPrice?: number;
  shipsTo?: string;
  cursor?: string;
  limit?: number;
}

const CONDITIONS: readonly string[] = ['new', 'used', 'handmade'];
export const PAGE_SIZE = 24;

/** URL parameters to the API's query; a price without a currency cannot be compared. */
export function browseQuery(params: URLSearchParams): {
  filters: BrowseFilters;
  query: ListingsQuery;
  problem: 'filters' | 'price_needs_currency' | null;
} {
  const get = (name: string) => (params.get(name) ?? '').trim();
  const filters: BrowseFilters = {
    q: get('q'),
    category: get('category'),
    condition: CONDITIONS.includes(get('condition')) ? get('condition') : '',
    currency: get('currency').toUpperCase(),
    min: get('min'),
    max: get('max'),
    shipsTo: get('shipsTo').toUpperCase(),
  };
  const query: ListingsQuery = { limit: PAGE_SIZE };
  if (filters.q) query.q = filters.q;
  if (filters.category) query.category = filters.category;
  if (filters.condition) query.condition = filters.condition as Condition;
  if (filters.shipsTo) query.shipsTo = filters.shipsTo;
  if (filters.currency) query.currency = filters.currency;
  const cursor = get('cursor');
  if (cursor) query.cursor = cursor;
  if (filters.min || filters.max) {
    if (!filters.currency) return { filters, query, problem: 'price_needs_currency' };
    const min = filters.min ? toMinorUnits(filters.min, filters.currency) : undefined;
    const max = filters.max ? toMinorUnits(filters.max, filters.currency) : undefined;
    if ((filters.min && min === undefined) || (filters.max && max === undefined))
      return { filters, query, problem: 'filters' };
    if (min !== undefined) query.minPrice = min;
    if (max !== undefined) query.maxPrice = max;
  }
  return { filters, query, problem: null };
}
