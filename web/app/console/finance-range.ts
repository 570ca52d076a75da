import type { Problem } from '../components/FormProblem';

export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'shipped',
  'completed',
  'canceled',
  'expired',
  'refunded',
  'partially_refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Up to a month (31 days) is answered at once; longer ranges go to an export job. */
export const DIRECT_EXPORT_DAYS = 31;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isDirectRange(from: string, to: string): boolean {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  return days <= DIRECT_EXPORT_DAYS;
}

export interface ExportForm {
  from: string;
  to: string;
  timezone: string;
  statuses: OrderStatus[];
}

/** The export form's fields; dates are checked here, the rest (zone, order) by the API. */
export function readExportForm(form: FormData): ExportForm | Problem {
  const from = String(form.get('from') ?? '');
  const to = String(form.get('to') ?? '');
  for (const [param, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!DAY.test(value) || Number.isNaN(Date.parse(value)))
      return { status: 400, code: 'invalid_date', message: '', param };
  }
  if (from > to) return { status: 400, code: 'range_reversed', message: '', param: 'from' };
  const statuses = form
    .getAll('status')
    .map(String)
    .filter((value): value is OrderStatus => (ORDER_STATUSES as readonly string[]).includes(value));
  return { from, to, timezone: String(form.get('timezone') ?? 'UTC'), statuses };
}
