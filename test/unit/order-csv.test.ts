import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { dayRange } from '../../src/finance/finance.service';
import { DateTime } from 'luxon';
import { OrderCsvStream } from '../../src/finance/order-csv-stream';
import {
  csvLine,
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

test.each([
  ['plain', 'plain'],
  ['a,b', '"a,b"'],
  ['say "hi"', '"say ""hi"""'],
  ['two\nlines', '"two\nlines"'],
  ['bare\rreturn', '"bare\rreturn"'],
  ['', ''],
])('csvLine quotes %p as %p', (cell, expected) => {
  expect(csvLine([cell, 'x'])).toBe(`${expected},x\n`);
});

test('csvLine reads back as csv-stringify writes: the same cells, the same text', () => {
  const cells = ['=HYPERLINK("http://x")', 'a,b', 'say "hi"', 'two\nlines', '', 'ünï ✓'];
  expect(csvLine(cells)).toBe(stringify([cells]));
  expect(parse(csvLine(cells))).toEqual([cells]);
});

const csvOfRows = async (rows: OrderCsvRow[], options: { bom?: boolean } = {}) => {
  const counts: number[] = [];
  const csv = new OrderCsvStream({
    times: new LocalTimes('UTC'),
    bom: options.bom,
    onRows: (n) => counts.push(n),
  });
  const chunks: Buffer[] = [];
  csv.on('data', (chunk: Buffer) => chunks.push(chunk));
  await pipeline(Readable.from(rows), csv);
  return { text: Buffer.concat(chunks).toString('utf8'), chunks: chunks.length, counts, csv };
};

test('no rows: the header alone, with the BOM when asked', async () => {
  const { text } = await csvOfRows([], { bom: true });
  expect(text).toBe(`\ufeff${ORDER_CSV_COLUMNS.join(',')}\n`);
});

test('2,500 rows come out in a few chunks, in order, counted every 1,000', async () => {
  const rows = Array.from({ length: 2500 }, (_, i) =>
    row({
      id: `ord_${i}`,
      items: JSON.stringify([{ listingId: 'l', title: 'a "b", c', quantity: 1, unitAmount: 1 }]),
    }),
  );
  const { text, chunks, counts, csv } = await csvOfRows(rows);
  const parsed = parse(text, { columns: true }) as Array<Record<string, string>>;
  expect(parsed.map((r) => r.order_id)).toEqual(rows.map((r) => r.id));
  expect(parsed[0]!.items).toBe('1 x a "b", c (l) @ 0.01');
  expect(text).toBe(
    stringify(
      rows.map((r) => orderCsvRecord(r, new LocalTimes('UTC'))),
      { header: true, columns: [...ORDER_CSV_COLUMNS] },
    ),
  );
  expect(chunks).toBeLessThan(20);
  expect(counts).toEqual([1000, 2000]);
  expect(csv.rows).toBe(2500);
});
