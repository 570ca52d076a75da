import type { Job } from 'bullmq';
import { z } from 'zod';
import type { OrdersService } from '../../src/orders/orders.service';
import { parseJobData } from '../job-data';

const data = z.object({ orderId: z.string() });

/** An unpaid order's hold ran out: stock, coupon and reservation go back. */
export function expireOrder(orders: OrdersService) {
  return async (job: Job) => ({ expired: await orders.expire(parseJobData(data, job).orderId) });
}

/** Backstop for expiry jobs that could not be queued: expires overdue orders found in MySQL. */
export function sweepOverdueOrders(orders: OrdersService) {
  return async () => ({ expired: await orders.sweepOverdue() });
}
