import { hasRole } from '../http/auth-context';
import { idParam, listOf } from '../http/common-schemas';
import type { ApiRoutes } from '../http/route';
import {
  createOrderBody,
  listOrdersQuery,
  orderSchema,
  refundBody,
  shipBody,
} from './orders.schema';
import type { OrdersService } from './orders.service';

const orderId = idParam('ord');

export function ordersRoutes(routes: ApiRoutes, orders: OrdersService): void {
  const tag = 'Orders';
  routes.add({
    method: 'post',
    path: '/v1/orders',
    operationId: 'createOrder',
    summary: 'Check out: hold stock (and coupon, and drop reservation) and start the payment',
    tag,
    access: 'signed-in',
    body: createOrderBody,
    status: 201,
    response: orderSchema,
    errors: [403, 404, 503],
    // Served outside Express when plain (src/http/hot-routes.ts); with an Idempotency-Key, by Express.
    hot: true,
    handler: ({ auth, body }) => orders.createOrder(auth!.userId, body, auth!.country),
  });
  routes.add({
    method: 'get',
    path: '/v1/orders',
    operationId: 'listOrders',
    summary: "The caller's orders as buyer or seller, newest first",
    tag,
    access: 'signed-in',
    query: listOrdersQuery,
    response: listOf(orderSchema),
    handler: ({ auth, query }) => orders.listOrders(auth!.userId, query),
  });
  routes.add({
    method: 'get',
    path: '/v1/orders/:id',
    operationId: 'getOrder',
    summary: 'One order (buyer or seller of it)',
    tag,
    access: 'signed-in',
    params: orderId,
    response: orderSchema,
    errors: [404],
    handler: ({ auth, params }) => orders.getOrder(params.id, auth!.userId, hasRole(auth, 'admin')),
  });
  routes.add({
    method: 'post',
    path: '/v1/orders/:id/pay',
    operationId: 'payOrder',
    summary: 'Mark paid (manual payment provider only)',
    tag,
    access: 'signed-in',
    params: orderId,
    response: orderSchema,
    errors: [403, 404],
    handler: ({ auth, params }) => orders.payManually(params.id, auth!.userId),
  });
  routes.add({
    method: 'post',
    path: '/v1/orders/:id/cancel',
    operationId: 'cancelOrder',
    summary: 'Cancel an unpaid order; stock, coupon and reservation go back',
    tag,
    access: 'signed-in',
    params: orderId,
    response: orderSchema,
    errors: [403, 404],
    handler: ({ auth, params }) => orders.cancel(params.id, auth!.userId),
  });
  routes.add({
    method: 'post',
    path: '/v1/orders/:id/ship',
    operationId: 'shipOrder',
    summary: 'Seller marks a paid order shipped',
    tag,
    access: 'signed-in',
    params: orderId,
    body: shipBody,
    response: orderSchema,
    errors: [403, 404],
    handler: ({ auth, params, body }) => orders.ship(params.id, auth!.userId, body),
  });
  routes.add({
    method: 'post',
    path: '/v1/orders/:id/complete',
    operationId: 'completeOrder',
    summary: 'Buyer confirms a shipped order arrived',
    tag,
    access: 'signed-in',
    params: orderId,
    response: orderSchema,
    errors: [403, 404],
    handler: ({ auth, params }) => orders.complete(params.id, auth!.userId),
  });
  routes.add({
    method: 'post',
    path: '/v1/orders/:id/refund',
    operationId: 'refundOrder',
    summary: 'Seller or admin refunds all or part of a paid order',
    tag,
    access: 'signed-in',
    params: orderId,
    body: refundBody,
    response: orderSchema,
    errors: [403, 404, 503],
    handler: ({ auth, params, body }) =>
      orders.refund(
        params.id,
        { userId: auth!.userId, isAdmin: hasRole(auth, 'admin') },
        body.amount,
      ),
  });
}
