import type { Queue } from 'bullmq';
import type { Db } from '../../src/db/db';
import type { Clock } from '../../src/clock';
import { generateCouponCode, insertOfferCoupons } from '../../src/coupons';
import type { Tx } from '../../src/db/sql';
import { AppError } from '../../src/http/app-error';
import { hasRole, type AuthContext } from '../../src/http/auth-context';
import { newId } from '../../src/ids';
import { PointsLedger } from '../../src/points';
import { enqueueOrUndo } from '../../jobs/enqueue';
import {
  advanceAirdrop,
  beginAirdrop,
  completeAirdrop,
  countEligible,
  deleteUnbegunAirdrop,
  findAirdrop,
  insertAirdrop,
  lockEligibleAfter,
  type AirdropRow,
  type StoppedBy,
} from './airdrops.repository';
import { couponExpiry } from './conversions.service';
import { isOfferOpen } from './offer-view';
import { addIssued, findOffer, type OfferRow } from './offers.repository';
import type { JobView } from './offers.schema';

export const RUN_AIRDROP = 'run-airdrop';
/** Members converted per transaction: large enough for multi-row statements, short enough to lock briefly. */
const BATCH = 500;

/**
 * A brand's airdrop: one coupon of an offer for every opted-in member who can pay for it, within
 * budget and limits. Each batch converts its members and moves the airdrop's cursor in one
 * transaction, so a worker killed midway resumes at the cursor with nothing issued twice.
 */
export class AirdropsService {
  private readonly ledger: PointsLedger;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly queue: Queue,
  ) {
    this.ledger = new PointsLedger(db);
  }

  async start(brand: AuthContext, offerId: string): Promise<{ jobId: string }> {
    const offer = await findOffer(this.db, offerId);
    if (!offer) throw AppError.notFound('points offer');
    if (offer.brandId !== brand.brandId)
      throw AppError.forbidden('Only the brand that runs the offer can airdrop it.', 'not_owner');
    const now = this.clock.now().toJSDate();
    if (!isOfferOpen(offer, now))
      throw AppError.conflict('offer_not_active', 'The offer is not open now.');
    if (offer.issued >= offer.budget)
      throw AppError.conflict('budget_exhausted', 'The offer has no coupons left.');
    const id = newId('adr', now.getTime());
    await insertAirdrop(this.db, { id, offerId, brandId: offer.brandId, createdAt: now });
    await enqueueOrUndo(
      () => this.queue.add(RUN_AIRDROP, { airdropId: id }, { jobId: id }),
      () => deleteUnbegunAirdrop(this.db, id),
    );
    return { jobId: id };
  }

  /** GET /v1/jobs/:id: the airdrop's own brand, or an admin; anyone else learns nothing. */
  async job(viewer: AuthContext, id: string): Promise<JobView> {
    const row = await this.find(id);
    if (!row || (row.brandId !== viewer.brandId && !hasRole(viewer, 'admin')))
      throw AppError.notFound('job');
    return {
      id: row.id,
      kind: 'airdrop',
      state: row.status,
      progress: { done: row.done, total: Math.max(row.total ?? 0, row.done) },
      ...(row.status === 'completed'
        ? { result: { issued: row.issued, stoppedBy: row.stoppedBy } }
        : {}),
    };
  }

  private find(id: string, transaction?: Tx) {
    return findAirdrop(this.db, id, transaction);
  }

  /** Runs (or resumes) the airdrop to its end, a batch per transaction. */
  async run(
    id: string,
    onProgress: (done: number, total: number) => Promise<void>,
  ): Promise<{ issued: number; stoppedBy: StoppedBy | null }> {
    let row = await this.find(id);
    if (!row) throw new Error(`airdrop ${id} does not exist`);
    if (row.total === null) row = await this.begin(row);
    while (row.status === 'active') {
      row = await this.db.transaction((transaction) => this.runBatch(transaction, id));
      await onProgress(row.done, Math.max(row.total ?? 0, row.done));
    }
    return { issued: row.issued, stoppedBy: row.stoppedBy };
  }

  /** Counts who is eligible now, for progress; members who become eligible later still get theirs. */
  private async begin(row: AirdropRow): Promise<AirdropRow> {
    const offer = await findOffer(this.db, row.offerId);
    const total = offer ? await countEligible(this.db, offer) : 0;
    await beginAirdrop(this.db, row.id, total, this.clock.now().toJSDate());
    return (await this.find(row.id))!;
  }

  private async runBatch(transaction: Tx, id: string): Promise<AirdropRow> {
    // The airdrop's row is locked first: a second worker running the same job waits, then resumes.
    const row = (await this.find(id, transaction))!;
    if (row.status !== 'active') return row;
    const now = this.clock.now().toJSDate();
    const offer = await findOffer(this.db, row.offerId);
    if (!offer || !isOfferOpen(offer, now))
      return this.finish(transaction, row, 'offer_not_active', now);
    // Balance rows are locked before the offer's, in the order single conversions take them.
    const members = await lockEligibleAfter(this.db, offer, row.cursorMemberId, BATCH, transaction);
    if (members.length === 0) return this.finish(transaction, row, null, now);
    const locked = (await findOffer(this.db, offer.id, transaction))!;
    const chosen = members.slice(0, Math.max(0, locked.budget - locked.issued));
    if (chosen.length > 0) {
      await this.convert(transaction, row, locked, chosen, now);
      const last = chosen[chosen.length - 1]!.memberId;
      await advanceAirdrop(this.db, id, last, chosen.length, now, transaction);
    }
    if (chosen.length < members.length)
      return this.finish(transaction, row, 'budget_exhausted', now);
    return (await this.find(id, transaction))!;
  }

  /** Debits, ledger entries, coupons and budget for a batch of locked members, in multi-row statements. */
  private async convert(
    transaction: Tx,
    airdrop: AirdropRow,
    offer: OfferRow,
    members: Array<{ memberId: string }>,
    now: Date,
  ): Promise<void> {
    const ids = members.map((m) => m.memberId);
    // Invariant: issued <= budget (the offer row is locked; the CHECK constraint backs it).
    await addIssued(this.db, offer.id, ids.length, now, transaction);
    // One airdrop entry per member per airdrop: the unique key refuses a second.
    const entries = await this.ledger.spendEach(
      transaction,
      { reason: 'airdrop', sourceId: airdrop.id, now },
      ids,
      offer.pointsCost,
    );
    await insertOfferCoupons(
      this.db,
      { ...offer, offerId: offer.id, expiresAt: couponExpiry(offer, now) },
      entries.map((e) => ({
        id: newId('cpn', now.getTime()),
        code: generateCouponCode(),
        ownerId: e.memberId,
        sourceId: e.id,
      })),
      now,
      transaction,
    );
  }

  private async finish(
    transaction: Tx,
    row: AirdropRow,
    stoppedBy: StoppedBy | null,
    now: Date,
  ): Promise<AirdropRow> {
    await completeAirdrop(this.db, row.id, stoppedBy, now, transaction);
    return (await this.find(row.id, transaction))!;
  }
}
