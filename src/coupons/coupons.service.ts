import { stringify } from 'csv-stringify';
import type { Readable } from 'node:stream';
import type { Queue } from 'bullmq';
import type { Db } from '../db/db';
import type { Clock } from '../clock';
import { AppError } from '../http/app-error';
import { decodeCursor, pageOf } from '../http/cursor';
import { newId } from '../ids';
import { enqueueOrUndo } from '../../jobs/enqueue';
import { formatCouponCode, generateCouponCode } from './coupon-code';
import {
  addGenerated,
  deleteUnstartedBatch,
  findBatch,
  insertBatch,
  listBatches,
  markBatchGenerating,
  markBatchReady,
  type BatchRow,
} from './coupon-batches.repository';
import {
  batchCodesAfter,
  insertBatchCoupons,
  listCouponsOwnedBy,
  type CouponRow,
} from './coupons.repository';
import type { BatchView, CouponView, CreateBatchInput } from './coupons.schema';

export const GENERATE_COUPON_BATCH = 'generate-coupon-batch';
const CHUNK = 1000;

function toBatchView(row: BatchRow): BatchView {
  return {
    id: row.id,
    count: row.count,
    generated: row.generated,
    status: row.status,
    progress: { done: row.generated, total: row.count },
    discountType: row.discountType,
    percentOff: row.percentOff,
    amountOff: row.amountOff,
    currency: row.currency,
    minSpendAmount: row.minSpendAmount,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    redeemedCount: Number(row.redeemedCount),
  };
}

export function toCouponView(row: CouponRow): CouponView {
  return {
    code: formatCouponCode(row.code),
    brandId: row.brandId,
    brandName: row.brandName ?? null,
    discountType: row.discountType,
    percentOff: row.percentOff,
    amountOff: row.amountOff,
    currency: row.currency,
    minSpendAmount: row.minSpendAmount,
    expiresAt: row.expiresAt.toISOString(),
    status: row.status as CouponView['status'],
    redeemedAt: row.redeemedAt ? row.redeemedAt.toISOString() : null,
  };
}

export class CouponsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly queue: Queue,
  ) {}

  /** Records the batch and hands generation to a job (up to 100,000 codes). */
  async createBatch(brandId: string, input: CreateBatchInput): Promise<BatchView> {
    const now = this.clock.now().toJSDate();
    const expiresAt = new Date(input.expiresAt);
    if (expiresAt.getTime() <= now.getTime())
      throw AppError.invalid('parameter_invalid', 'expiresAt must be in the future', 'expiresAt');
    const id = newId('cpb', now.getTime());
    await insertBatch(this.db, {
      id,
      brandId,
      count: input.count,
      discountType: input.discountType,
      percentOff: input.percentOff ?? null,
      amountOff: input.amountOff ?? null,
      currency: input.currency ?? null,
      minSpendAmount: input.minSpendAmount ?? null,
      expiresAt,
      createdAt: now,
    });
    await enqueueOrUndo(
      () => this.queue.add(GENERATE_COUPON_BATCH, { batchId: id }, { jobId: `coupon:batch:${id}` }),
      () => deleteUnstartedBatch(this.db, id),
    );
    return this.getBatch(brandId, id);
  }

  async getBatch(brandId: string, batchId: string): Promise<BatchView> {
    const row = await findBatch(this.db, batchId);
    if (!row || row.brandId !== brandId) throw AppError.notFound('coupon batch');
    return toBatchView(row);
  }

  /** The brand's batches, newest first. */
  async listBatches(brandId: string, cursor: string | undefined, limit: number) {
    const afterId = decodeCursor(cursor);
    const rows = await listBatches(this.db, brandId, afterId, limit + 1);
    return pageOf(rows, limit, toBatchView);
  }

  /**
   * Generates the codes still missing, a chunk per transaction (codes and the counter move
   * together), so a job killed midway resumes where it stopped and never makes extra codes.
   */
  async generateBatch(
    batchId: string,
    onProgress: (done: number, total: number) => Promise<void>,
  ): Promise<BatchView> {
    const batch = await findBatch(this.db, batchId);
    if (!batch) throw new Error(`coupon batch ${batchId} does not exist`);
    let generated = batch.generated;
    if (generated < batch.count) await markBatchGenerating(this.db, batchId);
    while (generated < batch.count) {
      const size = Math.min(CHUNK, batch.count - generated);
      const now = this.clock.now().toJSDate();
      generated = await this.db.transaction(async (transaction) => {
        const coupons = [];
        for (let i = 0; i < size; i += 1)
          coupons.push({ id: newId('cpn', now.getTime()), code: generateCouponCode() });
        // A code collision inserts nothing for that row; the loop makes up for it.
        const inserted = await insertBatchCoupons(
          this.db,
          { ...batch, batchId: batch.id },
          coupons,
          now,
          transaction,
        );
        await addGenerated(this.db, batchId, inserted, now, transaction);
        return generated + inserted;
      });
      await onProgress(generated, batch.count);
    }
    await markBatchReady(this.db, batchId, this.clock.now().toJSDate());
    return this.getBatch(batch.brandId, batchId);
  }

  /** The batch's codes as CSV, read in keyset chunks so memory stays flat for 100,000 codes. */
  /** The brand's batch, if its codes can be downloaded (404 or 409 otherwise). */
  async checkCodesReady(brandId: string, batchId: string): Promise<void> {
    const batch = await this.getBatch(brandId, batchId);
    if (batch.status !== 'ready')
      throw AppError.conflict('batch_not_ready', 'The batch is still being generated.');
  }

  async codesCsv(brandId: string, batchId: string): Promise<Readable> {
    await this.checkCodesReady(brandId, batchId);
    const csv = stringify({
      header: true,
      columns: ['code', 'status', 'expires_at', 'redeemed_at'],
    });
    const db = this.db;
    void (async () => {
      try {
        let after = '';
        for (;;) {
          const rows = await batchCodesAfter(db, batchId, after, 2000);
          for (const row of rows) {
            const ok = csv.write([
              formatCouponCode(row.code),
              row.status,
              row.expiresAt.toISOString(),
              row.redeemedAt?.toISOString() ?? '',
            ]);
            if (!ok) await new Promise((resolve) => csv.once('drain', resolve));
          }
          if (rows.length < 2000) break;
          after = rows[rows.length - 1]!.id;
        }
        csv.end();
      } catch (error) {
        csv.destroy(error as Error);
      }
    })();
    return csv;
  }

  async listMine(
    ownerId: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ data: CouponView[]; nextCursor: string | null }> {
    const rows = await listCouponsOwnedBy(this.db, ownerId, decodeCursor(cursor), limit + 1);
    return pageOf(rows, limit, toCouponView);
  }
}
