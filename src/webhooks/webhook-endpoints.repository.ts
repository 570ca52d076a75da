import type { Db } from '../db/db';
import { execute, selectOne, selectRows } from '../db/sql';

export interface EndpointRow {
  id: string;
  url: string;
  events: string;
  createdAt: Date;
}

export interface NewEndpoint extends EndpointRow {
  ownerId: string;
  brandId: string | null;
  scope: 'all' | 'own';
  secret: string;
}

export interface AttemptRow {
  id: string;
  eventId: string;
  type: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  createdAt: Date;
}

/** Inserts the endpoint unless its owner has `max` live ones already; answers whether. */
export async function insertEndpointWithin(
  db: Db,
  endpoint: NewEndpoint,
  max: number,
): Promise<boolean> {
  const inserted = await execute(
    db,
    `INSERT INTO webhook_endpoints (id, owner_id, brand_id, scope, url, events, secret, created_at)
       SELECT ?, ?, ?, ?, ?, ?, ?, ? FROM DUAL
        WHERE (SELECT COUNT(*) FROM webhook_endpoints WHERE owner_id = ? AND deleted_at IS NULL) < ?`,
    [
      endpoint.id,
      endpoint.ownerId,
      endpoint.brandId,
      endpoint.scope,
      endpoint.url,
      endpoint.events,
      endpoint.secret,
      endpoint.createdAt,
      endpoint.ownerId,
      max,
    ],
  );
  return inserted === 1;
}

/** The owner's live endpoints, newest first, `limit` after the cursor id. */
export function endpointPage(
  db: Db,
  ownerId: string,
  after: string | null,
  limit: number,
): Promise<EndpointRow[]> {
  return selectRows<EndpointRow>(
    db,
    `SELECT id, url, events, created_at AS createdAt FROM webhook_endpoints
        WHERE owner_id = ? AND deleted_at IS NULL ${after ? 'AND id < ?' : ''}
        ORDER BY id DESC LIMIT ?`,
    after ? [ownerId, after, limit] : [ownerId, limit],
  );
}

export async function markEndpointDeleted(db: Db, id: string, at: Date): Promise<void> {
  await execute(
    db,
    'UPDATE webhook_endpoints SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL',
    [at, id],
  );
}

export function liveEndpoint(
  db: Db,
  id: string,
): Promise<(EndpointRow & { ownerId: string }) | undefined> {
  return selectOne<EndpointRow & { ownerId: string }>(
    db,
    `SELECT id, owner_id AS ownerId, url, events, created_at AS createdAt FROM webhook_endpoints
        WHERE id = ? AND deleted_at IS NULL`,
    [id],
  );
}

/** Every attempt to deliver to the endpoint, newest first, `limit` after the cursor id. */
export function attemptPage(
  db: Db,
  endpointId: string,
  after: string | null,
  limit: number,
): Promise<AttemptRow[]> {
  return selectRows<AttemptRow>(
    db,
    `SELECT a.id, a.event_id AS eventId, e.type, a.attempt, a.status_code AS statusCode, a.error,
              a.duration_ms AS durationMs, a.created_at AS createdAt
         FROM webhook_attempts a JOIN webhook_events e ON e.id = a.event_id
        WHERE a.endpoint_id = ? ${after ? 'AND a.id < ?' : ''}
        ORDER BY a.id DESC LIMIT ?`,
    after ? [endpointId, after, limit] : [endpointId, limit],
  );
}

/** Live endpoints subscribed to an event of `type` by `sellerId`/`brandId` written at `at`. */
export async function subscribedEndpoints(
  db: Db,
  event: { type: string; sellerId: string | null; brandId: string | null; createdAt: Date },
): Promise<string[]> {
  const rows = await selectRows<{ id: string }>(
    db,
    `SELECT id FROM webhook_endpoints
        WHERE deleted_at IS NULL AND created_at <= ? AND FIND_IN_SET(?, events)
          AND (scope = 'all' OR owner_id = ? OR brand_id = ?)`,
    [event.createdAt, event.type, event.sellerId, event.brandId],
  );
  return rows.map((row) => row.id);
}
