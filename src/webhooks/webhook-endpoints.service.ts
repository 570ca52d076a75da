import type { Db } from '../db/db';
import type { Clock } from '../clock';
import { AppError } from '../http/app-error';
import type { AuthContext } from '../http/auth-context';
import { hasRole } from '../http/auth-context';
import { decodeCursor, pageOf } from '../http/cursor';
import { newId } from '../ids';
import { RefusedTargetError } from './refused-target-error';
import { checkTargetUrl } from './target-guard';
import type { WebhookEventType } from './webhook-event-types';
import {
  attemptPage,
  endpointPage,
  insertEndpointWithin,
  liveEndpoint,
  markEndpointDeleted,
  type EndpointRow,
} from './webhook-endpoints.repository';
import { newWebhookSecret } from './webhook-signature';
import type {
  CreateWebhookEndpointInput,
  WebhookAttemptView,
  WebhookEndpointView,
} from './webhooks.schema';

/** As Stripe: a handful of endpoints per account is plenty, and bounds each event's fan-out. */
const MAX_ENDPOINTS = 16;

const toView = (row: EndpointRow): WebhookEndpointView => ({
  id: row.id,
  url: row.url,
  events: row.events.split(',') as WebhookEventType[],
  createdAt: row.createdAt.toISOString(),
});

/** Integrators' endpoints: a seller's (its orders), a brand's (also its campaigns), an admin's (all). */
export class WebhookEndpoints {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly allowPrivate: boolean,
  ) {}

  async create(
    auth: AuthContext,
    input: CreateWebhookEndpointInput,
  ): Promise<WebhookEndpointView & { secret: string }> {
    try {
      await checkTargetUrl(new URL(input.url), this.allowPrivate);
    } catch (error) {
      if (!(error instanceof RefusedTargetError)) throw error;
      throw AppError.invalid(
        error.reason === 'unresolvable' ? 'url_unresolvable' : 'url_not_allowed',
        error.reason === 'unresolvable'
          ? `url's host ${error.host} does not resolve to any address.`
          : `url must reach a public address; ${error.message}.`,
        'url',
      );
    }
    const now = this.clock.now();
    const row = {
      id: newId('we', now.toMillis()),
      url: input.url,
      events: input.events.join(','),
      createdAt: now.toJSDate(),
    };
    const secret = newWebhookSecret();
    // Invariant: at most MAX_ENDPOINTS live endpoints per owner, also under concurrent creates.
    const inserted = await insertEndpointWithin(
      this.db,
      {
        ...row,
        ownerId: auth.userId,
        brandId: auth.brandId,
        scope: hasRole(auth, 'admin') ? 'all' : 'own',
        secret,
      },
      MAX_ENDPOINTS,
    );
    if (!inserted)
      throw AppError.conflict(
        'too_many_endpoints',
        `An account has at most ${MAX_ENDPOINTS} webhook endpoints; delete one first.`,
      );
    return { ...toView(row), secret };
  }

  async list(ownerId: string, limit: number, cursor?: string) {
    const after = decodeCursor(cursor);
    const rows = await endpointPage(this.db, ownerId, after, limit + 1);
    return pageOf(rows, limit, toView);
  }

  async get(ownerId: string, id: string): Promise<WebhookEndpointView> {
    return toView(await this.own(ownerId, id));
  }

  /** Deleted endpoints receive nothing more; their pending retries stop. */
  async delete(ownerId: string, id: string): Promise<void> {
    await this.own(ownerId, id);
    await markEndpointDeleted(this.db, id, this.clock.now().toJSDate());
  }

  /** Every attempt to deliver to the endpoint, newest first. */
  async attempts(ownerId: string, id: string, limit: number, cursor?: string) {
    await this.own(ownerId, id);
    const after = decodeCursor(cursor);
    const rows = await attemptPage(this.db, id, after, limit + 1);
    return pageOf(rows, limit, (row): WebhookAttemptView => ({
      id: row.id,
      eventId: row.eventId,
      type: row.type as WebhookEventType,
      attempt: row.attempt,
      statusCode: row.statusCode,
      error: row.error,
      succeeded: row.statusCode !== null && row.statusCode >= 200 && row.statusCode < 300,
      durationMs: row.durationMs,
      createdAt: row.createdAt.toISOString(),
    }));
  }

  /** Someone else's endpoint is not found: its existence is theirs to know. */
  private async own(ownerId: string, id: string): Promise<EndpointRow> {
    const row = await liveEndpoint(this.db, id);
    if (!row || row.ownerId !== ownerId) throw AppError.notFound('webhook endpoint');
    return row;
  }
}
