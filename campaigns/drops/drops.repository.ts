import type { Sequelize } from 'sequelize';
import { type BatchedTransaction, execute, selectOne, selectRows, type Tx } from '../../src/db/sql';
import { NET_REVENUE_SQL, PAID_ORDER_STATUSES } from '../paid-orders';
import type { DropStatus } from './drops.schema';

export interface DropRow {
  id: string;
  brandId: string;
  brandName: string | null;
  ownerId: string;
  listingId: string;
  title: string;
  stock: number;
  status: DropStatus;
  startsAt: Date;
  endsAt: Date;
  timezone: string;
  question: string;
  hints: string;
  answerSalt: string;
  answerHashes: string;
  maxAttemptsPerUser: number;
  perUserLimit: number;
  reservationSeconds: number;
  attempts: number;
  participants: number;
  solves: number;
  returnedUnits: number;
  createdAt: Date;
}

export interface ReservationRow {
  id: string;
  dropId: string;
  userId: string;
  status: 'active' | 'consumed' | 'expired' | 'released';
  orderId: string | null;
  expiresAt: Date;
}

export interface DropSales {
  purchases: number;
  units: number;
  grossAmount: number;
  discountAmount: number;
  refundedAmount: number;
  revenueAmount: number;
}

export interface NewReservation {
  id: string;
  dropId: string;
  userId: string;
  tokenHash: string;
  expiresAt: Date;
  createdAt: Date;
}

const DROP_COLUMNS = `id, brand_id AS brandId, owner_id AS ownerId, listing_id AS listingId, title, stock, status,
  starts_at AS startsAt, ends_at AS endsAt, timezone, question, hints, answer_salt AS answerSalt,
  answer_hashes AS answerHashes, max_attempts_per_user AS maxAttemptsPerUser, per_user_limit AS perUserLimit,
  reservation_seconds AS reservationSeconds, attempts, participants, solves, returned_units AS returnedUnits,
  created_at AS createdAt, (SELECT b.name FROM brands b WHERE b.id = drops.brand_id) AS brandName`;

const RESERVATION_COLUMNS =
  'id, drop_id AS dropId, user_id AS userId, status, order_id AS orderId, expires_at AS expiresAt';

export class DropsRepository {
  constructor(private readonly sequelize: Sequelize) {}

  find(id: string, transaction?: Tx, lock = false): Promise<DropRow | undefined> {
    return selectOne<DropRow>(
      this.sequelize,
      `SELECT ${DROP_COLUMNS} FROM drops WHERE id = ?${lock ? ' FOR UPDATE' : ''}`,
      [id],
      transaction,
    );
  }

