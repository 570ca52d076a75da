import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  extendZodWithOpenApi,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export const errorSchema = z
  .object({
    error: z.object({
      type: z.enum([
        'invalid_request',
        'authentication',
        'permission',
        'not_found',
        'conflict',
        'idempotency',
        'rate_limited',
        'unavailable',
        'internal',
      ]),
      code: z.string(),
      message: z.string(),
      param: z.string().optional(),
    }),
  })
  .openapi('Error');

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid request (malformed JSON, failed validation; `param` names the field)',
  401: 'Missing or invalid bearer token',
  403: 'Wrong role, or not the owner',
  404: 'Not found',
  409: 'Conflict with the current state, or an Idempotency-Key reused with another body',
  413: 'Body over the size limit',
  415: 'Body is not JSON',
  429: 'Rate limited (see Retry-After)',
  503: 'A backing service is unavailable',
};

export function errorResponses(statuses: number[]): RouteConfig['responses'] {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: STATUS_TEXT[status] ?? 'Error',
        content: { 'application/json': { schema: errorSchema } },
      },
    ]),
  );
}

export function buildOpenApiDocument(routes: RouteConfig[]): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'Token from POST /v1/auth/signup or /v1/auth/login',
  });
  registry.register('Error', errorSchema);
  for (const route of routes) registry.registerPath(route);
  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'cyberstall API',
      version: '1.0.0',
      description:
        'C2C marketplace and brand-campaign engine. Every POST accepts an `Idempotency-Key` header: ' +
        'the same key with the same body replays the first response; with another body it is 409 `idempotency`.',
    },
    servers: [{ url: '/' }],
  });
}
