import type { Queue } from 'bullmq';
import type { Db } from '../db/db';
import { formatCouponCode } from '../coupons';
import type { Tx } from '../db/sql';
import {
  deleteDropReminders,
  liveDropsWithReminders,
  remindedMembers,
  reminderDrop,
} from './drop-reminders.repository';
import { formatAmount, formatTime } from './formatting';
import { isLocale, type Locale } from './locales';
import type { MailRequest, MailService } from './mail.service';
import {
  expiringReservation,
  financeExportMail,
  issuedCoupons,
  orderMail,
  type CouponRow,
  type Person,
} from './recipients.repository';

export const MAIL_DROP_REMINDERS = 'mail-drop-reminders';
/** Reminders are written and queued this many at a time, so a big drop is many short steps. */
const BATCH = 500;
/**
 * Drop reminders are written at most this fast: unpaced, 50,000 of them filled MySQL and the
 * CPU while the drop's opening burst needed both (bench/RESULTS.md, drop reminders).
 */
const REMINDERS_PER_SECOND = 1_000;

function localeOf(person: Person): Locale {
  return isLocale(person.locale) ? person.locale : 'en';
}

/**
 * The mails of API.md, each from the event that causes it; every mail's event key makes a
 * replayed event (a retried job, a second worker) mail nothing twice.
 */
export class Notifications {
  constructor(
    private readonly db: Db,
    private readonly mail: MailService,
    private readonly queue: Queue,
    private readonly publicUrl: string,
  ) {}

  private mailTo(person: Person, mail: Omit<MailRequest, 'to' | 'locale'>): MailRequest {
    return { ...mail, to: person.email, locale: localeOf(person) };
  }

  /** Buyer's receipt and seller's "sold", kept in the payment's transaction. */
  async orderPaid(orderId: string, transaction?: Tx): Promise<void> {
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
    const due = await liveDropsWithReminders(this.db);
    for (const dropId of due) await this.dropLive(dropId);
    return due.length;
  }

  /**
   * Mails every reminder of a live drop, BATCH at a time. A reminder mailed is removed, so what
   * is left is what is still owed; a rerun (and the outbox's event keys) mails nothing twice.
   */
  async mailDropReminders(dropId: string): Promise<number> {
    const drop = await reminderDrop(this.db, dropId);
    if (!drop || drop.status !== 'live') return 0;
    let after = '';
    let mailed = 0;
    for (;;) {
      const rows = await remindedMembers(this.db, dropId, after, BATCH);
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
      await deleteDropReminders(
        this.db,
        dropId,
        rows.map((row) => row.userId),
      );
      after = rows[rows.length - 1]!.userId;
      if (rows.length === BATCH)
        await new Promise((resolve) => setTimeout(resolve, (BATCH / REMINDERS_PER_SECOND) * 1000));
    }
  }

  /** Sent by the job campaigns/drops/drop-schedule.ts plans with each reservation. */
  async reservationExpiring(reservationId: string): Promise<void> {
    const row = await expiringReservation(this.db, reservationId);
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
    let after = '';
    let mailed = 0;
    for (;;) {
      const rows = await issuedCoupons(this.db, source, after, BATCH);
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
    const row = await financeExportMail(this.db, exportId);
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

  private async order(orderId: string, transaction?: Tx) {
    const row = await orderMail(this.db, orderId, transaction);
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
