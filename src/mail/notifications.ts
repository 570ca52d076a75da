import type { Queue } from 'bullmq';
import type { Sequelize, Transaction } from 'sequelize';
import { formatCouponCode } from '../coupons/coupon-code';
import { execute, selectOne, selectRows } from '../db/sql';
import { formatAmount, formatTime } from './formatting';
import { isLocale, type Locale } from './locales';
import type { MailRequest, MailService } from './mail.service';

export const MAIL_DROP_REMINDERS = 'mail-drop-reminders';
/** Reminders are written and queued this many at a time, so a big drop is many short steps. */
const BATCH = 500;
/**
 * Drop reminders are written at most this fast: unpaced, 50,000 of them filled MySQL and the
 * CPU while the drop's opening burst needed both (bench/RESULTS.md, drop reminders).
 */
const REMINDERS_PER_SECOND = 1_000;

interface Person {
  email: string;
  name: string;
  timezone: string;
  locale: string;
}
const PERSON = (alias: string) =>
  `${alias}.email AS email, ${alias}.display_name AS name, ${alias}.timezone AS timezone, ${alias}.locale AS locale`;

function localeOf(person: Person): Locale {
  return isLocale(person.locale) ? person.locale : 'en';
}

/**
 * The mails of API.md, each from the event that causes it; every mail's event key makes a
 * replayed event (a retried job, a second worker) mail nothing twice.
 */
