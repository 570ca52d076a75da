import type { Db, Transaction } from '../../src/db/db';
import type { Clock } from '../../src/clock';
import type { Tx } from '../../src/db/sql';
import { AppError } from '../../src/http/app-error';
import type { Logger } from '../../src/logger';
import { returnListingStock } from '../../src/listings';
import type { PurchaseGateInput } from '../../src/orders';
import type { DropSchedule } from './drop-schedule';
import type { DropState } from './drop-state';
import type { DropReservationsRepository } from './drop-reservations.repository';
import type { DropsRepository } from './drops.repository';
import { hashToken } from './reservation-token';

/** A won unit's life after the answer: bought through checkout, expired, or released. */
export class DropReservations {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly state: DropState,
    private readonly repo: DropsRepository,
    private readonly rows: DropReservationsRepository,
    private readonly schedule: DropSchedule,
    private readonly logger: Logger,
  ) {}

  /** A reservation's time ran out unused: its unit goes back (to the pool, or the listing once the drop is over). */
  async expireReservation(reservationId: string): Promise<boolean> {
    const reservation = await this.rows.find(reservationId);
    if (!reservation || reservation.status !== 'active') return false;
    if (reservation.expiresAt.getTime() > this.clock.now().toMillis()) {
      await this.schedule.reservationExpiry(reservationId, reservation.expiresAt);
      return false;
    }
    return this.releaseUnit(reservationId, ['active'], 'expired');
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
    const reservation = await this.rows.findByToken(hashToken(input.reservationToken), transaction);
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
      (await this.rows.setStatus(
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
      const reservation = await this.rows.find(reservationId, transaction);
      if (!reservation) return false;
      const drop = (await this.repo.find(reservation.dropId, transaction, true))!;
      const now = this.clock.now().toJSDate();
      if ((await this.rows.setStatus(reservationId, from, to, null, now, transaction)) !== 1)
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
        await returnListingStock(this.db, drop.listingId, 1, transaction);
        await this.repo.addReturnedUnit(drop.id, transaction);
      }
      return true;
    };
    return outer ? run(outer) : this.db.transaction(run);
  }
}
