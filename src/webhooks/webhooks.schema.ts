import { z } from 'zod';
import { cursorParam, limitParam, listOf } from '../http/common-schemas';
import { WEBHOOK_EVENT_TYPES } from './webhook-event-types';

export const createWebhookEndpointBody = z
  .object({
    url: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .max(2000)
      .refine((value) => !/^[a-z]+:\/\/[^/]*@/i.test(value), {
        message: 'must not carry a user name or password',
      }),
    events: z
      .array(z.enum(WEBHOOK_EVENT_TYPES))
      .min(1)
      .max(WEBHOOK_EVENT_TYPES.length)
      .transform((events) => [...new Set(events)]),
  })
  .strict();
export type CreateWebhookEndpointInput = z.output<typeof createWebhookEndpointBody>;

export const webhookEndpoint = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    createdAt: z.string(),
  })
  .openapi('WebhookEndpoint');

export const createdWebhookEndpoint = webhookEndpoint
  .extend({
    secret: z.string().openapi({ description: 'Signing secret; shown only in this answer.' }),
  })
  .openapi('CreatedWebhookEndpoint');

export const webhookAttempt = z
  .object({
    id: z.string(),
    eventId: z.string(),
    type: z.enum(WEBHOOK_EVENT_TYPES),
    attempt: z.number().int(),
    statusCode: z.number().int().nullable(),
    error: z.string().nullable(),
    succeeded: z.boolean(),
    durationMs: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('WebhookDeliveryAttempt');

export const listQuery = z.object({ limit: limitParam, cursor: cursorParam });
export const webhookEndpointList = listOf(webhookEndpoint);
export const webhookAttemptList = listOf(webhookAttempt);
export type WebhookEndpointView = z.output<typeof webhookEndpoint>;
export type WebhookAttemptView = z.output<typeof webhookAttempt>;
