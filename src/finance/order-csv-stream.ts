import { Transform } from 'node:stream';
import {
  csvLine,
  type LocalTimes,
  ORDER_CSV_COLUMNS,
  orderCsvRecord,
  type OrderCsvRow,
} from './order-csv';

/** Lines are sent in chunks of about this many characters: one socket write per chunk. */
const CHUNK_CHARS = 64 * 1024;

export interface OrderCsvStreamOptions {
  times: LocalTimes;
  bom?: boolean;
  /** Called every 1,000 rows with the rows turned into lines so far. */
  onRows?: (rows: number) => void;
}

/**
 * Order rows in, CSV bytes out (header first, even for no rows). Lines are joined into ~64 KB
 * chunks: a write per row meant a million small socket writes, each copied into native memory
 * that grows RSS outside the V8 heap, and the per-row strings lived long enough to be promoted.
 */
export class OrderCsvStream extends Transform {
  rows = 0;
  private pending: string;

  constructor(private readonly options: OrderCsvStreamOptions) {
    super({ writableObjectMode: true, writableHighWaterMark: 64 });
    this.pending = `${options.bom ? '\ufeff' : ''}${ORDER_CSV_COLUMNS.join(',')}\n`;
  }

  override _transform(row: OrderCsvRow, _encoding: BufferEncoding, done: () => void): void {
    this.pending += csvLine(orderCsvRecord(row, this.options.times));
    this.rows += 1;
    if (this.options.onRows && this.rows % 1000 === 0) this.options.onRows(this.rows);
    if (this.pending.length >= CHUNK_CHARS) {
      this.push(Buffer.from(this.pending, 'utf8'));
      this.pending = '';
    }
    done();
  }

  override _flush(done: () => void): void {
    if (this.pending.length > 0) this.push(Buffer.from(this.pending, 'utf8'));
    this.pending = '';
    done();
  }
}
