import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  extendZodWithOpenApi,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

const fieldProblemSchema = z
  .object({
    param: z.string().optional().openapi({ example: 'priceAmount' }),
    code: z.string().openapi({
      description:
        '`parameter_missing`, `parameter_unknown`, `parameter_invalid`, or a rule of its own',
      example: 'parameter_invalid',
    }),
    message: z.string().openapi({ example: 'priceAmount must be a whole number of minor units' }),
  })
  .openapi('FieldProblem');

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
      details: z.array(fieldProblemSchema).optional().openapi({
        description:
          'On a 400 naming a field: every failing field, `param` being the first of them.',
      }),
    }),
  })
  .openapi('Error');

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid request (malformed JSON, failed validation; `param` names the first failing field, `details` lists them all)',
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

const idempotencyKeyHeader = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/)
  .optional()
  .openapi({
    description:
      'Replays the first answer to a retry with the same key and body (kept at least 24 h, per ' +
      'user); the same key with another body is 409 `idempotency`.',
    example: 'c1d2e3f4-order-7',
  });

/** Every POST takes an `Idempotency-Key` header (src/http/idempotency.ts), whoever wrote its doc. */
function withIdempotencyKey(route: RouteConfig): RouteConfig {
  if (route.method !== 'post') return route;
  const headers = route.request?.headers;
  if (Array.isArray(headers)) return route;
  const declared = headers ? (headers as z.ZodObject) : z.object({});
  return {
    ...route,
    request: {
      ...route.request,
      headers: declared.extend({ 'Idempotency-Key': idempotencyKeyHeader }),
    },
  };
}

export function buildOpenApiDocument(routes: RouteConfig[]): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'Token from POST /v1/auth/signup or /v1/auth/login',
  });
  registry.register('Error', errorSchema);
  for (const route of routes) registry.registerPath(withIdempotencyKey(route));
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
