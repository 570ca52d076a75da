import type { Db } from '../../src/db/db';
import { type Tx, execute, selectOne, selectRows } from '../../src/db/sql';

export interface ReservationRow {
  id: string;
  dropId: string;
  userId: string;
  status: 'active' | 'consumed' | 'expired' | 'released';
  orderId: string | null;
  expiresAt: Date;
}

export interface NewReservation {
  id: string;
  dropId: string;
  userId: string;
  tokenHash: string;
  expiresAt: Date;
  createdAt: Date;
}

/** A member's reservations of one drop, as a pool repair weighs them. */
export interface MemberReservations {
  userId: string;
  units: number | string;
  touched: Date;
}

const RESERVATION_COLUMNS =
  'id, drop_id AS dropId, user_id AS userId, status, order_id AS orderId, expires_at AS expiresAt';

/** drop_reservations: the units members won, from the answer to the purchase. */
export class DropReservationsRepository {
  constructor(private readonly db: Db) {}

  /** Units held by a drop's reservations: unused ones and those standing in an order. */
  async heldUnits(
    dropId: string,
    transaction?: Tx,
  ): Promise<Array<{ userId: string; units: number }>> {
    const rows = await selectRows<{ userId: string; units: number }>(
      this.db,
      `SELECT user_id AS userId, COUNT(*) AS units FROM drop_reservations
        WHERE drop_id = ? AND status IN ('active', 'consumed') GROUP BY user_id`,
      [dropId],
      transaction,
    );
    return rows.map((row) => ({ userId: row.userId, units: Number(row.units) }));
  }

  /** A member's units of one drop: won and waiting (active) or in an order (consumed). */
  heldBy(dropId: string, userId: string): Promise<ReservationRow[]> {
    return selectRows<ReservationRow>(
      this.db,
      `SELECT ${RESERVATION_COLUMNS} FROM drop_reservations
        WHERE user_id = ? AND drop_id = ? AND status IN ('active', 'consumed') ORDER BY expires_at`,
      [userId, dropId],
    );
  }

  /** New reservations, one statement, written with the COMMIT. */
  static insertAtCommit(rows: readonly NewReservation[], transaction: Tx): void {
    transaction.atCommit([
      `INSERT INTO drop_reservations (id, drop_id, user_id, token_hash, status, expires_at, created_at, updated_at)
       VALUES ${rows.map(() => "(?, ?, ?, ?, 'active', ?, ?, ?)").join(', ')}`,
      rows.flatMap((row) => [
        row.id,
        row.dropId,
        row.userId,
        row.tokenHash,
        row.expiresAt,
        row.createdAt,
        row.createdAt,
      ]),
    ]);
  }

  find(id: string, transaction?: Tx): Promise<ReservationRow | undefined> {
    return selectOne(
      this.db,
      `SELECT ${RESERVATION_COLUMNS} FROM drop_reservations WHERE id = ?`,
      [id],
      transaction,
    );
  }

  findByToken(tokenHash: string, transaction: Tx): Promise<ReservationRow | undefined> {
    return selectOne(
      this.db,
      `SELECT ${RESERVATION_COLUMNS} FROM drop_reservations WHERE token_hash = ? FOR UPDATE`,
      [tokenHash],
      transaction,
    );
  }

  setStatus(
    id: string,
    from: ReservationRow['status'][],
    to: ReservationRow['status'],
    orderId: string | null,
    now: Date,
    transaction: Tx,
  ): Promise<number> {
    return execute(
      this.db,
      `UPDATE drop_reservations SET status = ?, order_id = COALESCE(?, order_id), updated_at = ? WHERE id = ? AND status IN (?)`,
      [to, orderId, now, id, from],
      transaction,
    );
  }

  overdue(now: Date, limit: number): Promise<Array<{ id: string }>> {
    return selectRows(
      this.db,
      `SELECT id FROM drop_reservations WHERE status = 'active' AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
      [now, limit],
    );
  }

  activeIds(dropId: string, transaction: Tx): Promise<Array<{ id: string; userId: string }>> {
    return selectRows(
      this.db,
      `SELECT id, user_id AS userId FROM drop_reservations WHERE drop_id = ? AND status = 'active'`,
      [dropId],
      transaction,
    );
  }

  async count(dropId: string): Promise<number> {
    const row = await selectOne<{ n: number }>(
      this.db,
      'SELECT COUNT(*) AS n FROM drop_reservations WHERE drop_id = ?',
      [dropId],
    );
    return Number(row?.n ?? 0);
  }

  /** Per member of the drop: units held, and when any of their reservations last changed. */
  byMember(dropId: string): Promise<MemberReservations[]> {
    return selectRows<MemberReservations>(
      this.db,
      `SELECT user_id AS userId,
              SUM(status IN ('active', 'consumed')) AS units,
              MAX(GREATEST(created_at, updated_at)) AS touched
         FROM drop_reservations WHERE drop_id = ? GROUP BY user_id`,
      [dropId],
    );
  }
}
