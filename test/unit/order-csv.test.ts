import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { dayRange } from '../../src/finance/finance.service';
import { DateTime } from 'luxon';
import {
  LocalTimes,
  neutralise,
  orderCsvRecord,
  ORDER_CSV_COLUMNS,
  type OrderCsvRow,
} from '../../src/finance/order-csv';

const row = (overrides: Partial<OrderCsvRow> = {}): OrderCsvRow => ({
  id: 'ord_1',
  createdAt: new Date('2026-11-20T10:00:00Z'),
  status: 'paid',
  buyerId: 'usr_b',
  sellerId: 'usr_s',
  buyerCountry: 'BR',
  sellerCountry: 'JP',
  currency: 'USD',
  subtotalAmount: 1999,
  discountAmount: 200,
  totalAmount: 1799,
  refundedAmount: 0,
  platformFeeAmount: 45,
  couponCode: 'ABCDEFGHJKMNPQRS',
  couponBrandId: 'brd_1',
  dropId: null,
  paymentProvider: 'manual',
  paymentIntentId: null,
  paidAt: new Date('2026-11-20T10:05:00Z'),
  items: JSON.stringify([{ listingId: 'lst_1', title: 'Bowl', quantity: 1, unitAmount: 1999 }]),
  referringNoteId: null,
  ...overrides,
});

test.each([
  ['=SUM(A1)', "'=SUM(A1)"],
  ['+1', "'+1"],
  ['-1', "'-1"],
  ['@cmd', "'@cmd"],
  ['\tx', "'\tx"],
  ['\rx', "'\rx"],
  ['plain', 'plain'],
  ['a=b', 'a=b'],
])('neutralise(%p) = %p', (cell, expected) => {
  expect(neutralise(cell)).toBe(expected);
});

test('a record has the columns of API.md, amounts in major units, times in the zone', () => {
  const record = orderCsvRecord(row(), new LocalTimes('Asia/Tokyo'));
  expect(record).toHaveLength(ORDER_CSV_COLUMNS.length);
  const cells = Object.fromEntries(ORDER_CSV_COLUMNS.map((c, i) => [c, record[i]]));
  expect(cells).toMatchObject({
    created_at: '2026-11-20T19:00:00+09:00',
    subtotal: '19.99',
    discount: '2.00',
    total: '17.99',
    refunded: '0.00',
    platform_fee: '0.45',
    coupon_code: 'ABCD-EFGH-JKMN-PQRS',
    paid_at: '2026-11-20T19:05:00+09:00',
    items: '1 x Bowl (lst_1) @ 19.99',
    drop_id: '',
    referring_note_id: '',
  });
});

test('the note an order came through is the last cell', () => {
  const record = orderCsvRecord(row({ referringNoteId: 'nte_1' }), new LocalTimes('UTC'));
  expect(ORDER_CSV_COLUMNS.at(-1)).toBe('referring_note_id');
  expect(record.at(-1)).toBe('nte_1');
});

test.each([
  ['JPY', 500, '500'],
  ['KWD', 1234, '1.234'],
  ['USD', 5, '0.05'],
])('%s %d is %s', (currency, amount, expected) => {
  const record = orderCsvRecord(row({ currency, subtotalAmount: amount }), new LocalTimes('UTC'));
  expect(record[ORDER_CSV_COLUMNS.indexOf('subtotal')]).toBe(expected);
});

test('a hostile title survives a CSV round trip intact', () => {
  const title = '=HYPERLINK("http://x"), "quoted"\nsecond line';
  const record = orderCsvRecord(
    row({ items: JSON.stringify([{ listingId: 'lst_1', title, quantity: 2, unitAmount: 100 }]) }),
    new LocalTimes('UTC'),
  );
  const [parsed] = parse(stringify([record])) as string[][];
  expect(parsed![ORDER_CSV_COLUMNS.indexOf('items')]).toBe(`2 x ${title} (lst_1) @ 1.00`);
});

test.each([
  ['Asia/Kathmandu', '2026-06-01T00:00:00.000Z'],
  ['America/New_York', '2026-03-08T06:59:59.123Z'],
  ['America/New_York', '2026-03-08T07:00:00.000Z'],
  ['Australia/Lord_Howe', '2026-04-04T14:59:59.000Z'],
  ['Australia/Lord_Howe', '2026-04-04T15:00:00.000Z'],
  ['Pacific/Chatham', '2026-09-26T13:45:00.000Z'],
  ['UTC', '2026-01-01T00:00:00.500Z'],
])('LocalTimes in %s at %s agrees with luxon', (zone, instant) => {
  const date = new Date(instant);
  const expected = DateTime.fromJSDate(date, { zone }).toISO({ suppressMilliseconds: true });
  expect(new LocalTimes(zone).format(date)).toBe(expected);
});

test.each([
  [
    '2026-11-20',
    '2026-11-20',
    'Pacific/Kiritimati',
    '2026-11-19T10:00:00.000Z',
    '2026-11-20T10:00:00.000Z',
  ],
  [
    '2026-11-20',
    '2026-11-20',
    'Pacific/Pago_Pago',
    '2026-11-20T11:00:00.000Z',
    '2026-11-21T11:00:00.000Z',
  ],
  [
    '2026-03-29',
    '2026-03-29',
    'Europe/Berlin',
    '2026-03-28T23:00:00.000Z',
    '2026-03-29T22:00:00.000Z',
  ],
])('dayRange(%s..%s, %s)', (from, to, zone, start, end) => {
  const range = dayRange(from, to, zone);
  expect(range.start.toISOString()).toBe(start);
  expect(range.end.toISOString()).toBe(end);
});
