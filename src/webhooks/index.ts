export { WEBHOOK_EVENT_TYPES } from './webhook-event-types';
export type {
  WebhookEventInput,
  WebhookEventRecorder,
  WebhookEventType,
} from './webhook-event-types';
