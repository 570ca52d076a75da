import { createHash, randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Sequelize, Transaction } from 'sequelize';
import type { Clock } from '../../src/clock';
import { GroupCommit } from '../../src/db/group-commit';
import { batchedTransaction, execute, selectOne, type Tx } from '../../src/db/sql';
import { AppError } from '../../src/http/app-error';
import type { AuthContext } from '../../src/http/auth-context';
import { decodeCursor, pageOf } from '../../src/http/cursor';
import { newId } from '../../src/ids';
import type { Logger } from '../../src/logger';
import { showNextDrop } from '../../src/listings/listing-drop';
import type { PurchaseGateInput } from '../../src/orders/orders.service';
import { hashAnswer, matchesAnswer } from './answer-normaliser';
import { durationMs, isHintUnlocked, readStartsAt } from './drop-time';
import type { DropState } from './drop-state';
import { DropsRepository, type DropRow, type NewReservation } from './drops.repository';
import type { CreateDropInput, DropStatus, DropView, PatchDropInput } from './drops.schema';
import { DropPoolRepair, REPAIR_GRACE_MS } from './drop-reconcile';
import { DropSchedule } from './drop-schedule';

type Puzzle = CreateDropInput['puzzle'];

interface DropConfig {
  ownerId: string;
  salt: string;
  answerHashes: string[];
  maxAttemptsPerUser: number;
  perUserLimit: number;
  reservationSeconds: number;
}

/** How long an API process trusts its copy of a drop's puzzle; the live/stock checks are always in Redis. */
const CONFIG_TTL_MS = 2000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A batch of reservations that may or may not have been committed. */
class UnknownOutcome extends Error {
  constructor(cause: unknown) {
    super("the reservations' transaction ended without a known outcome", { cause });
  }
}

