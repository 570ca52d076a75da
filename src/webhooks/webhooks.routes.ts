import { idParam } from '../http/common-schemas';
import type { ApiRoutes } from '../http/route';
import type { WebhookEndpoints } from './webhook-endpoints.service';
import {
  createWebhookEndpointBody,
  createdWebhookEndpoint,
  listQuery,
  webhookAttemptList,
  webhookEndpoint,
  webhookEndpointList,
} from './webhooks.schema';

const TAG = 'Webhooks';
/** Sellers (every member sells), brands and admins. */
const INTEGRATORS = ['member', 'brand', 'admin'] as const;

export function webhooksRoutes(routes: ApiRoutes, endpoints: WebhookEndpoints): void {
  routes.add({
    method: 'post',
    path: '/v1/webhook-endpoints',
    operationId: 'createWebhookEndpoint',
    summary: 'Register a URL to receive signed events (the secret is shown only here)',
    tag: TAG,
    access: [...INTEGRATORS],
    body: createWebhookEndpointBody,
    status: 201,
    response: createdWebhookEndpoint,
    errors: [400, 409],
    handler: ({ auth, body }) => endpoints.create(auth!, body),
  });
  routes.add({
    method: 'get',
    path: '/v1/webhook-endpoints',
    operationId: 'listWebhookEndpoints',
    summary: "The caller's webhook endpoints, newest first",
    tag: TAG,
    access: [...INTEGRATORS],
    query: listQuery,
    response: webhookEndpointList,
    handler: ({ auth, query }) => endpoints.list(auth!.userId, query.limit, query.cursor),
  });
  routes.add({
    method: 'get',
    path: '/v1/webhook-endpoints/:id',
    operationId: 'getWebhookEndpoint',
    summary: 'One of the caller’s webhook endpoints (without its secret)',
    tag: TAG,
    access: [...INTEGRATORS],
    params: idParam('we'),
    response: webhookEndpoint,
    errors: [404],
    handler: ({ auth, params }) => endpoints.get(auth!.userId, params.id),
  });
  routes.add({
    method: 'delete',
    path: '/v1/webhook-endpoints/:id',
    operationId: 'deleteWebhookEndpoint',
    summary: 'Stop sending events to this endpoint (pending retries stop too)',
    tag: TAG,
    access: [...INTEGRATORS],
    params: idParam('we'),
    status: 204,
    errors: [404],
    handler: ({ auth, params }) => endpoints.delete(auth!.userId, params.id),
  });
  routes.add({
    method: 'get',
    path: '/v1/webhook-endpoints/:id/deliveries',
    operationId: 'listWebhookDeliveries',
    summary: 'Every delivery attempt to this endpoint: status code, attempt, time, error',
    tag: TAG,
    access: [...INTEGRATORS],
    params: idParam('we'),
    query: listQuery,
    response: webhookAttemptList,
    errors: [404],
    handler: ({ auth, params, query }) =>
      endpoints.attempts(auth!.userId, params.id, query.limit, query.cursor),
  });
}
