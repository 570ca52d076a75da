import type { Clock } from '../../src/clock';
import type { Logger } from '../../src/logger';
import type { DropReservationsRepository } from './drop-reservations.repository';
import type { DropState } from './drop-state';
import type { DropsRepository } from './drops.repository';

/**
 * How old a claim, or a reservation's last change, must be before a repair trusts MySQL over
 * Redis for its member. A won unit is claimed in Redis (attempt.lua), then written to MySQL by
 * the group commit before the answer returns; a released unit is written to MySQL, then given
 * back in Redis after the commit. Both gaps last a request at most (a stalled MySQL makes the
 * request fail long before this); past it, a claim MySQL lacks was never going to be written
 * (its process died, or its batch's outcome was lost), and a release Redis lacks never reached it.
 */
export const REPAIR_GRACE_MS = 120_000;

/**
 * Brings a live drop's Redis pool back to MySQL's record (issue 19.4): a process killed between
 * the claim in Redis and its row in MySQL left members holding units no reservation records,
 * stock below what is left, and those members limited early.
 *
 * Why this is safe while attempts are in flight, without pausing them:
 * - A member is left alone when their last claim in Redis is younger than the grace (its row
 *   may be in a group commit right now), or when one of their reservations was written or
 *   changed in MySQL within it (a release may not have reached Redis yet). The claim check is
 *   made inside the script, atomically with the change, so a claim made after MySQL was read
 *   keeps its member out.
 * - For the others, nothing is on its way: what MySQL holds for them is the truth. A release
 *   committed after MySQL was read but before the script runs makes the repair set one unit
 *   too many for that member; that errs towards selling less, never twice, and the next repair
 *   corrects it. A release landing after the script takes its unit from the repaired count,
 *   which is right.
 * - The stock is then recomputed as the drop's stock less every claim in Redis (in-flight
 *   ones included: they are real units), so stock and claims cannot drift apart again.
 *
 * Run for every live drop when a worker starts and by the drop sweep (every 30 s).
 */
export class DropPoolRepair {
  constructor(
    private readonly repo: DropsRepository,
    private readonly reservations: DropReservationsRepository,
    private readonly state: DropState,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly graceMs = REPAIR_GRACE_MS,
  ) {}

  /** Every live drop whose pool is in Redis; answers how many members were repaired. */
  async repairLive(): Promise<number> {
    const drops = await this.repo.live();
    let members = 0;
    for (const drop of drops) members += await this.repair(drop);
    return members;
  }

  async repair(drop: { id: string; stock: number }): Promise<number> {
    const since = new Date(this.clock.now().toMillis() - this.graceMs);
    const rows = await this.reservations.byMember(drop.id);
    const result = await this.state.repair(
      drop.id,
      drop.stock,
      this.graceMs,
      rows.map((row) => ({
        userId: row.userId,
        units: Number(row.units),
        quiet: new Date(row.touched).getTime() < since.getTime(),
      })),
    );
    if (result.live && (result.members > 0 || result.stockBefore !== result.stockAfter))
      this.logger.warn(
        { dropId: drop.id, ...result },
        "a live drop's pool differed from MySQL's reservations; repaired",
      );
    return result.members;
  }
}
