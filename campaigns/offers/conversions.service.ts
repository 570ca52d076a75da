import type { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import type { Sequelize, Transaction } from 'sequelize';
import type { Clock } from '../../src/clock';
import { formatCouponCode, generateCouponCode } from '../../src/coupons/coupon-code';
import { insertOfferCoupons } from '../../src/coupons/coupons.repository';
import { retryingTransaction } from '../../src/db/retry';
import { execute, selectOne, selectRows } from '../../src/db/sql';
import { AppError } from '../../src/http/app-error';
import { decodeCursor, pageOf } from '../../src/http/cursor';
import { newId } from '../../src/ids';
import { enqueueOrUndo } from '../../jobs/enqueue';
import type { PointsLedger } from '../../src/points/points.ledger';
import { conversionRefusal, refusalError } from './conversion-refusal';
import { findOffer, isOfferOpen, type OfferRow } from './offers.repository';
import type { ConversionFailure, ConversionView } from './offers.schema';
import type { WebhookEventRecorder } from '../../src/webhooks';

export const SETTLE_CONVERSION = 'settle-conversion';
export const SWEEP_CONVERSIONS = 'sweep-conversions';
/** A conversion still pending this long after it was asked for has lost its job: enqueue again. */
const STUCK_AFTER_MS = 30_000;

interface ConversionRow {
  id: string;
  offerId: string;
  memberId: string;
  status: ConversionView['status'];
  reason: ConversionFailure | null;
  pointsCost: number | null;
  couponCode: string | null;
  createdAt: Date;
  settledAt: Date | null;
}

const CONVERSION_SELECT = `SELECT c.id, c.offer_id AS offerId, c.member_id AS memberId, c.status, c.reason,
    c.points_cost AS pointsCost, k.code AS couponCode, c.created_at AS createdAt, c.settled_at AS settledAt
  FROM point_conversions c LEFT JOIN coupons k ON k.id = c.coupon_id`;

function toView(row: ConversionRow): ConversionView {
  return {
    id: row.id,
    offerId: row.offerId,
    status: row.status,
    reason: row.reason,
    pointsCost: row.pointsCost,
    couponCode: row.couponCode ? formatCouponCode(row.couponCode) : null,
    createdAt: row.createdAt.toISOString(),
    settledAt: row.settledAt?.toISOString() ?? null,
  };
}

export function couponExpiry(offer: OfferRow, now: Date): Date {
  return DateTime.fromJSDate(now).plus({ days: offer.validDays }).toJSDate();
}

/**
 * Coupons of this offer the member already holds. To decide on it, their balance row must be
 * locked in `transaction`; without one it is a plain read (the request's early refusal).
 */
export async function couponsOfOfferOwned(
  sequelize: Sequelize,
  offerId: string,
  memberId: string,
  transaction?: Transaction,
): Promise<number> {
  const row = await selectOne<{ n: number }>(
    sequelize,
    'SELECT COUNT(*) AS n FROM coupons WHERE offer_id = ? AND owner_id = ?',
    [offerId, memberId],
    transaction,
  );
  return Number(row?.n ?? 0);
}

/** A member's request to turn points into one coupon of an offer, settled by a job. */
export class ConversionsService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly clock: Clock,
    private readonly ledger: PointsLedger,
    private readonly queue: Queue,
  ) {}

  private events: WebhookEventRecorder | null = null;

  /** conversion.completed is recorded in the settling transaction (src/webhooks). */
  useEvents(events: WebhookEventRecorder): void {
    this.events = events;
  }

  /** Records the request and enqueues its settlement; the job id is the conversion id. */
  async request(memberId: string, offerId: string): Promise<ConversionView> {
    const offer = await findOffer(this.sequelize, offerId);
    if (!offer) throw AppError.notFound('points offer');
    const now = this.clock.now().toJSDate();
    // What the request already shows is refused at once; only a conversion that can still
    // succeed is recorded, and the job decides the races between those.
    const [balance, owned] = await Promise.all([
      this.ledger.balanceOf(memberId),
      couponsOfOfferOwned(this.sequelize, offer.id, memberId),
    ]);
    const standing = { now, balance, owned };
    const refusal = conversionRefusal(offer, standing);
    if (refusal) throw refusalError(refusal, offer, standing);
    const id = newId('cnv', now.getTime());
    await execute(
      this.sequelize,
      `INSERT INTO point_conversions (id, offer_id, member_id, status, created_at) VALUES (?, ?, ?, 'pending', ?)`,
      [id, offerId, memberId, now],
    );
    await enqueueOrUndo(
      () => this.enqueue(id),
      () =>
        execute(this.sequelize, 'DELETE FROM point_conversions WHERE id = ? AND status = ?', [
          id,
          'pending',
        ]),
    );
    // Answered from what was written: a fast worker may already have settled it, but the
    // answer to this request is the pending conversion it made (202).
    return toView({
      id,
      offerId,
      memberId,
      status: 'pending',
      reason: null,
      pointsCost: null,
      couponCode: null,
      createdAt: now,
      settledAt: null,
    });
  }

  private enqueue(id: string) {
    return this.queue.add(SETTLE_CONVERSION, { conversionId: id }, { jobId: id });
  }

  async get(memberId: string, id: string): Promise<ConversionView> {
    const row = await this.find(id);
    if (!row || row.memberId !== memberId) throw AppError.notFound('conversion');
    return toView(row);
  }

  /** The member's own conversions, newest first. */
  async listMine(memberId: string, cursor: string | undefined, limit: number) {
    const afterId = decodeCursor(cursor);
    const rows = await selectRows<ConversionRow>(
      this.sequelize,
      `${CONVERSION_SELECT} WHERE c.member_id = ?${afterId ? ' AND c.id < ?' : ''} ORDER BY c.id DESC LIMIT ?`,
      afterId ? [memberId, afterId, limit + 1] : [memberId, limit + 1],
    );
    return pageOf(rows, limit, toView);
  }

  private find(id: string, transaction?: Transaction) {
    return selectOne<ConversionRow>(
      this.sequelize,
      `${CONVERSION_SELECT} WHERE c.id = ?${transaction ? ' FOR UPDATE' : ''}`,
      [id],
      transaction,
    );
  }

  /**
   * Settles a pending conversion once: points debited, one unit of budget consumed and the coupon
   * created together, or the conversion failed with its reason and nothing else changed. Running
   * it again on a settled conversion does nothing.
   */
  async settle(id: string): Promise<ConversionView> {
    // The offer is read before the transaction takes its connection: a second connection per
    // settlement inside it starved the pool (every connection held by a transaction waiting for
    // another) once the pool was no larger than twice the worker's concurrency. What decides the
    // budget is the conditional UPDATE inside.
    const request = await this.find(id);
    if (!request) throw AppError.notFound('conversion');
    if (request.status !== 'pending') return toView(request);
    const offer = await findOffer(this.sequelize, request.offerId);
    return retryingTransaction(this.sequelize, async (transaction) => {
      const conversion = await this.find(id, transaction);
      if (!conversion) throw AppError.notFound('conversion');
      if (conversion.status !== 'pending') return toView(conversion);
      const now = this.clock.now().toJSDate();
      const failure = await this.convert(transaction, conversion, offer, now);
      if (failure) {
        await execute(
          this.sequelize,
          `UPDATE point_conversions SET status = 'failed', reason = ?, settled_at = ? WHERE id = ?`,
          [failure, now, id],
          transaction,
        );
      }
      return toView((await this.find(id, transaction))!);
    });
  }

  /** Checks come first and write nothing; the offer's row is locked last, for the shortest time. */
  private async convert(
    transaction: Transaction,
    conversion: ConversionRow,
    offer: OfferRow | undefined,
    now: Date,
  ): Promise<ConversionFailure | null> {
    if (!offer || !isOfferOpen(offer, now)) return 'offer_not_active';
    const { memberId } = conversion;
    const balance = await this.ledger.lockBalance(transaction, memberId);
    if (balance < offer.pointsCost) return 'insufficient_points';
    const owned = await couponsOfOfferOwned(this.sequelize, offer.id, memberId, transaction);
    if (owned >= offer.perUserLimit) return 'limit_reached';
    // Invariant: issued <= budget; the conditional update decides the race for the last coupon.
    const consumed = await execute(
      this.sequelize,
      'UPDATE points_offers SET issued = issued + 1 WHERE id = ? AND issued < budget',
      [offer.id],
      transaction,
    );
    if (consumed !== 1) return 'budget_exhausted';
    await this.ledger.spend(
      transaction,
      { memberId, reason: 'conversion', sourceId: conversion.id, now },
      offer.pointsCost,
    );
    const couponId = newId('cpn', now.getTime());
    await insertOfferCoupons(
      this.sequelize,
      { ...offer, offerId: offer.id, expiresAt: couponExpiry(offer, now) },
      [{ id: couponId, code: generateCouponCode(), ownerId: memberId, sourceId: conversion.id }],
      now,
      transaction,
    );
    await execute(
      this.sequelize,
      `UPDATE point_conversions SET status = 'completed', points_cost = ?, coupon_id = ?, settled_at = ?
        WHERE id = ?`,
      [offer.pointsCost, couponId, now, conversion.id],
      transaction,
    );
    await this.events?.record(
      {
        type: 'conversion.completed',
        key: `conversion.completed:${conversion.id}`,
        brandId: offer.brandId,
        data: {
          object: 'conversion',
          id: conversion.id,
          offerId: offer.id,
          couponId,
          pointsCost: offer.pointsCost,
          settledAt: now.toISOString(),
        },
      },
      transaction,
    );
    return null;
  }

  /** Conversions whose job was lost (never enqueued, or failed for good): enqueue or retry them. */
  async sweepStuck(): Promise<number> {
    const before = new Date(this.clock.now().toMillis() - STUCK_AFTER_MS);
    const rows = await selectRows<{ id: string }>(
      this.sequelize,
      `SELECT id FROM point_conversions WHERE status = 'pending' AND created_at < ? ORDER BY created_at LIMIT 1000`,
      [before],
    );
    for (const { id } of rows) {
      const job = await this.queue.getJob(id);
      if (!job) await this.enqueue(id);
      else if (await job.isFailed()) await job.retry();
    }
    return rows.length;
  }
}