export class Notifications {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly mail: MailService,
    private readonly queue: Queue,
    private readonly publicUrl: string,
  ) {}

  private mailTo(person: Person, mail: Omit<MailRequest, 'to' | 'locale'>): MailRequest {
    return { ...mail, to: person.email, locale: localeOf(person) };
  }

  /** Buyer's receipt and seller's "sold", kept in the payment's transaction. */
  async orderPaid(orderId: string, transaction?: Transaction): Promise<void> {
    const order = await this.order(orderId, transaction);
    if (!order?.paidAt) return;
    for (const [role, person, other] of [
      ['buyer', order.buyer, order.seller],
      ['seller', order.seller, order.buyer],
    ] as const) {
      const locale = localeOf(person);
      await this.mail.keep(
        this.mailTo(person, {
          eventKey: `order-paid:${orderId}:${role}`,
          kind: role === 'buyer' ? 'order-paid-buyer' : 'order-paid-seller',
          vars: {
            name: person.name,
            orderId,
            title: order.title,
            amount: formatAmount(order.totalAmount, order.currency, locale),
            paidAt: formatTime(order.paidAt, person.timezone, locale),
            sellerName: order.seller.name,
            buyerName: other.name,
          },
        }),
        transaction,
      );
    }
  }

  async orderShipped(orderId: string): Promise<void> {
    const order = await this.order(orderId);
    if (!order?.shippedAt) return;
    const locale = localeOf(order.buyer);
    await this.mail.keep(
      this.mailTo(order.buyer, {
        eventKey: `order-shipped:${orderId}`,
        kind: 'order-shipped',
        vars: {
          name: order.buyer.name,
          orderId,
          title: order.title,
          shippedAt: formatTime(order.shippedAt, order.buyer.timezone, locale),
          carrier: order.carrier ?? '-',
          trackingNumber: order.trackingNumber ?? '-',
        },
      }),
    );
  }

  /** The drop went live: one job mails its reminders in batches, off the opening's path. */
  async dropLive(dropId: string): Promise<void> {
    await this.queue.add(MAIL_DROP_REMINDERS, { dropId }, { jobId: `drop-reminders-${dropId}` });
  }

  /** Live drops with reminders not mailed yet (their open job's mail job was lost): queued. */
  async remindersDue(): Promise<number> {
    const due = await selectRows<{ dropId: string }>(
      this.sequelize,
      `SELECT d.id AS dropId FROM drops d
        WHERE d.status = 'live' AND EXISTS (SELECT 1 FROM drop_reminders r WHERE r.drop_id = d.id)`,
    );
    for (const { dropId } of due) await this.dropLive(dropId);
    return due.length;
  }

  /**
   * Mails every reminder of a live drop, BATCH at a time. A reminder mailed is removed, so what
   * is left is what is still owed; a rerun (and the outbox's event keys) mails nothing twice.
   */
  async mailDropReminders(dropId: string): Promise<number> {
    const drop = await selectOne<{ title: string; startsAt: Date; endsAt: Date; status: string }>(
      this.sequelize,
      'SELECT title, starts_at AS startsAt, ends_at AS endsAt, status FROM drops WHERE id = ?',
      [dropId],
    );
    if (!drop || drop.status !== 'live') return 0;
    let after = '';
    let mailed = 0;
    for (;;) {
      const rows = await selectRows<Person & { userId: string }>(
        this.sequelize,
        `SELECT r.user_id AS userId, ${PERSON('u')} FROM drop_reminders r JOIN users u ON u.id = r.user_id
          WHERE r.drop_id = ? AND r.user_id > ? ORDER BY r.user_id LIMIT ?`,
        [dropId, after, BATCH],
      );
      if (rows.length === 0) return mailed;
      mailed += await this.mail.keepMany(
        rows.map((person) => {
          const locale = localeOf(person);
          return this.mailTo(person, {
            eventKey: `drop-reminder:${dropId}:${person.userId}`,
            kind: 'drop-reminder',
            vars: {
              name: person.name,
              title: drop.title,
              startsAt: formatTime(drop.startsAt, person.timezone, locale),
              endsAt: formatTime(drop.endsAt, person.timezone, locale),
            },
            link: `${this.publicUrl}/drops/${dropId}`,
          });
        }),
      );
      await execute(
        this.sequelize,
        'DELETE FROM drop_reminders WHERE drop_id = ? AND user_id IN (?)',
        [dropId, rows.map((row) => row.userId)],
      );
      after = rows[rows.length - 1]!.userId;
      if (rows.length === BATCH)
        await new Promise((resolve) => setTimeout(resolve, (BATCH / REMINDERS_PER_SECOND) * 1000));
    }
  }

  /** Sent by the job campaigns/drops/drop-schedule.ts plans with each reservation. */
  async reservationExpiring(reservationId: string): Promise<void> {
    const row = await selectOne<
      Person & { status: string; expiresAt: Date; title: string; dropId: string }
    >(
      this.sequelize,
      `SELECT r.status, r.expires_at AS expiresAt, d.title, d.id AS dropId, ${PERSON('u')}
         FROM drop_reservations r JOIN drops d ON d.id = r.drop_id JOIN users u ON u.id = r.user_id
        WHERE r.id = ?`,
      [reservationId],
    );
    if (!row || row.status !== 'active') return;
    const locale = localeOf(row);
    await this.mail.keep(
      this.mailTo(row, {
        eventKey: `reservation-expiring:${reservationId}`,
        kind: 'reservation-expiring',
        vars: {
          name: row.name,
          title: row.title,
          expiresAt: formatTime(row.expiresAt, row.timezone, locale),
        },
        link: `${this.publicUrl}/drops/${row.dropId}`,
      }),
    );
  }

  /** Coupons a conversion or an airdrop issued (`source` names which), mailed to their owners. */
  async couponsIssued(source: { conversionId: string } | { airdropId: string }): Promise<number> {
    const where =
      'conversionId' in source
        ? 'c.source_id = ?'
        : "c.source_id IN (SELECT e.id FROM point_entries e WHERE e.reason = 'airdrop' AND e.source_id = ?)";
    const key = 'conversionId' in source ? source.conversionId : source.airdropId;
    let after = '';
    let mailed = 0;
    for (;;) {
      const rows = await selectRows<CouponRow>(
        this.sequelize,
        `SELECT c.id, c.code, c.percent_off AS percentOff, c.amount_off AS amountOff, c.currency,
                c.expires_at AS expiresAt, b.name AS brandName, ${PERSON('u')}
           FROM coupons c JOIN users u ON u.id = c.owner_id JOIN brands b ON b.id = c.brand_id
          WHERE ${where} AND c.id > ? ORDER BY c.id LIMIT ?`,
        [key, after, BATCH],
      );
      if (rows.length === 0) return mailed;
      mailed += await this.mail.keepMany(rows.map((coupon) => this.couponMail(coupon)));
      after = rows[rows.length - 1]!.id;
    }
  }

  private couponMail(coupon: CouponRow): MailRequest {
    const locale = localeOf(coupon);
    const discount =
      coupon.percentOff !== null
        ? new Intl.NumberFormat(locale, { style: 'percent' }).format(coupon.percentOff / 100)
        : formatAmount(Number(coupon.amountOff ?? 0), coupon.currency ?? 'USD', locale);
    return this.mailTo(coupon, {
      eventKey: `coupon-issued:${coupon.id}`,
      kind: 'coupon-issued',
      vars: {
        name: coupon.name,
        brandName: coupon.brandName,
        discount,
        code: formatCouponCode(coupon.code),
        expiresAt: formatTime(coupon.expiresAt, coupon.timezone, locale),
      },
    });
  }

  async exportReady(exportId: string): Promise<void> {
    const row = await selectOne<
      Person & { status: string; rowsDone: number; finishedAt: Date | null }
    >(
      this.sequelize,
      `SELECT f.status, f.rows_done AS rowsDone, f.finished_at AS finishedAt, ${PERSON('u')}
         FROM finance_exports f JOIN users u ON u.id = f.requested_by WHERE f.id = ?`,
      [exportId],
    );
    if (!row || row.status !== 'done' || !row.finishedAt) return;
    const locale = localeOf(row);
    await this.mail.keep(
      this.mailTo(row, {
        eventKey: `export-ready:${exportId}`,
        kind: 'export-ready',
        vars: {
          name: row.name,
          exportId,
          rows: new Intl.NumberFormat(locale).format(Number(row.rowsDone)),
          finishedAt: formatTime(row.finishedAt, row.timezone, locale),
        },
        link: `${this.publicUrl}/v1/finance/exports/${exportId}/download`,
      }),
    );
  }

  private async order(orderId: string, transaction?: Transaction) {
    const row = await selectOne<OrderMailRow>(
      this.sequelize,
      `SELECT o.total_amount AS totalAmount, o.currency, o.paid_at AS paidAt, o.shipped_at AS shippedAt,
              o.carrier, o.tracking_number AS trackingNumber,
              (SELECT GROUP_CONCAT(i.title ORDER BY i.listing_id SEPARATOR ', ') FROM order_items i WHERE i.order_id = o.id) AS title,
              ${PERSON('b').replace(/ AS (\w+)/g, ' AS b_$1')}, ${PERSON('s').replace(/ AS (\w+)/g, ' AS s_$1')}
         FROM orders o JOIN users b ON b.id = o.buyer_id JOIN users s ON s.id = o.seller_id
        WHERE o.id = ?`,
      [orderId],
      transaction,
    );
    if (!row) return undefined;
    const person = (p: 'b' | 's'): Person => ({
      email: row[`${p}_email`],
      name: row[`${p}_name`],
      timezone: row[`${p}_timezone`],
      locale: row[`${p}_locale`],
    });
    return {
      ...row,
      totalAmount: Number(row.totalAmount),
      buyer: person('b'),
      seller: person('s'),
    };
  }
}

interface CouponRow extends Person {
  id: string;
  code: string;
  percentOff: number | null;
  amountOff: number | string | null;
  currency: string | null;
  expiresAt: Date;
  brandName: string;
}

type OrderMailRow = {
  totalAmount: number | string;
  currency: string;
  paidAt: Date | null;
  shippedAt: Date | null;
  carrier: string | null;
  trackingNumber: string | null;
  title: string;
} & Record<`${'b' | 's'}_${'email' | 'name' | 'timezone' | 'locale'}`, string>;
