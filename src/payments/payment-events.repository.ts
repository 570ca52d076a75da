import type { Db } from '../db/db';
import { execute, selectOne } from '../db/sql';

/** Stripe events as received, by event id: a redelivery is stored once. */
export class PaymentEventsRepository {
  constructor(private readonly db: Db) {}

  async store(
    event: { id: string; type: string; payload: string },
    receivedAt: Date,
  ): Promise<void> {
    await execute(
      this.db,
      `INSERT INTO payment_events (id, type, payload, received_at) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id`,
      [event.id, event.type, event.payload, receivedAt],
    );
  }

  findProcessedAt(id: string): Promise<{ processedAt: Date | null } | undefined> {
    return selectOne<{ processedAt: Date | null }>(
      this.db,
      'SELECT processed_at AS processedAt FROM payment_events WHERE id = ?',
      [id],
    );
  }

  find(id: string): Promise<{ payload: string; processedAt: Date | null } | undefined> {
    return selectOne<{ payload: string; processedAt: Date | null }>(
      this.db,
      'SELECT payload, processed_at AS processedAt FROM payment_events WHERE id = ?',
      [id],
    );
  }

  /** Records how the event was handled, once: a second handling changes nothing. */
  async markProcessed(id: string, outcome: string, now: Date): Promise<void> {
    await execute(
      this.db,
      'UPDATE payment_events SET processed_at = ?, outcome = ? WHERE id = ? AND processed_at IS NULL',
      [now, outcome, id],
    );
  }
}
