import type { Db } from '../db/db';
import { type Tx, execute, selectOne, selectRows } from '../db/sql';

export interface NewWebhookEvent {
  id: string;
  key: string;
  type: string;
  sellerId: string | null;
  brandId: string | null;
  /** The event's `data`, as JSON. */
  data: string;
  createdAt: Date;
}

export interface DispatchEventRow {
  type: string;
  sellerId: string | null;
  brandId: string | null;
  createdAt: Date;
  dispatchedAt: Date | null;
}

export interface DeliveryRow {
  status: string;
  attempts: number;
  endpointId: string;
  eventId: string;
  type: string;
  data: string;
  eventCreatedAt: Date;
  url: string;
  secret: string;
  deletedAt: Date | null;
}

export interface NewAttempt {
  id: string;
  deliveryId: string;
  endpointId: string;
  eventId: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  createdAt: Date;
}

/**
 * Writes the event with `tx`'s COMMIT (a key recorded before writes nothing): no round trip of
 * its own, and nothing in the transaction reads it.
 */
export function insertWebhookEvent(event: NewWebhookEvent, tx: Tx): void {
  const sql = `INSERT IGNORE INTO webhook_events (id, event_key, type, seller_id, brand_id, data, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`;
  const params = [
    event.id,
    event.key,
    event.type,
    event.sellerId,
    event.brandId,
    event.data,
    event.createdAt,
  ];
  tx.atCommit([sql, params]);
}

export function eventToDispatch(db: Db, eventId: string): Promise<DispatchEventRow | undefined> {
  return selectOne<DispatchEventRow>(
    db,
    `SELECT type, seller_id AS sellerId, brand_id AS brandId, created_at AS createdAt,
              dispatched_at AS dispatchedAt FROM webhook_events WHERE id = ?`,
    [eventId],
  );
}

/** One pending delivery per endpoint (unique per endpoint and event: a rerun adds none). */
export async function insertDeliveries(
  db: Db,
  eventId: string,
  deliveries: Array<{ id: string; endpointId: string }>,
  at: Date,
): Promise<void> {
  await execute(
    db,
    `INSERT IGNORE INTO webhook_deliveries (id, endpoint_id, event_id, status, created_at)
         VALUES ${deliveries.map(() => "(?, ?, ?, 'pending', ?)").join(', ')}`,
    deliveries.flatMap((delivery) => [delivery.id, delivery.endpointId, eventId, at]),
  );
}

export async function pendingDeliveryIds(db: Db, eventId: string): Promise<string[]> {
  const rows = await selectRows<{ id: string }>(
    db,
    `SELECT id FROM webhook_deliveries WHERE event_id = ? AND status = 'pending'`,
    [eventId],
  );
  return rows.map((row) => row.id);
}

export async function markEventDispatched(db: Db, eventId: string, at: Date): Promise<void> {
  await execute(
    db,
    'UPDATE webhook_events SET dispatched_at = ? WHERE id = ? AND dispatched_at IS NULL',
    [at, eventId],
  );
}

/** Events written before `before` and never dispatched, oldest first. */
export async function undispatchedEvents(db: Db, before: Date, limit: number): Promise<string[]> {
  const rows = await selectRows<{ id: string }>(
    db,
    `SELECT id FROM webhook_events WHERE dispatched_at IS NULL AND created_at < ?
        ORDER BY created_at LIMIT ?`,
    [before, limit],
  );
  return rows.map((row) => row.id);
}

/** A delivery with its event and endpoint: what an attempt sends, and where. */
export function deliveryToAttempt(db: Db, deliveryId: string): Promise<DeliveryRow | undefined> {
  return selectOne<DeliveryRow>(
    db,
    `SELECT d.status, d.attempts, d.endpoint_id AS endpointId, d.event_id AS eventId, e.type,
              e.data, e.created_at AS eventCreatedAt, p.url, p.secret, p.deleted_at AS deletedAt
         FROM webhook_deliveries d
         JOIN webhook_events e ON e.id = d.event_id
         JOIN webhook_endpoints p ON p.id = d.endpoint_id
        WHERE d.id = ?`,
    [deliveryId],
  );
}

export async function insertAttempt(db: Db, attempt: NewAttempt): Promise<void> {
  await execute(
    db,
    `INSERT INTO webhook_attempts
         (id, delivery_id, endpoint_id, event_id, attempt, status_code, error, duration_ms, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      attempt.id,
      attempt.deliveryId,
      attempt.endpointId,
      attempt.eventId,
      attempt.attempt,
      attempt.statusCode,
      attempt.error,
      attempt.durationMs,
      attempt.createdAt,
    ],
  );
}

export async function setDeliveryAttempts(
  db: Db,
  deliveryId: string,
  attempts: number,
): Promise<void> {
  await execute(
    db,
    `UPDATE webhook_deliveries SET attempts = ? WHERE id = ? AND status = 'pending'`,
    [attempts, deliveryId],
  );
}

/** Ends a pending delivery; one that ended already keeps its outcome. */
export async function finishDelivery(
  db: Db,
  deliveryId: string,
  status: 'succeeded' | 'failed' | 'canceled',
  at: Date,
): Promise<void> {
  await execute(
    db,
    `UPDATE webhook_deliveries SET status = ?, finished_at = ? WHERE id = ? AND status = 'pending'`,
    [status, at, deliveryId],
  );
}
