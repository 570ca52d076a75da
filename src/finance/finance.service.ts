import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import mysql from 'mysql2';
import type { Db } from '../db/db';
import type { Clock } from '../clock';
import { parseDatabaseUrl } from '../db/database';
import { AppError } from '../http/app-error';
import { decodeCursor, pageOf } from '../http/cursor';
import { newId } from '../ids';
import { enqueueOrUndo } from '../../jobs/enqueue';
import type { OrderStatus } from '../orders';
import type { CreateExportInput, ExportView } from './finance.schema';
import { FinanceExportsRepository, orderRowsStatement, type ExportRow } from './finance.repository';
import { LocalTimes } from './order-csv';
import { OrderCsvStream } from './order-csv-stream';

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
  private readonly exports: FinanceExportsRepository;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly queue: Queue,
    private readonly settings: FinanceSettings,
  ) {
    this.exports = new FinanceExportsRepository(db);
  }

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
   * a connection of its own, are joined into ~64 KB chunks of CSV, with back-pressure all the
   * way, so memory does not grow with the number of orders. Answers the number of rows written.
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
    const [sql, values] = orderRowsStatement(start, end, range.status);
    const csv = new OrderCsvStream({
      times: new LocalTimes(range.timezone),
      bom: options.bom ?? false,
      onRows: options.onRows,
    });
    try {
      const source = connection.query(sql, [...values]).stream({ highWaterMark: 256 }) as Readable;
      await pipeline(source, csv, out);
    } finally {
      connection.destroy();
    }
    return csv.rows;
  }

  async createExport(userId: string, input: CreateExportInput): Promise<ExportView> {
    dayRange(input.from, input.to, input.timezone);
    const now = this.clock.now().toJSDate();
    const id = newId('exp', now.getTime());
    await this.exports.insertPending(
      {
        id,
        requestedBy: userId,
        fromDay: input.from,
        toDay: input.to,
        timezone: input.timezone,
        statusFilter: input.status?.join(',') ?? null,
      },
      now,
    );
    await enqueueOrUndo(
      () => this.queue.add(EXPORT_ORDERS, { exportId: id }, { jobId: `finance:export:${id}` }),
      () => this.exports.deletePending(id),
    );
    return this.getExport(id);
  }

  async getExport(id: string): Promise<ExportView> {
    return toExportView(await this.findExport(id));
  }

  /** Every export, newest first: finance staff share them. */
  async listExports(cursor: string | undefined, limit: number) {
    const afterId = decodeCursor(cursor);
    const rows = await this.exports.list(afterId, limit + 1);
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
    await this.exports.markRunning(id, this.clock.now().toJSDate());
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
            void this.exports.setProgress(id, n).catch(() => undefined);
            void onProgress(n).catch(() => undefined);
          },
        },
      );
      await rename(partPath, finalPath);
      const now = this.clock.now().toJSDate();
      await this.exports.markDone(id, rows, fileName, now);
      return rows;
    } catch (error) {
      await unlink(partPath).catch(() => undefined);
      await this.exports.markFailed(id, String(error).slice(0, 500), this.clock.now().toJSDate());
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
    const old = await this.exports.findFinishedBefore(cutoff);
    for (const row of old) {
      if (row.fileName)
        await unlink(path.join(this.settings.exportDir, row.fileName)).catch(() => undefined);
      await this.exports.markExpired(row.id, this.clock.now().toJSDate());
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
    const row = await this.exports.find(id);
    if (!row) throw AppError.notFound('export');
    return row;
  }
}
