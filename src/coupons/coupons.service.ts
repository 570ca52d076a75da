import { stringify } from 'csv-stringify';
import type { Readable } from 'node:stream';
import type { Queue } from 'bullmq';
import type { Sequelize } from 'sequelize';
import type { Clock } from '../clock';
import { execute, selectOne, selectRows } from '../db/sql';
import { AppError } from '../http/app-error';
import { decodeCursor, pageOf } from '../http/cursor';
import { newId } from '../ids';
import { enqueueOrUndo } from '../../jobs/enqueue';
import { formatCouponCode, generateCouponCode } from './coupon-code';
import { listCouponsOwnedBy, type CouponRow } from './coupons.repository';
import type { BatchView, CouponView, CreateBatchInput } from './coupons.schema';

export const GENERATE_COUPON_BATCH = 'generate-coupon-batch';
const CHUNK = 1000;

interface BatchRow {
  id: string;
  brandId: string;
  count: number;
  generated: number;
  status: BatchView['status'];
  discountType: 'percent' | 'fixed';
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
  minSpendAmount: number | null;
  expiresAt: Date;
  createdAt: Date;
  redeemedCount: number | string;
}

const BATCH_COLUMNS = `id, brand_id AS brandId, count, generated, status, discount_type AS discountType,
  percent_off AS percentOff, amount_off AS amountOff, currency, min_spend_amount AS minSpendAmount,
  expires_at AS expiresAt, created_at AS createdAt,
  (SELECT COUNT(*) FROM coupons c WHERE c.batch_id = coupon_batches.id AND c.status = 'redeemed') AS redeemedCount`;

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
    private readonly sequelize: Sequelize,
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
    await execute(
      this.sequelize,
      `INSERT INTO coupon_batches (id, brand_id, count, generated, status, discount_type, percent_off, amount_off,
         currency, min_spend_amount, expires_at, created_at, updated_at)
       VALUES (?, ?, ?, 0, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        brandId,
        input.count,
        input.discountType,
        input.percentOff ?? null,
        input.amountOff ?? null,
        input.currency ?? null,
        input.minSpendAmount ?? null,
        expiresAt,
        now,
        now,
      ],
    );
    await enqueueOrUndo(
      () => this.queue.add(GENERATE_COUPON_BATCH, { batchId: id }, { jobId: `coupon:batch:${id}` }),
      () =>
        execute(
          this.sequelize,
          "DELETE FROM coupon_batches WHERE id = ? AND status = 'pending' AND generated = 0",
          [id],
        ),
    );
    return this.getBatch(brandId, id);
  }

  async getBatch(brandId: string, batchId: string): Promise<BatchView> {
    const row = await selectOne<BatchRow>(
      this.sequelize,
      `SELECT ${BATCH_COLUMNS} FROM coupon_batches WHERE id = ?`,
      [batchId],
    );
    if (!row || row.brandId !== brandId) throw AppError.notFound('coupon batch');
    return toBatchView(row);
  }

  /** The brand's batches, newest first. */
  async listBatches(brandId: string, cursor: string | undefined, limit: number) {
    const afterId = decodeCursor(cursor);
    const rows = await selectRows<BatchRow>(
      this.sequelize,
      `SELECT ${BATCH_COLUMNS} FROM coupon_batches
        WHERE brand_id = ?${afterId ? ' AND id < ?' : ''} ORDER BY id DESC LIMIT ?`,
      afterId ? [brandId, afterId, limit + 1] : [brandId, limit + 1],
    );
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
    const batch = await selectOne<BatchRow>(
      this.sequelize,
      `SELECT ${BATCH_COLUMNS} FROM coupon_batches WHERE id = ?`,
      [batchId],
    );
    if (!batch) throw new Error(`coupon batch ${batchId} does not exist`);
    let generated = batch.generated;
    if (generated < batch.count) {
      await execute(
        this.sequelize,
        `UPDATE coupon_batches SET status = 'generating' WHERE id = ? AND status = 'pending'`,
        [batchId],
      );
    }
    while (generated < batch.count) {
      const size = Math.min(CHUNK, batch.count - generated);
      const now = this.clock.now().toJSDate();
      generated = await this.sequelize.transaction(async (transaction) => {
        const values: unknown[] = [];
        for (let i = 0; i < size; i += 1) {
          values.push(
            newId('cpn', now.getTime()),
            generateCouponCode(),
            batch.brandId,
            batch.id,
            batch.discountType,
            batch.percentOff,
            batch.amountOff,
            batch.currency,
            batch.minSpendAmount,
            batch.expiresAt,
            now,
            now,
          );
        }
        // A code collision (2^-80 odds per pair) inserts nothing for that row; the loop makes up for it.
        const inserted = await execute(
          this.sequelize,
          `INSERT INTO coupons (id, code, brand_id, batch_id, discount_type, percent_off, amount_off, currency,
             min_spend_amount, expires_at, status, created_at, updated_at)
           VALUES ${Array(size).fill("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'available', ?, ?)").join(', ')}
           ON DUPLICATE KEY UPDATE code = code`,
          values,
          transaction,
        );
        await execute(
          this.sequelize,
          'UPDATE coupon_batches SET generated = generated + ?, updated_at = ? WHERE id = ?',
          [inserted, now, batchId],
          transaction,
        );
        return generated + inserted;
      });
      await onProgress(generated, batch.count);
    }
    await execute(
      this.sequelize,
      `UPDATE coupon_batches SET status = 'ready', updated_at = ? WHERE id = ?`,
      [this.clock.now().toJSDate(), batchId],
    );
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
    const sequelize = this.sequelize;
    void (async () => {
      try {
        let after = '';
        for (;;) {
          const rows = await selectRows<{
            id: string;
            code: string;
            status: string;
            expiresAt: Date;
            redeemedAt: Date | null;
          }>(
            sequelize,
            `SELECT id, code, status, expires_at AS expiresAt, redeemed_at AS redeemedAt FROM coupons
              WHERE batch_id = ? AND id > ? ORDER BY id LIMIT 2000`,
            [batchId, after],
          );
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
    const rows = await listCouponsOwnedBy(this.sequelize, ownerId, decodeCursor(cursor), limit + 1);
    return pageOf(rows, limit, toCouponView);
  }
}
