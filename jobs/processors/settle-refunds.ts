import type { OrdersService } from '../../src/orders/orders.service';

/** Refunds booked by a process that died before the provider answered: finished or undone. */
export function settlePendingRefunds(orders: OrdersService) {
  return async () => orders.settlePendingRefunds();
}
