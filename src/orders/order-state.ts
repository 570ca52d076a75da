import { AppError } from '../http/app-error';

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

/** Ways an unpaid order lets go of its stock, coupon and reservation. */
export type Release = { to: 'canceled' | 'expired'; paymentStatus: string };

/** The order state machine: every status change in the code must be one of these edges. */
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_payment: ['paid', 'canceled', 'expired'],
  paid: ['shipped', 'refunded', 'partially_refunded'],
  shipped: ['completed', 'refunded', 'partially_refunded'],
  partially_refunded: ['shipped', 'refunded', 'partially_refunded'],
  // Only a refund made at the provider itself (Stripe's dashboard) reaches a completed order.
  completed: ['refunded', 'partially_refunded'],
  canceled: [],
  expired: [],
  refunded: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Statuses from which `to` can be reached: the WHERE clause of a conditional status update. */
export function sourcesOf(to: OrderStatus): OrderStatus[] {
  return ORDER_STATUSES.filter((from) => TRANSITIONS[from].includes(to));
}

/**
 * What a seller or an admin may refund through the API. A completed order is refunded only at
 * the provider itself (a dispute, Stripe's dashboard), which `charge.refunded` then books.
 */
export const REFUNDABLE_BY_SELLER: readonly OrderStatus[] = sourcesOf('refunded').filter(
  (status) => status !== 'completed',
);

/** Holding stock, coupon and reservation: only an unpaid order. */
export function holdsStock(status: OrderStatus): boolean {
  return status === 'pending_payment';
}

/** The answer to a status change the order's status does not allow. */
export function illegalTransition(from: OrderStatus, to: OrderStatus): AppError {
  return AppError.conflict('invalid_state', `An order that is ${from} cannot become ${to}.`);
}
