import type { Queue } from 'bullmq';
import type { Sequelize, Transaction } from 'sequelize';
import type { Clock } from '../../src/clock';
import { generateCouponCode } from '../../src/coupons/coupon-code';
import { insertOfferCoupons } from '../../src/coupons/coupons.repository';
import { retryingTransaction } from '../../src/db/retry';
import { execute, selectOne, selectRows } from '../../src/db/sql';
import { AppError } from '../../src/http/app-error';
import { hasRole, type AuthContext } from '../../src/http/auth-context';
import { newId } from '../../src/ids';
import { enqueueOrUndo } from '../../jobs/enqueue';
import { couponExpiry } from './conversions.service';
import { findOffer, isOfferOpen, type OfferRow } from './offers.repository';
import type { JobView } from './offers.schema';

export const RUN_AIRDROP = 'run-airdrop';
/** Members converted per transaction: large enough for multi-row statements, short enough to lock briefly. */
const BATCH = 500;

type StoppedBy = 'budget_exhausted' | 'offer_not_active';

interface AirdropRow {
  id: string;
  offerId: string;
  brandId: string;
  status: 'waiting' | 'active' | 'completed' | 'failed';
  total: number | null;
  done: number;
  issued: number;
  cursorMemberId: string;
  stoppedBy: StoppedBy | null;
}

const COLUMNS = `id, offer_id AS offerId, brand_id AS brandId, status, total, done, issued,
  cursor_member_id AS cursorMemberId, stopped_by AS stoppedBy`;

/**
 * Members who opted in, can pay, and are under the offer's per-member limit, after `cursor`.
 * STRAIGHT_JOIN walks balances by primary key from the cursor: left to itself the optimizer
 * may walk the opted-in users' index from the start on every batch (quadratic, and locking
 * every row it passed).
 */
const ELIGIBLE = `FROM point_balances b STRAIGHT_JOIN users u ON u.id = b.member_id
  WHERE b.member_id > ? AND b.balance >= ? AND u.auto_convert_points = 1
    AND (SELECT COUNT(*) FROM coupons c WHERE c.offer_id = ? AND c.owner_id = b.member_id) < ?`;

function eligibleParams(offer: OfferRow, cursor: string) {
  return [cursor, offer.pointsCost, offer.id, offer.perUserLimit];
}

/**
 * A brand's airdrop: one coupon of an offer for every opted-in member who can pay for it, within
 * budget and limits. Each batch converts its members and moves the airdrop's cursor in one
 * transaction, so a worker killed midway resumes at the cursor with nothing issued twice.
 */
