import type { Sequelize } from 'sequelize';
import type { Clock } from '../clock';
import { execute, selectOne, selectRows } from '../db/sql';
import { AppError } from '../http/app-error';
import type { AuthContext } from '../http/auth-context';
import { hasRole } from '../http/auth-context';
import { decodeCursor, pageOf } from '../http/cursor';
import { newId } from '../ids';
import { RefusedTargetError } from './refused-target-error';
import { checkTargetUrl } from './target-guard';
import type { WebhookEventType } from './webhook-event-types';
import { newWebhookSecret } from './webhook-signature';
import type {
  CreateWebhookEndpointInput,
  WebhookAttemptView,
  WebhookEndpointView,
} from './webhooks.schema';

/** As Stripe: a handful of endpoints per account is plenty, and bounds each event's fan-out. */
const MAX_ENDPOINTS = 16;

interface EndpointRow {
  id: string;
  url: string;
  events: string;
  createdAt: Date;
}

const toView = (row: EndpointRow): WebhookEndpointView => ({
  id: row.id,
  url: row.url,
  events: row.events.split(',') as WebhookEventType[],
  createdAt: row.createdAt.toISOString(),
});

/** Integrators' endpoints: a seller's (its orders), a brand's (also its campaigns), an admin's (all). */
export class WebhookEndpoints {
  constructor(
    private readonly sequelize: Sequelize,
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
    const inserted = await execute(
      this.sequelize,
      `INSERT INTO webhook_endpoints (id, owner_id, brand_id, scope, url, events, secret, created_at)
       SELECT ?, ?, ?, ?, ?, ?, ?, ? FROM DUAL
        WHERE (SELECT COUNT(*) FROM webhook_endpoints WHERE owner_id = ? AND deleted_at IS NULL) < ?`,
      [
        row.id,
        auth.userId,
        auth.brandId,
        hasRole(auth, 'admin') ? 'all' : 'own',
        row.url,
        row.events,
        secret,
        row.createdAt,
        auth.userId,
        MAX_ENDPOINTS,
      ],
    );
    if (inserted !== 1)
      throw AppError.conflict(
        'too_many_endpoints',
        `An account has at most ${MAX_ENDPOINTS} webhook endpoints; delete one first.`,
      );
    return { ...toView(row), secret };
  }

  async list(ownerId: string, limit: number, cursor?: string) {
    const after = decodeCursor(cursor);
    const rows = await selectRows<EndpointRow>(
      this.sequelize,
      `SELECT id, url, events, created_at AS createdAt FROM webhook_endpoints
        WHERE owner_id = ? AND deleted_at IS NULL ${after ? 'AND id < ?' : ''}
        ORDER BY id DESC LIMIT ?`,
      after ? [ownerId, after, limit + 1] : [ownerId, limit + 1],
    );
    return pageOf(rows, limit, toView);
  }

  async get(ownerId: string, id: string): Promise<WebhookEndpointView> {
    return toView(await this.own(ownerId, id));
  }

  /** Deleted endpoints receive nothing more; their pending retries stop. */
  async delete(ownerId: string, id: string): Promise<void> {
    await this.own(ownerId, id);
    await execute(
      this.sequelize,
      'UPDATE webhook_endpoints SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL',
      [this.clock.now().toJSDate(), id],
    );
  }

  /** Every attempt to deliver to the endpoint, newest first. */
  async attempts(ownerId: string, id: string, limit: number, cursor?: string) {
    await this.own(ownerId, id);
    const after = decodeCursor(cursor);
    const rows = await selectRows<{
      id: string;
      eventId: string;
      type: string;
      attempt: number;
      statusCode: number | null;
      error: string | null;
      durationMs: number;
      createdAt: Date;
    }>(
      this.sequelize,
      `SELECT a.id, a.event_id AS eventId, e.type, a.attempt, a.status_code AS statusCode, a.error,
              a.duration_ms AS durationMs, a.created_at AS createdAt
         FROM webhook_attempts a JOIN webhook_events e ON e.id = a.event_id
        WHERE a.endpoint_id = ? ${after ? 'AND a.id < ?' : ''}
        ORDER BY a.id DESC LIMIT ?`,
      after ? [id, after, limit + 1] : [id, limit + 1],
    );
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
    const row = await selectOne<EndpointRow & { ownerId: string }>(
      this.sequelize,
      `SELECT id, owner_id AS ownerId, url, events, created_at AS createdAt FROM webhook_endpoints
        WHERE id = ? AND deleted_at IS NULL`,
      [id],
    );
    if (!row || row.ownerId !== ownerId) throw AppError.notFound('webhook endpoint');
    return row;
  }
}
