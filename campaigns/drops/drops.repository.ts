import type { Db } from '../../src/db/db';
import { execute, selectOne, selectRows, type Tx } from '../../src/db/sql';
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

export interface DropSales {
  purchases: number;
  units: number;
  grossAmount: number;
  discountAmount: number;
  refundedAmount: number;
  revenueAmount: number;
}

const DROP_COLUMNS = `id, brand_id AS brandId, owner_id AS ownerId, listing_id AS listingId, title, stock, status,
  starts_at AS startsAt, ends_at AS endsAt, timezone, question, hints, answer_salt AS answerSalt,
  answer_hashes AS answerHashes, max_attempts_per_user AS maxAttemptsPerUser, per_user_limit AS perUserLimit,
  reservation_seconds AS reservationSeconds, attempts, participants, solves, returned_units AS returnedUnits,
  created_at AS createdAt, (SELECT b.name FROM brands b WHERE b.id = drops.brand_id) AS brandName`;

export class DropsRepository {
  constructor(private readonly db: Db) {}

  find(id: string, transaction?: Tx, lock = false): Promise<DropRow | undefined> {
    return selectOne<DropRow>(
      this.db,
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
      this.db,
      `SELECT ${DROP_COLUMNS} FROM drops ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      params,
    );
  }

  insert(
    row: Omit<DropRow, 'brandName' | 'attempts' | 'participants' | 'solves' | 'returnedUnits'>,
    transaction: Tx,
  ): Promise<number> {
    return execute(
      this.db,
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
      this.db,
      `UPDATE drops SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE id = ? AND status IN (?)`,
      [...Object.values(fields), now, id, fromStatuses],
      transaction,
    );
  }

  dueToOpen(now: Date): Promise<Array<{ id: string }>> {
    return selectRows(
      this.db,
      `SELECT id FROM drops WHERE status = 'scheduled' AND starts_at <= ?`,
      [now],
    );
  }

  dueToClose(now: Date): Promise<Array<{ id: string }>> {
    return selectRows(this.db, `SELECT id FROM drops WHERE status = 'live' AND ends_at <= ?`, [
      now,
    ]);
  }

  withStatus(status: DropStatus): Promise<Array<{ id: string; startsAt: Date; endsAt: Date }>> {
    return selectRows(
      this.db,
      `SELECT id, starts_at AS startsAt, ends_at AS endsAt FROM drops WHERE status = ?`,
      [status],
    );
  }

  /**
   * The drop's paid orders: units of the drop's listing they bought, and their money at order
   * level (before discounts, discounts, refunds); the net revenue is what is left of them.
   */
  async purchases(dropId: string): Promise<DropSales> {
    const row = await selectOne<Record<keyof DropSales, number | string | null>>(
      this.db,
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

  /** The drop's status, read under a shared lock: a closing drop waits for the writes it guards. */
  lockStatusShared(id: string, transaction: Tx): Promise<{ status: string } | undefined> {
    return selectOne<{ status: string }>(
      this.db,
      'SELECT status FROM drops WHERE id = ? LOCK IN SHARE MODE',
      [id],
      transaction,
    );
  }

  /** One unit of a finished drop went back to its listing. */
  addReturnedUnit(id: string, transaction: Tx): Promise<number> {
    return execute(
      this.db,
      'UPDATE drops SET returned_units = returned_units + 1 WHERE id = ?',
      [id],
      transaction,
    );
  }

  live(): Promise<Array<{ id: string; stock: number }>> {
    return selectRows<{ id: string; stock: number }>(
      this.db,
      `SELECT id, stock FROM drops WHERE status = 'live'`,
    );
  }

  /** The listing a drop would sell, as its creation checks it (in the creating transaction). */
  listingToSell(
    listingId: string,
    transaction: Tx,
  ): Promise<{ id: string; sellerId: string; status: string } | undefined> {
    return selectOne<{ id: string; sellerId: string; status: string }>(
      this.db,
      'SELECT id, seller_id AS sellerId, status FROM listings WHERE id = ?',
      [listingId],
      transaction,
    );
  }

  async listingCurrency(listingId: string): Promise<string> {
    const listing = await selectOne<{ currency: string }>(
      this.db,
      'SELECT currency FROM listings WHERE id = ?',
      [listingId],
    );
    return listing?.currency ?? '';
  }
}
