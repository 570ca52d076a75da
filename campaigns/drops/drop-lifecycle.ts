import type { Db } from '../../src/db/db';
import type { Tx } from '../../src/db/sql';
import type { Clock } from '../../src/clock';
import { returnListingStock, showNextDrop } from '../../src/listings';
import type { Logger } from '../../src/logger';
import type { WebhookEventRecorder } from '../../src/webhooks';
import type { DropAttempts } from './drop-attempts';
import { dropEvent } from './drop-event';
import type { DropPoolRepair } from './drop-reconcile';
import type { DropReservationsRepository } from './drop-reservations.repository';
import type { DropReservations } from './drop-reservations';
import type { DropSchedule } from './drop-schedule';
import type { DropState } from './drop-state';
import type { DropRow, DropsRepository } from './drops.repository';

/** A drop's switches: scheduled -> live -> ended (or canceled), run by jobs and the sweep. */
export class DropLifecycle {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly state: DropState,
    private readonly repo: DropsRepository,
    private readonly reservationRows: DropReservationsRepository,
    private readonly schedule: DropSchedule,
    private readonly pools: DropPoolRepair,
    private readonly attempts: DropAttempts,
    private readonly reservations: DropReservations,
    private readonly logger: Logger,
    /** drop.live and drop.ended are recorded in the transaction of the switch (src/webhooks). */
    private readonly events: WebhookEventRecorder | null,
  ) {}

  /**
   * The open job: scheduled -> live, and the pool goes up in Redis. Safe to run twice.
   *
   * The pool goes up before the switch commits, while the switch holds the drop row: a drop
   * read as live takes attempts at once, and a winner in between waits on that row (the
   * reservation's shared lock) and is recorded once the switch commits. A switch that does not
   * commit leaves a live pool on a scheduled drop: its winners are refused by that same check
   * and their units given back, until the job's retry or the worker's reconcile opens it.
   */
  async open(id: string): Promise<boolean> {
    const drop = await this.repo.find(id);
    if (!drop || (drop.status !== 'scheduled' && drop.status !== 'live')) return false;
    const now = this.clock.now().toJSDate();
    if (drop.status === 'live') {
      await this.rebuildPool(drop);
    } else {
      if (drop.startsAt.getTime() > now.getTime() + 1000) {
        await this.schedule.plan(id, drop.startsAt, drop.endsAt);
        return false;
      }
      const opened = await this.db.transaction(async (transaction) => {
        const fields = { status: 'live', opened_at: now };
        if ((await this.repo.update(id, ['scheduled'], fields, now, transaction)) !== 1)
          return false;
        await this.events?.record(dropEvent('drop.live', { ...drop, status: 'live' }), transaction);
        await this.rebuildPool(drop, transaction);
        return true;
      });
      if (!opened) return false;
    }
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
    for (const { id } of await this.reservationRows.overdue(now, 1000))
      if (await this.reservations.expireReservation(id)) expired += 1;
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
  async finish(id: string, to: 'ended' | 'canceled'): Promise<boolean> {
    const counters = await this.state.counters(id).catch(() => null);
    const now = this.clock.now().toJSDate();
    const finished = await this.db.transaction(async (transaction) => {
      const drop = await this.repo.find(id, transaction, true);
      if (!drop || (drop.status !== 'live' && drop.status !== 'scheduled')) return false;
      if (to === 'canceled') {
        for (const unused of await this.reservationRows.activeIds(id, transaction)) {
          await this.reservationRows.setStatus(
            unused.id,
            ['active'],
            'released',
            null,
            now,
            transaction,
          );
        }
      }
      const held = (await this.reservationRows.heldUnits(id, transaction)).reduce(
        (sum, h) => sum + h.units,
        0,
      );
      const back = drop.stock - held;
      if (back > 0) await returnListingStock(this.db, drop.listingId, back, transaction);
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
      await showNextDrop(this.db, drop.listingId, id, transaction);
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

  /** Inside a transaction, on its connection: a second one from a pool of one would never come. */
  private async rebuildPool(drop: DropRow, transaction?: Tx): Promise<void> {
    const held = await this.reservationRows.heldUnits(drop.id, transaction);
    const stockLeft = drop.stock - held.reduce((sum, h) => sum + h.units, 0);
    await this.state.open(drop.id, stockLeft, held);
  }
}