  /** Newest first; one brand's through the (brand_id, id) index. */
  list(
    filter: { status?: DropStatus; brandId?: string },
    afterId: string | null,
    limit: number,
  ): Promise<DropRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.brandId !== undefined) {
      where.push('brand_id = ?');
      params.push(filter.brandId);
    }
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (afterId) {
      where.push('id < ?');
      params.push(afterId);
    }
    params.push(limit);
    return selectRows<DropRow>(
      this.sequelize,
      `SELECT ${DROP_COLUMNS} FROM drops ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      params,
    );
  }

  insert(
    row: Omit<DropRow, 'brandName' | 'attempts' | 'participants' | 'solves' | 'returnedUnits'>,
    transaction: Tx,
  ): Promise<number> {
    return execute(
      this.sequelize,
      `INSERT INTO drops (id, brand_id, owner_id, listing_id, title, stock, status, starts_at, ends_at, timezone, question, hints,
         answer_salt, answer_hashes, max_attempts_per_user, per_user_limit, reservation_seconds, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.id,
        row.brandId,
        row.ownerId,
        row.listingId,
        row.title,
        row.stock,
        row.status,
        row.startsAt,
        row.endsAt,
        row.timezone,
        row.question,
        row.hints,
        row.answerSalt,
        row.answerHashes,
        row.maxAttemptsPerUser,
        row.perUserLimit,
        row.reservationSeconds,
        row.createdAt,
        row.createdAt,
      ],
      transaction,
    );
  }

  update(
    id: string,
    fromStatuses: DropStatus[],
    fields: Record<string, unknown>,
    now: Date,
    transaction?: Tx,
  ): Promise<number> {
    const sets = Object.keys(fields).map((column) => `${column} = ?`);
    return execute(
      this.sequelize,
      `UPDATE drops SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE id = ? AND status IN (?)`,
      [...Object.values(fields), now, id, fromStatuses],
      transaction,
    );
  }

  dueToOpen(now: Date): Promise<Array<{ id: string }>> {
    return selectRows(
      this.sequelize,
      `SELECT id FROM drops WHERE status = 'scheduled' AND starts_at <= ?`,
      [now],
    );
  }

  dueToClose(now: Date): Promise<Array<{ id: string }>> {
    return selectRows(
      this.sequelize,
      `SELECT id FROM drops WHERE status = 'live' AND ends_at <= ?`,
      [now],
    );
  }

  withStatus(status: DropStatus): Promise<Array<{ id: string; startsAt: Date; endsAt: Date }>> {
    return selectRows(
      this.sequelize,
      `SELECT id, starts_at AS startsAt, ends_at AS endsAt FROM drops WHERE status = ?`,
      [status],
    );
  }

  /** Units held by a drop's reservations: unused ones and those standing in an order. */
  async heldUnits(
    dropId: string,
    transaction?: Tx,
  ): Promise<Array<{ userId: string; units: number }>> {
    const rows = await selectRows<{ userId: string; units: number }>(
      this.sequelize,
      `SELECT user_id AS userId, COUNT(*) AS units FROM drop_reservations
        WHERE drop_id = ? AND status IN ('active', 'consumed') GROUP BY user_id`,
      [dropId],
      transaction,
    );
    return rows.map((row) => ({ userId: row.userId, units: Number(row.units) }));
  }

  /** New reservations, one statement, written with the COMMIT. */
  static insertReservations(
    rows: readonly NewReservation[],
    transaction: BatchedTransaction,
  ): void {
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

  findReservation(id: string, transaction?: Tx): Promise<ReservationRow | undefined> {
    return selectOne(
      this.sequelize,
      `SELECT ${RESERVATION_COLUMNS} FROM drop_reservations WHERE id = ?`,
      [id],
      transaction,
    );
  }

  findReservationByToken(tokenHash: string, transaction: Tx): Promise<ReservationRow | undefined> {
    return selectOne(
      this.sequelize,
      `SELECT ${RESERVATION_COLUMNS} FROM drop_reservations WHERE token_hash = ? FOR UPDATE`,
      [tokenHash],
      transaction,
    );
  }

  setReservationStatus(
    id: string,
    from: ReservationRow['status'][],
    to: ReservationRow['status'],
    orderId: string | null,
    now: Date,
    transaction: Tx,
  ): Promise<number> {
    return execute(
      this.sequelize,
      `UPDATE drop_reservations SET status = ?, order_id = COALESCE(?, order_id), updated_at = ? WHERE id = ? AND status IN (?)`,
      [to, orderId, now, id, from],
      transaction,
    );
  }

  overdueReservations(now: Date, limit: number): Promise<Array<{ id: string }>> {
    return selectRows(
      this.sequelize,
      `SELECT id FROM drop_reservations WHERE status = 'active' AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
      [now, limit],
    );
  }

  activeReservationIds(
    dropId: string,
    transaction: Tx,
  ): Promise<Array<{ id: string; userId: string }>> {
    return selectRows(
      this.sequelize,
      `SELECT id, user_id AS userId FROM drop_reservations WHERE drop_id = ? AND status = 'active'`,
      [dropId],
      transaction,
    );
  }

  async countReservations(dropId: string): Promise<number> {
    const row = await selectOne<{ n: number }>(
      this.sequelize,
      'SELECT COUNT(*) AS n FROM drop_reservations WHERE drop_id = ?',
      [dropId],
    );
    return Number(row?.n ?? 0);
  }

  /**
   * The drop's paid orders: units of the drop's listing they bought, and their money at order
   * level (before discounts, discounts, refunds); the net revenue is what is left of them.
   */
  async purchases(dropId: string): Promise<DropSales> {
    const row = await selectOne<Record<keyof DropSales, number | string | null>>(
      this.sequelize,
      `SELECT COUNT(*) AS purchases,
          SUM((SELECT SUM(i.quantity) FROM order_items i WHERE i.order_id = o.id AND i.listing_id = d.listing_id)) AS units,
          SUM(o.subtotal_amount) AS grossAmount, SUM(o.discount_amount) AS discountAmount,
          SUM(o.refunded_amount) AS refundedAmount, SUM(${NET_REVENUE_SQL}) AS revenueAmount
         FROM orders o JOIN drops d ON d.id = o.drop_id
        WHERE o.drop_id = ? AND o.status IN (?)`,
      [dropId, PAID_ORDER_STATUSES],
    );
    return {
      purchases: Number(row?.purchases ?? 0),
      units: Number(row?.units ?? 0),
      grossAmount: Number(row?.grossAmount ?? 0),
      discountAmount: Number(row?.discountAmount ?? 0),
      refundedAmount: Number(row?.refundedAmount ?? 0),
      revenueAmount: Number(row?.revenueAmount ?? 0),
    };
  }

  returnUnitsToListing(listingId: string, units: number, transaction: Tx): Promise<number> {
    return execute(
      this.sequelize,
      'UPDATE listings SET quantity = quantity + ? WHERE id = ?',
      [units, listingId],
      transaction,
    );
  }
}
