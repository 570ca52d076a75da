import type { Clock } from '../../src/clock';
import type { DropState } from './drop-state';
import type { DropReservationsRepository } from './drop-reservations.repository';
import type { DropRow } from './drops.repository';
import type { MemberDropState } from './drops.schema';
import { purchaseUrl } from './reservation-token';

/**
 * What one member has of a drop: attempts left (Redis, where attempt.lua counts them), units
 * held and reservations waiting to be bought (MySQL, the record of every unit won). Read
 * beside the attempt path, never through it: a page that asks slows no answer.
 */
export async function memberDropState(
  drop: DropRow,
  memberId: string,
  sources: { state: DropState; reservations: DropReservationsRepository; clock: Clock },
  publicUrl: string,
): Promise<MemberDropState> {
  const [wrong, held] = await Promise.all([
    sources.state.wrongAnswers(drop.id, memberId),
    sources.reservations.heldBy(drop.id, memberId),
  ]);
  const now = sources.clock.now().toMillis();
  // An active reservation past its time is lapsing: its expiry job gives the unit back.
  const waiting = held.filter((r) => r.status === 'active' && r.expiresAt.getTime() > now);
  const unitsHeld = held.filter((r) => r.status === 'consumed').length + waiting.length;
  const tokens = await sources.state.purchaseTokens(
    drop.id,
    waiting.map((r) => r.id),
  );
  return {
    dropId: drop.id,
    attemptsLeft: Math.max(0, drop.maxAttemptsPerUser - wrong),
    unitsHeld,
    limitReached: unitsHeld >= drop.perUserLimit,
    reservations: waiting.map((r, i) => ({
      expiresAt: r.expiresAt.toISOString(),
      purchaseUrl: tokens[i] ? purchaseUrl(publicUrl, drop.id, tokens[i]) : null,
    })),
  };
}
