import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Queue } from 'bullmq';
import { stringify } from 'csv-stringify';
import { DateTime } from 'luxon';
import mysql from 'mysql2';
import type { Sequelize } from 'sequelize';
import type { Clock } from '../clock';
import { parseDatabaseUrl } from '../db/database';
import { execute, selectOne, selectRows } from '../db/sql';
import { AppError } from '../http/app-error';
import { decodeCursor, pageOf } from '../http/cursor';
import { newId } from '../ids';
import { enqueueOrUndo } from '../../jobs/enqueue';
import type { OrderStatus } from '../orders/order-state';
import type { CreateExportInput, ExportView } from './finance.schema';
import { LocalTimes, ORDER_CSV_COLUMNS, orderCsvRecord, type OrderCsvRow } from './order-csv';

export const EXPORT_ORDERS = 'export-orders';
export const PURGE_EXPORTS = 'purge-exports';
/** The streaming endpoint answers ranges up to this; longer ones go through an export job. */
const MAX_STREAM_DAYS = 366;

export interface OrdersRange {
  from: string;
  to: string;
  timezone: string;
  status?: OrderStatus[];
}

export interface FinanceSettings {
  databaseUrl: string;
  exportDir: string;
  retentionDays: number;
}

/** [from 00:00, to 24:00) in `zone`, as UTC instants; DST days are 23 or 25 hours long. */
export function dayRange(
  from: string,
  to: string,
  zone: string,
): { start: Date; end: Date; days: number } {
  const start = DateTime.fromISO(from, { zone }).startOf('day');
  const end = DateTime.fromISO(to, { zone }).startOf('day').plus({ days: 1 });
  if (!start.isValid || !end.isValid)
    throw AppError.invalid('parameter_invalid', 'from and to must be dates, YYYY-MM-DD', 'from');
  return {
    start: start.toJSDate(),
    end: end.toJSDate(),
    days: Math.round(end.diff(start, 'days').days),
  };
}

export const ORDER_ROWS_SQL = `SELECT o.id, o.created_at AS createdAt, o.status, o.buyer_id AS buyerId, o.seller_id AS sellerId,
    b.country AS buyerCountry, s.country AS sellerCountry, o.currency, o.subtotal_amount AS subtotalAmount,
    o.discount_amount AS discountAmount, o.total_amount AS totalAmount, o.refunded_amount AS refundedAmount,
    o.platform_fee_amount AS platformFeeAmount, o.coupon_code AS couponCode, o.coupon_brand_id AS couponBrandId,
    o.drop_id AS dropId, o.payment_provider AS paymentProvider, o.payment_intent_id AS paymentIntentId, o.paid_at AS paidAt,
    o.referring_note_id AS referringNoteId,
    (SELECT JSON_ARRAYAGG(JSON_OBJECT('listingId', i.listing_id, 'title', i.title, 'quantity', i.quantity, 'unitAmount', i.unit_amount))
       FROM order_items i WHERE i.order_id = o.id) AS items
  FROM orders o LEFT JOIN users b ON b.id = o.buyer_id LEFT JOIN users s ON s.id = o.seller_id
  WHERE o.created_at >= ? AND o.created_at < ?`;

