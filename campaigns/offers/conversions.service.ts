import type { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import type { Db } from '../../src/db/db';
import type { Clock } from '../../src/clock';
import {
  couponsOfOfferOwned,
  formatCouponCode,
  generateCouponCode,
  insertOfferCoupons,
} from '../../src/coupons';
import type { Tx } from '../../src/db/sql';
import { AppError } from '../../src/http/app-error';
import { decodeCursor, pageOf } from '../../src/http/cursor';
import { newId } from '../../src/ids';
import { enqueueOrUndo } from '../../jobs/enqueue';
import type { PointsLedger } from '../../src/points';
import { conversionRefusal, refusalError } from './conversion-refusal';
import {
  completeConversion,
  deletePendingConversion,
  failConversion,
  findConversion,
  insertConversion,
  listMemberConversions,
  pendingSince,
  type ConversionRow,
} from './conversions.repository';
import { isOfferOpen } from './offer-view';
import { findOffer, takeOneOfBudget, type OfferRow } from './offers.repository';
import type { ConversionFailure, ConversionView } from './offers.schema';
import type { WebhookEventRecorder } from '../../src/webhooks';

export const SETTLE_CONVERSION = 'settle-conversion';
export const SWEEP_CONVERSIONS = 'sweep-conversions';
/** A conversion still pending this long after it was asked for has lost its job: enqueue again. */
const STUCK_AFTER_MS = 30_000;

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

/** A member's request to turn points into one coupon of an offer, settled by a job. */
export class ConversionsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ledger: PointsLedger,
    private readonly queue: Queue,
    /** conversion.completed is recorded in the settling transaction (src/webhooks). */
    private readonly events: WebhookEventRecorder | null,
  ) {}

  /** Records the request and enqueues its settlement; the job id is the conversion id. */
  async request(memberId: string, offerId: string): Promise<ConversionView> {
    const offer = await findOffer(this.db, offerId);
    if (!offer) throw AppError.notFound('points offer');
    const now = this.clock.now().toJSDate();
    // What the request already shows is refused at once; only a conversion that can still
    // succeed is recorded, and the job decides the races between those.
    const [balance, owned] = await Promise.all([
      this.ledger.balanceOf(memberId),
      couponsOfOfferOwned(this.db, offer.id, memberId),
    ]);
    const standing = { now, balance, owned };
    const refusal = conversionRefusal(offer, standing);
    if (refusal) throw refusalError(refusal, offer, standing);
    const id = newId('cnv', now.getTime());
    await insertConversion(this.db, { id, offerId, memberId, createdAt: now });
    await enqueueOrUndo(
      () => this.enqueue(id),
      () => deletePendingConversion(this.db, id),
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
    const rows = await listMemberConversions(this.db, memberId, afterId, limit + 1);
    return pageOf(rows, limit, toView);
  }

  private find(id: string, transaction?: Tx) {
    return findConversion(this.db, id, transaction);
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
    const offer = await findOffer(this.db, request.offerId);
    return this.db.transaction(async (transaction) => {
      const conversion = await this.find(id, transaction);
      if (!conversion) throw AppError.notFound('conversion');
      if (conversion.status !== 'pending') return toView(conversion);
      const now = this.clock.now().toJSDate();
      const failure = await this.convert(transaction, conversion, offer, now);
      if (failure) await failConversion(this.db, id, failure, now, transaction);
      return toView((await this.find(id, transaction))!);
    });
  }

  /** Checks come first and write nothing; the offer's row is locked last, for the shortest time. */
  private async convert(
    transaction: Tx,
    conversion: ConversionRow,
    offer: OfferRow | undefined,
    now: Date,
  ): Promise<ConversionFailure | null> {
    if (!offer || !isOfferOpen(offer, now)) return 'offer_not_active';
    const { memberId } = conversion;
    const balance = await this.ledger.lockBalance(transaction, memberId);
    if (balance < offer.pointsCost) return 'insufficient_points';
    const owned = await couponsOfOfferOwned(this.db, offer.id, memberId, transaction);
    if (owned >= offer.perUserLimit) return 'limit_reached';
    // Invariant: issued <= budget; the conditional update decides the race for the last coupon.
    const consumed = await takeOneOfBudget(this.db, offer.id, transaction);
    if (consumed !== 1) return 'budget_exhausted';
    await this.ledger.spend(
      transaction,
      { memberId, reason: 'conversion', sourceId: conversion.id, now },
      offer.pointsCost,
    );
    const couponId = newId('cpn', now.getTime());
    await insertOfferCoupons(
      this.db,
      { ...offer, offerId: offer.id, expiresAt: couponExpiry(offer, now) },
      [{ id: couponId, code: generateCouponCode(), ownerId: memberId, sourceId: conversion.id }],
      now,
      transaction,
    );
    await completeConversion(
      this.db,
      conversion.id,
      { pointsCost: offer.pointsCost, couponId, now },
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
    const rows = await pendingSince(this.db, before);
    for (const { id } of rows) {
      const job = await this.queue.getJob(id);
      if (!job) await this.enqueue(id);
      else if (await job.isFailed()) await job.retry();
    }
    return rows.length;
  }
}
