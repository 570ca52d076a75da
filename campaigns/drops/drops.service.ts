import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Db } from '../../src/db/db';
import type { Clock } from '../../src/clock';
import type { Tx } from '../../src/db/sql';
import { AppError } from '../../src/http/app-error';
import type { AuthContext } from '../../src/http/auth-context';
import { decodeCursor, pageOf } from '../../src/http/cursor';
import { newId } from '../../src/ids';
import type { Logger } from '../../src/logger';
import { setListingStockAsideForDrop } from '../../src/listings';
import { puzzleColumns } from './puzzle-columns';
import { durationMs, readStartsAt } from './drop-time';
import type { DropState } from './drop-state';
import { DropLifecycle } from './drop-lifecycle';
import { DropReservationsRepository } from './drop-reservations.repository';
import { DropsRepository, type DropRow } from './drops.repository';
import type {
  CreateDropInput,
  DropStatus,
  DropView,
  MemberDropState,
  PatchDropInput,
} from './drops.schema';
import { memberDropState } from './drop-member-state';
import { DropPoolRepair, REPAIR_GRACE_MS } from './drop-reconcile';
import { DropSchedule } from './drop-schedule';
import { DropAttempts } from './drop-attempts';
import { DropReservations } from './drop-reservations';
import { dropActivity, dropStats, type ActivityBucket } from './drop-stats';
import { toDropView } from './drop-view';
import type { WebhookEventRecorder } from '../../src/webhooks';

export class DropsService {
  private readonly repo: DropsRepository;
  private readonly reservationRows: DropReservationsRepository;
  private readonly schedule: DropSchedule;
  private readonly attempts: DropAttempts;
  private readonly reservations: DropReservations;
  private readonly lifecycle: DropLifecycle;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly state: DropState,
    queue: Queue,
    private readonly publicUrl: string,
    logger: Logger,
    /** drop.live and drop.ended (src/webhooks). */
    events: WebhookEventRecorder | null,
    repairGraceMs = REPAIR_GRACE_MS,
  ) {
    this.repo = new DropsRepository(db);
    this.reservationRows = new DropReservationsRepository(db);
    this.schedule = new DropSchedule(queue, clock);
    this.attempts = new DropAttempts(
      db,
      clock,
      state,
      this.repo,
      this.reservationRows,
      this.schedule,
      publicUrl,
      logger,
    );
    this.reservations = new DropReservations(
      db,
      clock,
      state,
      this.repo,
      this.reservationRows,
      this.schedule,
      logger,
    );
    this.lifecycle = new DropLifecycle(
      db,
      clock,
      state,
      this.repo,
      this.reservationRows,
      this.schedule,
      // Live pools set back to MySQL's record after a crash split them (drop-reconcile.ts).
      new DropPoolRepair(this.repo, this.reservationRows, state, clock, logger, repairGraceMs),
      this.attempts,
      this.reservations,
      logger,
      events,
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
    const sources = { repo: this.repo, reservations: this.reservationRows, state: this.state };
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
    await this.db.transaction(async (transaction) => {
      const listing = await this.ownListing(owner.userId, input.listingId, transaction);
      // The listing shows this drop unless it already shows an earlier one.
      const taken = await setListingStockAsideForDrop(
        this.db,
        listing.id,
        id,
        input.stock,
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
    return (await this.toViews([drop], viewer))[0]!;
  }

  /** Drops, newest first; `brandId` narrows them to one brand's. */
  async list(query: { status?: DropStatus; brandId?: string; limit: number; cursor?: string }) {
    const rows = await this.repo.list(query, decodeCursor(query.cursor), query.limit + 1);
    const page = pageOf(rows, query.limit, (row) => row);
    return { ...page, data: await this.toViews(page.data) };
  }

  /** The signed-in member's own standing in a drop: see memberDropState. */
  async memberState(id: string, member: AuthContext): Promise<MemberDropState> {
    const drop = await this.repo.find(id);
    if (!drop) throw AppError.notFound('drop');
    return memberDropState(
      drop,
      member.userId,
      { state: this.state, reservations: this.reservationRows, clock: this.clock },
      this.publicUrl,
    );
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
    const page = pageOf(rows, query.limit, (row) => row);
    return { ...page, data: await this.toViews(page.data, owner) };
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
    if (!(await this.lifecycle.finish(id, 'canceled')))
      throw AppError.conflict('drop_finished', 'This drop has already ended or been canceled.');
    return this.get(id, owner);
  }

  /** drop.live and drop.ended are recorded in the transaction of the switch (src/webhooks). */
  /** The open job: see DropLifecycle. */
  open(id: string): Promise<boolean> {
    return this.lifecycle.open(id);
  }

  /** The close job: see DropLifecycle. */
  close(id: string): Promise<boolean> {
    return this.lifecycle.close(id);
  }

  sweep() {
    return this.lifecycle.sweep();
  }

  /** Run when a worker starts: see DropLifecycle. */
  reconcile() {
    return this.lifecycle.reconcile();
  }

  private async ownListing(ownerId: string, listingId: string, transaction: Tx) {
    const listing = await this.repo.listingToSell(listingId, transaction);
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

  /**
   * Live drops' pools are read from Redis (one HGET each, sent together) for `soldOut`. A drop
   * is MySQL's: with Redis unreachable its pool is unknown, and the drop is shown, not sold out.
   */
  private async toViews(drops: DropRow[], viewer?: AuthContext): Promise<DropView[]> {
    const stockLeft = await Promise.all(
      drops.map((drop) =>
        drop.status === 'live' ? this.state.stockLeft(drop.id).catch(() => null) : null,
      ),
    );
    const now = this.clock.now();
    return drops.map((drop, i) => toDropView(drop, now, viewer, stockLeft[i]));
  }
}