interface ExportRow {
  id: string;
  requestedBy: string;
  fromDay: string;
  toDay: string;
  timezone: string;
  statusFilter: string | null;
  status: ExportView['status'];
  rowsDone: number;
  fileName: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

const EXPORT_COLUMNS = `id, requested_by AS requestedBy, from_day AS fromDay, to_day AS toDay, timezone,
  status_filter AS statusFilter, status, rows_done AS rowsDone, file_name AS fileName, created_at AS createdAt,
  finished_at AS finishedAt`;

function toExportView(row: ExportRow): ExportView {
  return {
    id: row.id,
    status: row.status,
    progress: { rowsDone: row.rowsDone },
    from: row.fromDay,
    to: row.toDay,
    timezone: row.timezone,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    downloadUrl: row.status === 'done' ? `/v1/finance/exports/${row.id}/download` : null,
  };
}

/** Orders for accounting: streamed CSV in constant memory, or a file written by a job. */
export class FinanceService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly clock: Clock,
    private readonly queue: Queue,
    private readonly settings: FinanceSettings,
  ) {}

  /** Refuses what the streaming endpoint will not do, before any byte is sent. */
  checkStreamRange(range: OrdersRange): void {
    const { days } = dayRange(range.from, range.to, range.timezone);
    if (days > MAX_STREAM_DAYS) {
      throw AppError.invalid(
        'range_too_long',
        `At most ${MAX_STREAM_DAYS} days per request; use POST /v1/finance/exports for more.`,
        'to',
      );
    }
  }

  /**
   * Streams the orders of the range as CSV into `out`: rows come from a mysql2 query stream on
   * a connection of its own, through csv-stringify, with back-pressure all the way, so memory
   * does not grow with the number of orders. Answers the number of rows written.
   */
  async writeOrdersCsv(
    range: OrdersRange,
    out: Writable,
    options: { bom?: boolean; onRows?: (n: number) => void } = {},
  ): Promise<number> {
    const { start, end } = dayRange(range.from, range.to, range.timezone);
    const target = parseDatabaseUrl(this.settings.databaseUrl);
    const connection = mysql.createConnection({
      ...target.server,
      database: target.database,
      timezone: 'Z',
      supportBigNumbers: true,
      dateStrings: false,
    });
    const statusClause = range.status?.length ? ' AND o.status IN (?)' : '';
    const values: unknown[] = [start, end, ...(range.status?.length ? [range.status] : [])];
    let rows = 0;
    const times = new LocalTimes(range.timezone);
    const records = new Transform({
      objectMode: true,
      transform(row: OrderCsvRow, _encoding, done) {
        rows += 1;
        if (options.onRows && rows % 1000 === 0) options.onRows(rows);
        done(null, orderCsvRecord(row, times));
      },
    });
    const csv = stringify({
      header: true,
      columns: [...ORDER_CSV_COLUMNS],
      bom: options.bom ?? false,
    });
    try {
      const source = connection
        .query(`${ORDER_ROWS_SQL}${statusClause} ORDER BY o.created_at, o.id`, values)
        .stream({ highWaterMark: 256 }) as Readable;
      await pipeline(source, records, csv, out);
    } finally {
      connection.destroy();
    }
    return rows;
  }

  async createExport(userId: string, input: CreateExportInput): Promise<ExportView> {
    dayRange(input.from, input.to, input.timezone);
    const now = this.clock.now().toJSDate();
    const id = newId('exp', now.getTime());
    await execute(
      this.sequelize,
      `INSERT INTO finance_exports (id, requested_by, from_day, to_day, timezone, status_filter, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      [id, userId, input.from, input.to, input.timezone, input.status?.join(',') ?? null, now, now],
    );
    await enqueueOrUndo(
      () => this.queue.add(EXPORT_ORDERS, { exportId: id }, { jobId: `finance:export:${id}` }),
      () =>
        execute(this.sequelize, "DELETE FROM finance_exports WHERE id = ? AND status = 'pending'", [
          id,
        ]),
    );
    return this.getExport(id);
  }

  async getExport(id: string): Promise<ExportView> {
    return toExportView(await this.findExport(id));
  }

  /** Every export, newest first: finance staff share them. */
  async listExports(cursor: string | undefined, limit: number) {
    const afterId = decodeCursor(cursor);
    const rows = await selectRows<ExportRow>(
      this.sequelize,
      `SELECT ${EXPORT_COLUMNS} FROM finance_exports${afterId ? ' WHERE id < ?' : ''} ORDER BY id DESC LIMIT ?`,
      afterId ? [afterId, limit + 1] : [limit + 1],
    );
    return pageOf(rows, limit, toExportView);
  }

  /** The export job: writes `<id>.csv.part`, renames it when complete, so a download never sees half a file. */
  async runExport(id: string, onProgress: (rows: number) => Promise<void>): Promise<number> {
    const row = await this.findExport(id);
    if (row.status === 'done' || row.status === 'expired') return row.rowsDone;
    await mkdir(this.settings.exportDir, { recursive: true });
    const fileName = `${id}.csv`;
    const finalPath = path.join(this.settings.exportDir, fileName);
    const partPath = `${finalPath}.part`;
    await execute(
      this.sequelize,
      `UPDATE finance_exports SET status = 'running', rows_done = 0, updated_at = ? WHERE id = ?`,
      [this.clock.now().toJSDate(), id],
    );
    try {
      const rows = await this.writeOrdersCsv(
        {
          from: row.fromDay,
          to: row.toDay,
          timezone: row.timezone,
          status: (row.statusFilter?.split(',') as OrderStatus[] | undefined) ?? undefined,
        },
        createWriteStream(partPath),
        {
          onRows: (n) => {
            void execute(this.sequelize, 'UPDATE finance_exports SET rows_done = ? WHERE id = ?', [
              n,
              id,
            ]).catch(() => undefined);
            void onProgress(n).catch(() => undefined);
          },
        },
      );
      await rename(partPath, finalPath);
      const now = this.clock.now().toJSDate();
      await execute(
        this.sequelize,
        `UPDATE finance_exports SET status = 'done', rows_done = ?, file_name = ?, finished_at = ?, updated_at = ? WHERE id = ?`,
        [rows, fileName, now, now, id],
      );
      return rows;
    } catch (error) {
      await unlink(partPath).catch(() => undefined);
      await execute(
        this.sequelize,
        `UPDATE finance_exports SET status = 'failed', error = ?, updated_at = ? WHERE id = ?`,
        [String(error).slice(0, 500), this.clock.now().toJSDate(), id],
      );
      throw error;
    }
  }

  async openDownload(id: string): Promise<Readable> {
    const row = await this.findExport(id);
    if (row.status !== 'done' || !row.fileName)
      throw AppError.conflict('export_not_ready', `This export is ${row.status}.`);
    return createReadStream(path.join(this.settings.exportDir, row.fileName));
  }

  /** Deletes export files older than the retention; their rows stay, marked expired. */
  async purgeOldExports(): Promise<number> {
    const cutoff = this.clock.now().minus({ days: this.settings.retentionDays }).toJSDate();
    const old = await selectRows<{ id: string; fileName: string | null }>(
      this.sequelize,
      `SELECT id, file_name AS fileName FROM finance_exports WHERE status = 'done' AND finished_at < ?`,
      [cutoff],
    );
    for (const row of old) {
      if (row.fileName)
        await unlink(path.join(this.settings.exportDir, row.fileName)).catch(() => undefined);
      await execute(
        this.sequelize,
        `UPDATE finance_exports SET status = 'expired', updated_at = ? WHERE id = ?`,
        [this.clock.now().toJSDate(), row.id],
      );
    }
    // Leftovers of jobs killed midway.
    const entries = await readdir(this.settings.exportDir).catch(() => [] as string[]);
    for (const entry of entries.filter((name) => name.endsWith('.part'))) {
      const file = path.join(this.settings.exportDir, entry);
      if ((await stat(file)).mtime < cutoff) await unlink(file).catch(() => undefined);
    }
    return old.length;
  }

  private async findExport(id: string): Promise<ExportRow> {
    const row = await selectOne<ExportRow>(
      this.sequelize,
      `SELECT ${EXPORT_COLUMNS} FROM finance_exports WHERE id = ?`,
      [id],
    );
    if (!row) throw AppError.notFound('export');
    return row;
  }
}