export class AirdropsService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly clock: Clock,
    private readonly queue: Queue,
  ) {}

  async start(brand: AuthContext, offerId: string): Promise<{ jobId: string }> {
    const offer = await findOffer(this.sequelize, offerId);
    if (!offer) throw AppError.notFound('points offer');
    if (offer.brandId !== brand.brandId)
      throw AppError.forbidden('Only the brand that runs the offer can airdrop it.', 'not_owner');
    const now = this.clock.now().toJSDate();
    if (!isOfferOpen(offer, now))
      throw AppError.conflict('offer_not_active', 'The offer is not open now.');
    if (offer.issued >= offer.budget)
      throw AppError.conflict('budget_exhausted', 'The offer has no coupons left.');
    const id = newId('adr', now.getTime());
    await execute(
      this.sequelize,
      `INSERT INTO airdrops (id, offer_id, brand_id, status, created_at, updated_at) VALUES (?, ?, ?, 'waiting', ?, ?)`,
      [id, offerId, offer.brandId, now, now],
    );
    await enqueueOrUndo(
      () => this.queue.add(RUN_AIRDROP, { airdropId: id }, { jobId: id }),
      () => execute(this.sequelize, 'DELETE FROM airdrops WHERE id = ? AND total IS NULL', [id]),
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

  private find(id: string, transaction?: Transaction) {
    return selectOne<AirdropRow>(
      this.sequelize,
      `SELECT ${COLUMNS} FROM airdrops WHERE id = ?${transaction ? ' FOR UPDATE' : ''}`,
      [id],
      transaction,
    );
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
      row = await retryingTransaction(this.sequelize, (transaction) =>
        this.runBatch(transaction, id),
      );
      await onProgress(row.done, Math.max(row.total ?? 0, row.done));
    }
    return { issued: row.issued, stoppedBy: row.stoppedBy };
  }

  /** Counts who is eligible now, for progress; members who become eligible later still get theirs. */
  private async begin(row: AirdropRow): Promise<AirdropRow> {
    const offer = await findOffer(this.sequelize, row.offerId);
    const counted = offer
      ? await selectOne<{ n: number }>(
          this.sequelize,
          `SELECT COUNT(*) AS n ${ELIGIBLE}`,
          eligibleParams(offer, ''),
        )
      : undefined;
    await execute(
      this.sequelize,
      `UPDATE airdrops SET status = 'active', total = ?, updated_at = ? WHERE id = ? AND total IS NULL`,
      [Number(counted?.n ?? 0), this.clock.now().toJSDate(), row.id],
    );
    return (await this.find(row.id))!;
  }

  private async runBatch(transaction: Transaction, id: string): Promise<AirdropRow> {
    // The airdrop's row is locked first: a second worker running the same job waits, then resumes.
    const row = (await this.find(id, transaction))!;
    if (row.status !== 'active') return row;
    const now = this.clock.now().toJSDate();
    const offer = await findOffer(this.sequelize, row.offerId);
    if (!offer || !isOfferOpen(offer, now))
      return this.finish(transaction, row, 'offer_not_active', now);
    // Balance rows are locked before the offer's, in the order single conversions take them.
    const members = await selectRows<{ memberId: string }>(
      this.sequelize,
      `SELECT b.member_id AS memberId ${ELIGIBLE} ORDER BY b.member_id LIMIT ? FOR UPDATE`,
      [...eligibleParams(offer, row.cursorMemberId), BATCH],
      transaction,
    );
    if (members.length === 0) return this.finish(transaction, row, null, now);
    const locked = (await findOffer(this.sequelize, offer.id, transaction))!;
    const chosen = members.slice(0, Math.max(0, locked.budget - locked.issued));
    if (chosen.length > 0) {
      await this.convert(transaction, row, locked, chosen, now);
      await execute(
        this.sequelize,
        `UPDATE airdrops SET cursor_member_id = ?, done = done + ?, issued = issued + ?, updated_at = ?
          WHERE id = ?`,
        [chosen[chosen.length - 1]!.memberId, chosen.length, chosen.length, now, id],
        transaction,
      );
    }
    if (chosen.length < members.length)
      return this.finish(transaction, row, 'budget_exhausted', now);
    return (await this.find(id, transaction))!;
  }

  /** Debits, ledger entries, coupons and budget for a batch of locked members, in multi-row statements. */
  private async convert(
    transaction: Transaction,
    airdrop: AirdropRow,
    offer: OfferRow,
    members: Array<{ memberId: string }>,
    now: Date,
  ): Promise<void> {
    const ids = members.map((m) => m.memberId);
    // Invariant: issued <= budget (the offer row is locked; the CHECK constraint backs it).
    await execute(
      this.sequelize,
      'UPDATE points_offers SET issued = issued + ?, updated_at = ? WHERE id = ?',
      [ids.length, now, offer.id],
      transaction,
    );
    const debited = await execute(
      this.sequelize,
      `UPDATE point_balances SET balance = balance - ?, updated_at = ? WHERE member_id IN (?) AND balance >= ?`,
      [offer.pointsCost, now, ids, offer.pointsCost],
      transaction,
    );
    if (debited !== ids.length) throw new Error('airdrop batch: a locked balance changed');
    const entries = ids.map((memberId) => ({ id: newId('pte', now.getTime()), memberId }));
    // One airdrop entry per member per airdrop: the unique key refuses a second.
    await execute(
      this.sequelize,
      `INSERT INTO point_entries (id, member_id, amount, reason, source_id, created_at)
       VALUES ${entries.map(() => "(?, ?, ?, 'airdrop', ?, ?)").join(', ')}`,
      entries.flatMap((e) => [e.id, e.memberId, -offer.pointsCost, airdrop.id, now]),
      transaction,
    );
    await insertOfferCoupons(
      this.sequelize,
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
    transaction: Transaction,
    row: AirdropRow,
    stoppedBy: StoppedBy | null,
    now: Date,
  ): Promise<AirdropRow> {
    await execute(
      this.sequelize,
      `UPDATE airdrops SET status = 'completed', stopped_by = ?, finished_at = ?, updated_at = ? WHERE id = ?`,
      [stoppedBy, now, now, row.id],
      transaction,
    );
    return (await this.find(row.id, transaction))!;
  }
}
