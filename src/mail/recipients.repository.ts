import type { Db } from '../db/db';
import { selectOne, selectRows, type Tx } from '../db/sql';

/** Whom a mail goes to, as read from `users`. */
export interface Person {
  email: string;
  name: string;
  timezone: string;
  locale: string;
}

export const PERSON = (alias: string) =>
  `${alias}.email AS email, ${alias}.display_name AS name, ${alias}.timezone AS timezone, ${alias}.locale AS locale`;

export function expiringReservation(db: Db, reservationId: string) {
  return selectOne<Person & { status: string; expiresAt: Date; title: string; dropId: string }>(
    db,
    `SELECT r.status, r.expires_at AS expiresAt, d.title, d.id AS dropId, ${PERSON('u')}
         FROM drop_reservations r JOIN drops d ON d.id = r.drop_id JOIN users u ON u.id = r.user_id
        WHERE r.id = ?`,
    [reservationId],
  );
}

export interface CouponRow extends Person {
  id: string;
  code: string;
  percentOff: number | null;
  amountOff: number | string | null;
  currency: string | null;
  expiresAt: Date;
  brandName: string;
}

/** Coupons of a conversion or an airdrop, `limit` at a time by id after `after`. */
export function issuedCoupons(
  db: Db,
  source: { conversionId: string } | { airdropId: string },
  after: string,
  limit: number,
): Promise<CouponRow[]> {
  const where =
    'conversionId' in source
      ? 'c.source_id = ?'
      : "c.source_id IN (SELECT e.id FROM point_entries e WHERE e.reason = 'airdrop' AND e.source_id = ?)";
  const key = 'conversionId' in source ? source.conversionId : source.airdropId;
  return selectRows<CouponRow>(
    db,
    `SELECT c.id, c.code, c.percent_off AS percentOff, c.amount_off AS amountOff, c.currency,
                c.expires_at AS expiresAt, b.name AS brandName, ${PERSON('u')}
           FROM coupons c JOIN users u ON u.id = c.owner_id JOIN brands b ON b.id = c.brand_id
          WHERE ${where} AND c.id > ? ORDER BY c.id LIMIT ?`,
    [key, after, limit],
  );
}

export function financeExportMail(db: Db, exportId: string) {
  return selectOne<Person & { status: string; rowsDone: number; finishedAt: Date | null }>(
    db,
    `SELECT f.status, f.rows_done AS rowsDone, f.finished_at AS finishedAt, ${PERSON('u')}
         FROM finance_exports f JOIN users u ON u.id = f.requested_by WHERE f.id = ?`,
    [exportId],
  );
}

export type OrderMailRow = {
  totalAmount: number | string;
  currency: string;
  paidAt: Date | null;
  shippedAt: Date | null;
  carrier: string | null;
  trackingNumber: string | null;
  title: string;
} & Record<`${'b' | 's'}_${'email' | 'name' | 'timezone' | 'locale'}`, string>;

/** An order with its buyer (`b_`) and seller (`s_`) as recipients. */
export function orderMail(db: Db, orderId: string, tx?: Tx): Promise<OrderMailRow | undefined> {
  return selectOne<OrderMailRow>(
    db,
    `SELECT o.total_amount AS totalAmount, o.currency, o.paid_at AS paidAt, o.shipped_at AS shippedAt,
              o.carrier, o.tracking_number AS trackingNumber,
              (SELECT GROUP_CONCAT(i.title ORDER BY i.listing_id SEPARATOR ', ') FROM order_items i WHERE i.order_id = o.id) AS title,
              ${PERSON('b').replace(/ AS (\w+)/g, ' AS b_$1')}, ${PERSON('s').replace(/ AS (\w+)/g, ' AS s_$1')}
         FROM orders o JOIN users b ON b.id = o.buyer_id JOIN users s ON s.id = o.seller_id
        WHERE o.id = ?`,
    [orderId],
    tx,
  );
}