export class DropsService {
  private readonly repo: DropsRepository;
  private readonly schedule: DropSchedule;
  /** Live pools set back to MySQL's record after a crash split them (drop-reconcile.ts). */
  private readonly pools: DropPoolRepair;
  /** Per drop, its config loading or loaded: concurrent attempts share one read of MySQL. */
  private readonly configs = new Map<string, { until: number; config: Promise<DropConfig> }>();
  /** A drop's winners, written to MySQL in shared transactions before their answers return. */
  private readonly reservations = new GroupCommit<NewReservation>((dropId, rows) =>
    this.insertReservations(dropId, rows),
  );

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
          ...this.puzzleColumns(input.puzzle, salt),
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
      const columns = this.puzzleColumns(input.puzzle, drop.answerSalt);
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
    this.configs.delete(id);
    await this.schedule.plan(id, start, endsAt);
    return this.get(id, owner);
  }

  async cancel(owner: AuthContext, id: string): Promise<DropView> {
    await this.ownDrop(owner, id);
    if (!(await this.finish(id, 'canceled')))
      throw AppError.conflict('drop_finished', 'This drop has already ended or been canceled.');
    return this.get(id, owner);
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
      if (
        (await this.repo.update(id, ['scheduled'], { status: 'live', opened_at: now }, now)) !== 1
      )
        return false;
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

  /**
   * A member's answer. Wrong answers and sold-out drops touch only Redis; a winner's unit is
   * recorded in MySQL (drop_reservations) before the answer returns, so no won unit is lost
   * if Redis is.
   */
  async attempt(dropId: string, memberId: string, answer: string) {
    const config = await this.config(dropId);
    // The brand could never buy what it won (buying one's own listing is refused): its unit
    // would sit reserved, out of every member's reach, until the reservation expired.
    if (memberId === config.ownerId)
      throw AppError.forbidden('A brand cannot play its own drop.', 'own_drop');
    const isCorrect = matchesAnswer(answer, config.salt, config.answerHashes);
    const { outcome, value } = await this.state.attempt(
      dropId,
      memberId,
      isCorrect,
      config.maxAttemptsPerUser,
      config.perUserLimit,
    );
    switch (outcome) {
      case 'rate_limited':
        throw AppError.rateLimited(value / 1000);
      case 'drop_not_live':
        throw AppError.conflict('drop_not_live', 'This drop is not open right now.');
      case 'attempts_exhausted':
        throw new AppError(
          429,
          'rate_limited',
          'attempts_exhausted',
          'You have used all your attempts for this drop.',
        );
      case 'wrong':
        return { correct: false as const, attemptsLeft: value };
      case 'limit_reached':
        throw AppError.conflict(
          'limit_reached',
          'You already hold as many units of this drop as a member may.',
        );
      case 'sold_out':
        throw AppError.conflict('sold_out', 'Every unit of this drop is taken.');
      case 'reserved':
        return {
          correct: true as const,
          reservation: await this.recordReservation(
            dropId,
            memberId,
            config,
            this.clock.now().toJSDate(),
          ),
        };
    }
  }

  /** A reservation's time ran out unused: its unit goes back (to the pool, or the listing once the drop is over). */
  async expireReservation(reservationId: string): Promise<boolean> {
    const reservation = await this.repo.findReservation(reservationId);
    if (!reservation || reservation.status !== 'active') return false;
    if (reservation.expiresAt.getTime() > this.clock.now().toMillis()) {
      await this.schedule.reservationExpiry(reservationId, reservation.expiresAt);
      return false;
    }
    return this.releaseUnit(reservationId, ['active'], 'expired');
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

  async stats(owner: AuthContext, id: string) {
    const drop = await this.ownDrop(owner, id);
    const [live, reservations, sales, listing] = await Promise.all([
      drop.status === 'live' ? this.state.counters(id) : null,
      this.repo.countReservations(id),
      this.repo.purchases(id),
      this.listingCurrency(drop.listingId),
    ]);
    const participants = live?.participants ?? drop.participants;
    const held = (await this.repo.heldUnits(id)).reduce((sum, h) => sum + h.units, 0);
    const stockLeft =
      drop.status === 'live' ? (live?.stock ?? 0) : drop.status === 'scheduled' ? drop.stock : 0;
    return {
      attempts: live?.attempts ?? drop.attempts,
      participants,
      solves: live?.solves ?? drop.solves,
      reservations,
      purchases: sales.purchases,
      unitsSold: sales.units,
      revenueAmount: sales.revenueAmount,
      grossAmount: sales.grossAmount,
      discountAmount: sales.discountAmount,
      refundedAmount: sales.refundedAmount,
      currency: listing,
      stockLeft: Math.max(0, Math.min(stockLeft, drop.stock - held)),
      conversionRate:
        participants > 0 ? Math.round((sales.purchases / participants) * 10_000) / 10_000 : 0,
    };
  }

  /**
   * Hooks that make checkout honour drops: a reservation buys one of the drop's units. The
   * listing's own quantity never counts the drop's units (set aside at creation), so an order
   * without a reservation buys from the rest as usual and cannot reach the drop's.
   */
  purchaseHooks() {
    return {
      beforeCreate: (input: PurchaseGateInput, transaction: Tx) =>
        this.consumeReservation(input, transaction),
      heldListingIds: async (order: { dropId: string | null }, transaction: Tx) => {
        if (!order.dropId) return [];
        const drop = await this.repo.find(order.dropId, transaction);
        return drop ? [drop.listingId] : [];
      },
      afterRelease: async (order: { reservationId: string | null }, transaction: Transaction) => {
        if (order.reservationId)
          await this.releaseUnit(order.reservationId, ['consumed'], 'released', transaction);
      },
    };
  }

  private async consumeReservation(input: PurchaseGateInput, transaction: Tx) {
    if (!input.reservationToken) return { dropId: null, reservationId: null, heldListingIds: [] };
    const reservation = await this.repo.findReservationByToken(
      hashToken(input.reservationToken),
      transaction,
    );
    const invalid = () =>
      AppError.conflict(
        'reservation_invalid',
        'This reservation is not valid for this buyer and these items.',
        'reservationToken',
      );
    if (!reservation || reservation.userId !== input.buyerId) throw invalid();
    if (reservation.status !== 'active' || reservation.expiresAt.getTime() <= input.now.getTime()) {
      throw AppError.conflict(
        'reservation_expired',
        'This reservation has expired or was already used.',
        'reservationToken',
      );
    }
    const drop = await this.repo.find(reservation.dropId, transaction);
    const line = input.lines.find((l) => l.listingId === drop?.listingId);
    if (!drop || !line) throw invalid();
    if (line.quantity !== 1)
      throw AppError.invalid(
        'reservation_quantity',
        'A reservation holds one unit; order quantity 1 of the drop item.',
        'items',
      );
    if (
      (await this.repo.setReservationStatus(
        reservation.id,
        ['active'],
        'consumed',
        input.orderId,
        input.now,
        transaction,
      )) !== 1
    )
      throw invalid();
    return { dropId: drop.id, reservationId: reservation.id, heldListingIds: [drop.listingId] };
  }

  private async recordReservation(dropId: string, memberId: string, config: DropConfig, now: Date) {
    const token = `rsv_${randomBytes(32).toString('base64url')}`;
    const id = newId('rsv', now.getTime());
    const expiresAt = new Date(now.getTime() + config.reservationSeconds * 1000);
    try {
      await this.reservations.add(dropId, {
        id,
        dropId,
        userId: memberId,
        tokenHash: hashToken(token),
        expiresAt,
        createdAt: now,
      });
    } catch (error) {
      if (error instanceof UnknownOutcome) throw AppError.unavailable();
      await this.state.release(dropId, memberId).catch(() => false);
      throw error;
    }
    await this.schedule.reservationExpiry(id, expiresAt);
    return {
      token,
      expiresAt: expiresAt.toISOString(),
      purchaseUrl: `${this.publicUrl}/drops/${dropId}/checkout?reservationToken=${token}`,
    };
  }

  /**
   * Winners of one drop recorded together (see GroupCommit): one transaction per batch, with a
   * shared lock on the drop row so a closing drop cannot count its units while they are being
   * written (on a Galera cluster, the reservations' foreign key to the drop: migration 013).
   * Two round trips: the lock with the BEGIN, the rows with the COMMIT.
   *
   * The COMMIT travels with the rows, so a connection lost on that round trip leaves the
   * outcome unknown: the batch is one transaction, so its first row tells whether it landed.
   * Only a batch known not to be written gives its units back (in recordReservation); one whose
   * fate cannot be read keeps them taken until the drop ends and counts them from MySQL, since
   * giving back a unit whose reservation was written would let it be won twice.
   */
  private async insertReservations(dropId: string, rows: NewReservation[]): Promise<void> {
    try {
      await batchedTransaction(this.sequelize, async (transaction) => {
        const drop = await selectOne<{ status: string }>(
          this.sequelize,
          'SELECT status FROM drops WHERE id = ? LOCK IN SHARE MODE',
          [dropId],
          transaction,
        );
        if (drop?.status !== 'live')
          throw AppError.conflict('drop_not_live', 'This drop is not open right now.');
        DropsRepository.insertReservations(rows, transaction);
      });
    } catch (error) {
      if (error instanceof AppError) throw error;
      let landed: boolean;
      try {
        landed = (await this.repo.findReservation(rows[0]!.id)) !== undefined;
      } catch {
        this.logger.error(
          { err: error, dropId, reservations: rows.length },
          'reservations may or may not be committed; their units stay taken until the drop ends',
        );
        throw new UnknownOutcome(error);
      }
      if (!landed) throw error;
      this.logger.warn(
        { err: error, dropId, reservations: rows.length },
        'reservations committed although their transaction reported an error',
      );
    }
  }

  /** Waits until no winner is waiting to be recorded: before shutdown closes Redis and MySQL. */
  settle(): Promise<void> {
    return this.reservations.drain();
  }

  /**
   * Moves a reservation to `to` and sends its unit home: to the live pool in Redis, or to the
   * listing once the drop is over. The drop row is locked so this and a closing drop agree.
   */
  private async releaseUnit(
    reservationId: string,
    from: Array<'active' | 'consumed'>,
    to: 'expired' | 'released',
    outer?: Transaction,
  ): Promise<boolean> {
    const run = async (transaction: Transaction) => {
      const reservation = await this.repo.findReservation(reservationId, transaction);
      if (!reservation) return false;
      const drop = (await this.repo.find(reservation.dropId, transaction, true))!;
      const now = this.clock.now().toJSDate();
      if (
        (await this.repo.setReservationStatus(reservationId, from, to, null, now, transaction)) !==
        1
      )
        return false;
      if (drop.status === 'live') {
        transaction.afterCommit(() => {
          this.state
            .release(drop.id, reservation.userId)
            .catch((error: unknown) =>
              this.logger.error(
                { err: error, dropId: drop.id },
                'could not return a unit to the live pool; reconcile will',
              ),
            );
        });
      } else {
        await this.repo.returnUnitsToListing(drop.listingId, 1, transaction);
        await execute(
          this.sequelize,
          'UPDATE drops SET returned_units = returned_units + 1 WHERE id = ?',
          [drop.id],
          transaction,
        );
      }
      return true;
    };
    return outer ? run(outer) : this.sequelize.transaction(run);
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
      return true;
    });
    if (!finished) return false;
    await this.state.setStatus(id, to);
    await this.state.expireLater(id, 7 * 24 * 3600);
    await this.schedule.unplan(id);
    this.configs.delete(id);
    this.logger.info({ dropId: id, status: to }, 'drop finished');
    return true;
  }

  private async rebuildPool(drop: DropRow): Promise<void> {
    const held = await this.repo.heldUnits(drop.id);
    const stockLeft = drop.stock - held.reduce((sum, h) => sum + h.units, 0);
    await this.state.open(drop.id, stockLeft, held);
  }

  private config(dropId: string): Promise<DropConfig> {
    const cached = this.configs.get(dropId);
    if (cached && cached.until > Date.now()) return cached.config;
    // One load per drop per TTL, however many attempts arrive meanwhile: at a burst's opening
    // every connection asked MySQL for the same row at once.
    const config = this.loadConfig(dropId);
    this.configs.set(dropId, { until: Date.now() + CONFIG_TTL_MS, config });
    config.catch(() => {
      if (this.configs.get(dropId)?.config === config) this.configs.delete(dropId);
    });
    return config;
  }

  private async loadConfig(dropId: string): Promise<DropConfig> {
    const drop = await this.repo.find(dropId);
    if (!drop) throw AppError.notFound('drop');
    return {
      ownerId: drop.ownerId,
      salt: drop.answerSalt,
      answerHashes: JSON.parse(drop.answerHashes) as string[],
      maxAttemptsPerUser: drop.maxAttemptsPerUser,
      perUserLimit: drop.perUserLimit,
      reservationSeconds: drop.reservationSeconds,
    };
  }

  private puzzleColumns(puzzle: Puzzle, salt: string) {
    return {
      question: JSON.stringify(puzzle.question),
      hints: JSON.stringify(puzzle.hints ?? []),
      answerHashes: JSON.stringify([
        ...new Set(puzzle.answers.map((answer) => hashAnswer(answer, salt))),
      ]),
    };
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

  private async listingCurrency(listingId: string): Promise<string> {
    const listing = await selectOne<{ currency: string }>(
      this.sequelize,
      'SELECT currency FROM listings WHERE id = ?',
      [listingId],
    );
    return listing?.currency ?? '';
  }

  private async ownDrop(owner: AuthContext, id: string): Promise<DropRow> {
    const drop = await this.repo.find(id);
    if (!drop) throw AppError.notFound('drop');
    if (drop.ownerId !== owner.userId)
      throw AppError.forbidden('Only the brand that runs this drop can do this.');
    return drop;
  }

  private toView(drop: DropRow, viewer?: AuthContext): DropView {
    const now = this.clock.now();
    const isOwner = viewer?.userId === drop.ownerId;
    const hints = (
      JSON.parse(drop.hints) as Array<{ afterHours: number; text: Record<string, string> }>
    ).filter(
      (hint) =>
        isOwner ||
        (drop.status !== 'scheduled' && isHintUnlocked(drop.startsAt, hint.afterHours, now)),
    );
    return {
      id: drop.id,
      brandId: drop.brandId,
      brandName: drop.brandName,
      listingId: drop.listingId,
      title: drop.title,
      stock: drop.stock,
      status: drop.status,
      startsAt: drop.startsAt.toISOString(),
      endsAt: drop.endsAt.toISOString(),
      timezone: drop.timezone,
      durationHours: (drop.endsAt.getTime() - drop.startsAt.getTime()) / 3_600_000,
      puzzle: { question: JSON.parse(drop.question) as Record<string, string>, hints },
      maxAttemptsPerUser: drop.maxAttemptsPerUser,
      perUserLimit: drop.perUserLimit,
      reservationMinutes: drop.reservationSeconds / 60,
      createdAt: drop.createdAt.toISOString(),
    };
  }
}
