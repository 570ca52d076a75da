/**
 * Orders that were paid, refunded ones included (their refunds are subtracted from revenue).
 * Canceled, expired and unpaid orders count in no campaign figure.
 */
export const PAID_ORDER_STATUSES = [
  'paid',
  'shipped',
  'completed',
  'partially_refunded',
  'refunded',
] as const;

/** What an order brought in: charged after discounts, minus what was refunded. */
export const NET_REVENUE_SQL = 'o.total_amount - o.refunded_amount';
