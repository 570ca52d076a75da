import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Sequelize } from 'sequelize';
import type { Clock } from '../../src/clock';
import { execute, selectOne, type Tx } from '../../src/db/sql';
import { AppError } from '../../src/http/app-error';
import type { AuthContext } from '../../src/http/auth-context';
import { decodeCursor, pageOf } from '../../src/http/cursor';
import { newId } from '../../src/ids';
import type { Logger } from '../../src/logger';
import { showNextDrop } from '../../src/listings/listing-drop';
import { puzzleColumns } from './puzzle-columns';
import { durationMs, readStartsAt } from './drop-time';
import type { DropState } from './drop-state';
import { DropsRepository, type DropRow } from './drops.repository';
import type { CreateDropInput, DropStatus, DropView, PatchDropInput } from './drops.schema';
import { DropPoolRepair, REPAIR_GRACE_MS } from './drop-reconcile';
import { DropSchedule } from './drop-schedule';
import { DropAttempts } from './drop-attempts';
import { DropReservations } from './drop-reservations';
import { dropActivity, dropStats, type ActivityBucket } from './drop-stats';
import { toDropView } from './drop-view';
import { dropEvent } from './drop-event';
import type { WebhookEventRecorder } from '../../src/webhooks';

export class DropsService {
  private readonly repo: DropsRepository;
  private readonly schedule: DropSchedule;
  /** Live pools set back to MySQL's record after a crash split them (drop-reconcile.ts). */
  private readonly pools: DropPoolRepair;
  private readonly attempts: DropAttempts;
  private events: WebhookEventRecorder | null = null;
  private readonly reservations: DropReservations;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly clock: Clock,
    private readonly state: DropState,
    queue: Queue,
    private readonly publicUrl: string,
    private readonly logger: Logger,
    repairGraceMs = REPAIR_GRACE_MS,
  ) {
    this.repo = new DropsRepository(sequelize);
    this.schedule = new DropSchedule(queue, clock);
    this.pools = new DropPoolRepair(sequelize, state, clock, logger, repairGraceMs);
    this.attempts = new DropAttempts(
      sequelize,
      clock,
      state,
      this.repo,
      this.schedule,
      publicUrl,
      logger,
    );
    this.reservations = new DropReservations(
      sequelize,
      clock,
      state,
      this.repo,
      this.schedule,
      logger,
    );
  }

  /** A member's answer: see DropAttempts. */
  attempt(dropId: string, memberId: string, answer: string) {
    return this.attempts.attempt(dropId, memberId, answer);
  }

  /** Waits until no winner is waiting to be recorded: before shutdown closes Redis and MySQL. */
  settle(): Promise<void> {
    return this.attempts.settle();
  }

  expireReservation(reservationId: string): Promise<boolean> {
    return this.reservations.expireReservation(reservationId);
  }

  /** Hooks that make checkout honour drops: see DropReservations. */
  purchaseHooks() {
    return this.reservations.purchaseHooks();
  }

  async stats(owner: AuthContext, id: string, bucket?: ActivityBucket) {
    const drop = await this.ownDrop(owner, id);
    const sources = { sequelize: this.sequelize, repo: this.repo, state: this.state };
    const [stats, activity] = await Promise.all([
      dropStats(drop, sources),
      bucket ? dropActivity(drop, this.state, bucket) : undefined,
    ]);
    return activity ? { ...stats, activity } : stats;
  }

  /** Sets the drop's stock aside from its listing, and schedules its opening and closing. */
  async create(owner: AuthContext, input: CreateDropInput): Promise<DropView> {
    if (!owner.brandId) throw AppError.forbidden('Only brand accounts run drops.');
    const now = this.clock.now();
    const startsAt = readStartsAt(input.startsAt, input.timezone);
    if (startsAt < now.minus({ minutes: 1 }))
      throw AppError.invalid('parameter_invalid', 'startsAt is in the past', 'startsAt');
    const endsAt = startsAt.plus({ milliseconds: durationMs(input.durationHours) });
    const salt = randomBytes(16).toString('hex');
    const id = newId('drp', now.toMillis());

    // Invariant: the drop's units leave the listing's quantity in the same transaction that creates it.
    await this.sequelize.transaction(async (transaction) => {
      const listing = await this.ownListing(owner.userId, input.listingId, transaction);
      const taken = await execute(
        this.sequelize,
        // The listing shows this drop unless it already shows an earlier one.
        `UPDATE listings SET quantity = quantity - ?, drop_id = COALESCE(drop_id, ?)
          WHERE id = ? AND status = 'active' AND quantity >= ?`,
        [input.stock, id, listing.id, input.stock],
        transaction,
      );
      if (taken !== 1)
        throw AppError.conflict(
          'out_of_stock',
          `The listing has fewer than ${input.stock} units to set aside.`,
          'stock',
        );
      await this.repo.insert(
        {
          id,
          brandId: owner.brandId!,
          ownerId: owner.userId,
          listingId: listing.id,
          title: input.title,
          stock: input.stock,
          status: 'scheduled',
          startsAt: startsAt.toJSDate(),
          endsAt: endsAt.toJSDate(),
          timezone: input.timezone,
          ...puzzleColumns(input.puzzle, salt),
          answerSalt: salt,
          maxAttemptsPerUser: input.maxAttemptsPerUser,
          perUserLimit: input.perUserLimit,
          reservationSeconds: Math.round(input.reservationMinutes * 60),
          createdAt: now.toJSDate(),
        },
        transaction,
      );
    });
    await this.schedule.plan(id, startsAt.toJSDate(), endsAt.toJSDate());
    return this.get(id, owner);
  }

  async get(id: string, viewer?: AuthContext): Promise<DropView> {
    const drop = await this.repo.find(id);
    if (!drop) throw AppError.notFound('drop');
    return this.toView(drop, viewer);
  }

  /** Drops, newest first; `brandId` narrows them to one brand's. */
  async list(query: { status?: DropStatus; brandId?: string; limit: number; cursor?: string }) {
    const rows = await this.repo.list(query, decodeCursor(query.cursor), query.limit + 1);
    return pageOf(rows, query.limit, (row) => this.toView(row));
  }

  /** The brand's own drops, canceled ones included, seen as their owner sees them. */
  async listOwn(
    owner: AuthContext,
    query: { status?: DropStatus; limit: number; cursor?: string },
  ) {
    if (!owner.brandId) throw AppError.forbidden('Only brand accounts run drops.');
    const rows = await this.repo.list(
      { status: query.status, brandId: owner.brandId },
      decodeCursor(query.cursor),
      query.limit + 1,
    );
    return pageOf(rows, query.limit, (row) => this.toView(row, owner));
  }

  async patch(owner: AuthContext, id: string, input: PatchDropInput): Promise<DropView> {
    const drop = await this.ownDrop(owner, id);
    if (drop.status !== 'scheduled')
      throw AppError.conflict('drop_not_scheduled', 'Only a scheduled drop can be changed.');
    const zone = input.timezone ?? drop.timezone;
    const startsAt =
      input.startsAt || input.timezone
        ? readStartsAt(input.startsAt ?? drop.startsAt.toISOString(), zone)
        : null;
    const now = this.clock.now();
    if (startsAt && startsAt < now.minus({ minutes: 1 }))
      throw AppError.invalid('parameter_invalid', 'startsAt is in the past', 'startsAt');
    const start = startsAt?.toJSDate() ?? drop.startsAt;
    const runsFor =
      input.durationHours !== undefined
        ? durationMs(input.durationHours)
        : drop.endsAt.getTime() - drop.startsAt.getTime();
    const endsAt = new Date(start.getTime() + runsFor);
    const fields: Record<string, unknown> = { starts_at: start, ends_at: endsAt, timezone: zone };
    if (input.title !== undefined) fields.title = input.title;
    if (input.puzzle) {
      const columns = puzzleColumns(input.puzzle, drop.answerSalt);
      Object.assign(fields, {
        question: columns.question,
        hints: columns.hints,
        answer_hashes: columns.answerHashes,
      });
    }
    if (input.maxAttemptsPerUser !== undefined)
      fields.max_attempts_per_user = input.maxAttemptsPerUser;
    if (input.perUserLimit !== undefined) fields.per_user_limit = input.perUserLimit;
    if (input.reservationMinutes !== undefined)
      fields.reservation_seconds = Math.round(input.reservationMinutes * 60);
    if ((await this.repo.update(id, ['scheduled'], fields, now.toJSDate())) !== 1) {
      throw AppError.conflict('drop_not_scheduled', 'Only a scheduled drop can be changed.');
    }
    this.attempts.forget(id);
    await this.schedule.plan(id, start, endsAt);
    return this.get(id, owner);
  }

  async cancel(owner: AuthContext, id: string): Promise<DropView> {
    await this.ownDrop(owner, id);
    if (!(await this.finish(id, 'canceled')))
      throw AppError.conflict('drop_finished', 'This drop has already ended or been canceled.');
    return this.get(id, owner);
  }

  /** drop.live and drop.ended are recorded in the transaction of the switch (src/webhooks). */
  useEvents(events: WebhookEventRecorder): void {
    this.events = events;
  }

  /** The open job: scheduled -> live, and the pool goes up in Redis. Safe to run twice. */
  async open(id: string): Promise<boolean> {
    const drop = await this.repo.find(id);
    if (!drop || (drop.status !== 'scheduled' && drop.status !== 'live')) return false;
    const now = this.clock.now().toJSDate();
    if (drop.status === 'scheduled') {
      if (drop.startsAt.getTime() > now.getTime() + 1000) {
        await this.schedule.plan(id, drop.startsAt, drop.endsAt);
        return false;
      }
      const opened = await this.sequelize.transaction(async (transaction) => {
        const fields = { status: 'live', opened_at: now };
        if ((await this.repo.update(id, ['scheduled'], fields, now, transaction)) !== 1)
          return false;
        await this.events?.record(dropEvent('drop.live', { ...drop, status: 'live' }), transaction);
        return true;
      });
      if (!opened) return false;
    }
    await this.rebuildPool(drop);
    this.logger.info({ dropId: id }, 'drop live');
    return true;
  }

  /** The close job: live -> ended; unsold units go back to the listing. */
  async close(id: string): Promise<boolean> {
    const drop = await this.repo.find(id);
    if (!drop || drop.status !== 'live') return false;
    if (drop.endsAt.getTime() > this.clock.now().toMillis() + 1000) {
      await this.schedule.planClose(id, drop.endsAt);
      return false;
    }
    return this.finish(id, 'ended');
  }

  async sweep(): Promise<{ opened: number; closed: number; expired: number; repaired: number }> {
    const now = this.clock.now().toJSDate();
    let opened = 0;
    let closed = 0;
    let expired = 0;
    for (const { id } of await this.repo.dueToOpen(now)) if (await this.open(id)) opened += 1;
    for (const { id } of await this.repo.dueToClose(now)) if (await this.close(id)) closed += 1;
    for (const { id } of await this.repo.overdueReservations(now, 1000))
      if (await this.expireReservation(id)) expired += 1;
    const repaired = await this.pools.repairLive();
    return { opened, closed, expired, repaired };
  }

  /**
   * Run when a worker starts: switches whose time passed while no worker ran happen now, live
   * pools are repaired from MySQL (sweep), live drops whose Redis state was lost get it
   * rebuilt from MySQL, and future switches are
   * (re)scheduled, deduplicated by job id.
   */
  async reconcile(): Promise<{
    opened: number;
    closed: number;
    expired: number;
    repaired: number;
    rebuilt: number;
  }> {
    const swept = await this.sweep();
    let rebuilt = 0;
    for (const drop of await this.repo.withStatus('live')) {
      if (!(await this.state.exists(drop.id))) {
        const row = await this.repo.find(drop.id);
        if (row) await this.rebuildPool(row);
        rebuilt += 1;
      }
      await this.schedule.planClose(drop.id, drop.endsAt);
    }
    for (const drop of await this.repo.withStatus('scheduled'))
      await this.schedule.plan(drop.id, drop.startsAt, drop.endsAt);
    return { ...swept, rebuilt };
  }

  /** live|scheduled -> ended|canceled; the units no reservation holds go back to the listing. */
  private async finish(id: string, to: 'ended' | 'canceled'): Promise<boolean> {
    const counters = await this.state.counters(id).catch(() => null);
    const now = this.clock.now().toJSDate();
    const finished = await this.sequelize.transaction(async (transaction) => {
      const drop = await this.repo.find(id, transaction, true);
      if (!drop || (drop.status !== 'live' && drop.status !== 'scheduled')) return false;
      if (to === 'canceled') {
        for (const unused of await this.repo.activeReservationIds(id, transaction)) {
          await this.repo.setReservationStatus(
            unused.id,
            ['active'],
            'released',
            null,
            now,
            transaction,
          );
        }
      }
      const held = (await this.repo.heldUnits(id, transaction)).reduce(
        (sum, h) => sum + h.units,
        0,
      );
      const back = drop.stock - held;
      if (back > 0) await this.repo.returnUnitsToListing(drop.listingId, back, transaction);
      await this.repo.update(
        id,
        ['live', 'scheduled'],
        {
          status: to,
          closed_at: now,
          returned_units: back,
          attempts: counters?.attempts ?? drop.attempts,
          participants: counters?.participants ?? drop.participants,
          solves: counters?.solves ?? drop.solves,
        },
        now,
        transaction,
      );
      await showNextDrop(this.sequelize, drop.listingId, id, transaction);
      if (to === 'ended')
        await this.events?.record(
          dropEvent('drop.ended', { ...drop, status: 'ended', returnedUnits: back }),
          transaction,
        );
      return true;
    });
    if (!finished) return false;
    await this.state.setStatus(id, to);
    await this.state.expireLater(id, 7 * 24 * 3600);
    await this.schedule.unplan(id);
    this.attempts.forget(id);
    this.logger.info({ dropId: id, status: to }, 'drop finished');
    return true;
  }

  private async rebuildPool(drop: DropRow): Promise<void> {
    const held = await this.repo.heldUnits(drop.id);
    const stockLeft = drop.stock - held.reduce((sum, h) => sum + h.units, 0);
    await this.state.open(drop.id, stockLeft, held);
  }

  private async ownListing(ownerId: string, listingId: string, transaction: Tx) {
    const listing = await selectOne<{ id: string; sellerId: string; status: string }>(
      this.sequelize,
      'SELECT id, seller_id AS sellerId, status FROM listings WHERE id = ?',
      [listingId],
      transaction,
    );
    if (!listing || listing.status === 'archived')
      throw new AppError(404, 'not_found', 'listing_not_found', 'No such listing.', 'listingId');
    if (listing.sellerId !== ownerId)
      throw AppError.forbidden("A drop sells the brand's own listing.");
    return listing;
  }

  private async ownDrop(owner: AuthContext, id: string): Promise<DropRow> {
    const drop = await this.repo.find(id);
    if (!drop) throw AppError.notFound('drop');
    if (drop.ownerId !== owner.userId)
      throw AppError.forbidden('Only the brand that runs this drop can do this.');
    return drop;
  }

  private toView(drop: DropRow, viewer?: AuthContext): DropView {
    return toDropView(drop, this.clock.now(), viewer);
  }
}
