import { IANAZone } from 'luxon';
import { formatCouponCode } from '../coupons';
import { formatMajor } from '../money/currency';

/** API.md's columns, in order. */
export const ORDER_CSV_COLUMNS = [
  'order_id',
  'created_at',
  'status',
  'buyer_id',
  'seller_id',
  'buyer_country',
  'seller_country',
  'currency',
  'subtotal',
  'discount',
  'total',
  'refunded',
  'platform_fee',
  'coupon_code',
  'coupon_brand_id',
  'drop_id',
  'payment_provider',
  'payment_intent_id',
  'paid_at',
  'items',
  'referring_note_id',
] as const;

export interface OrderCsvRow {
  id: string;
  createdAt: Date;
  status: string;
  buyerId: string;
  sellerId: string;
  buyerCountry: string | null;
  sellerCountry: string | null;
  currency: string;
  subtotalAmount: number;
  discountAmount: number;
  totalAmount: number;
  refundedAmount: number;
  platformFeeAmount: number;
  couponCode: string | null;
  couponBrandId: string | null;
  dropId: string | null;
  paymentProvider: string;
  paymentIntentId: string | null;
  paidAt: Date | null;
  /** JSON array of {listingId, title, quantity, unitAmount}: text from MariaDB, parsed by mysql2 from MySQL 8. */
  items: string | unknown[] | null;
  /** The note the buyer came through (v1.1: the last column). */
  referringNoteId: string | null;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice). */
export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

const QUARTER_HOUR = 15 * 60_000;
const DAY = 86_400_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));

/**
 * ISO 8601 in `zone` with its offset. The zone's offset comes from luxon, cached per quarter
 * hour (every zone changes offset on a quarter hour), and the local date part is kept from the
 * previous call (an export runs in time order), so a million rows do not each pay for a
 * time-zone lookup or a toISOString.
 */
export class LocalTimes {
  private readonly zone: IANAZone;
  private readonly offsets = new Map<number, number>();
  private readonly suffixes = new Map<number, string>();
  private localDay = Number.NaN;
  private dayPrefix = '';

  constructor(zone: string) {
    this.zone = IANAZone.create(zone);
  }

  format(date: Date | null): string {
    if (!date) return '';
    const ms = date.getTime();
    const offset = this.offsetAt(ms);
    const local = ms + offset * 60_000;
    const day = Math.floor(local / DAY);
    if (day !== this.localDay) {
      const iso = new Date(day * DAY).toISOString();
      this.dayPrefix = iso.slice(0, iso.indexOf('T') + 1);
      this.localDay = day;
    }
    const inDay = local - day * DAY;
    const millis = inDay % 1000;
    const seconds = Math.floor(inDay / 1000);
    const time = `${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}`;
    const fraction = millis === 0 ? '' : `.${String(millis).padStart(3, '0')}`;
    return `${this.dayPrefix}${time}${fraction}${this.suffixOf(offset)}`;
  }

  private offsetAt(ms: number): number {
    const bucket = Math.floor(ms / QUARTER_HOUR);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      offset = this.zone.offset(ms);
      if (this.offsets.size > 100_000) this.offsets.clear();
      this.offsets.set(bucket, offset);
    }
    return offset;
  }

  private suffixOf(offset: number): string {
    let suffix = this.suffixes.get(offset);
    if (suffix === undefined) {
      const abs = Math.abs(offset);
      suffix =
        offset === 0
          ? 'Z'
          : `${offset > 0 ? '+' : '-'}${TWO_DIGITS[Math.floor(abs / 60)]}:${TWO_DIGITS[abs % 60]}`;
      this.suffixes.set(offset, suffix);
    }
    return suffix;
  }
}

/** One order as CSV cells: amounts in major units with the currency's decimals, times in `zone`. */
export function orderCsvRecord(row: OrderCsvRow, times: LocalTimes): string[] {
  const money = (amount: number) => formatMajor(amount, row.currency);
  const list =
    typeof row.items === 'string' ? (JSON.parse(row.items) as unknown[]) : (row.items ?? []);
  const items = (
    list as Array<{ listingId: string; title: string; quantity: number; unitAmount: number }>
  )
    .map(
      (item) => `${item.quantity} x ${item.title} (${item.listingId}) @ ${money(item.unitAmount)}`,
    )
    .join('; ');
  const cells = [
    row.id,
    times.format(row.createdAt),
    row.status,
    row.buyerId,
    row.sellerId,
    row.buyerCountry ?? '',
    row.sellerCountry ?? '',
    row.currency,
    money(row.subtotalAmount),
    money(row.discountAmount),
    money(row.totalAmount),
    money(row.refundedAmount),
    money(row.platformFeeAmount),
    row.couponCode ? formatCouponCode(row.couponCode) : '',
    row.couponBrandId ?? '',
    row.dropId ?? '',
    row.paymentProvider,
    row.paymentIntentId ?? '',
    times.format(row.paidAt),
    items,
    row.referringNoteId ?? '',
  ];
  return cells.map(neutralise);
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV line, RFC 4180: a cell holding a comma, a quote, CR or LF is quoted with its quotes
 * doubled (CR too, which csv-stringify leaves bare and some spreadsheets split rows on).
 */
export function csvLine(cells: readonly string[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i += 1) {
    const cell = cells[i]!;
    if (i > 0) line += ',';
    line += NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  }
  return `${line}\n`;
}
