import type { DropReservationsRepository } from './drop-reservations.repository';
import type { DropState } from './drop-state';
import type { DropRow, DropsRepository } from './drops.repository';

/** What a brand sees of its drop: Redis' live counters while it runs, MySQL's record after. */
export async function dropStats(
  drop: DropRow,
  sources: { repo: DropsRepository; reservations: DropReservationsRepository; state: DropState },
) {
  const { id } = drop;
  const [live, reservations, sales, currency] = await Promise.all([
    drop.status === 'live' ? sources.state.counters(id) : null,
    sources.reservations.count(id),
    sources.repo.purchases(id),
    sources.repo.listingCurrency(drop.listingId),
  ]);
  const participants = live?.participants ?? drop.participants;
  const held = (await sources.reservations.heldUnits(id)).reduce((sum, h) => sum + h.units, 0);
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
    currency,
    stockLeft: Math.max(0, Math.min(stockLeft, drop.stock - held)),
    conversionRate:
      participants > 0 ? Math.round((sales.purchases / participants) * 10_000) / 10_000 : 0,
  };
}

export type ActivityBucket = 'minute' | 'hour';

/** Attempts and solves per minute or hour, oldest first; empty buckets left out. */
export async function dropActivity(drop: DropRow, state: DropState, bucket: ActivityBucket) {
  if (drop.status === 'scheduled') return { bucket, points: [] };
  const perMinute = await state.activity(drop.id);
  const size = bucket === 'hour' ? 60 : 1;
  const buckets = new Map<number, { attempts: number; solves: number }>();
  for (const [minute, counts] of perMinute) {
    const start = Math.floor(minute / size) * size;
    const entry = buckets.get(start) ?? { attempts: 0, solves: 0 };
    entry.attempts += counts.attempts;
    entry.solves += counts.solves;
    buckets.set(start, entry);
  }
  return {
    bucket,
    points: [...buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([start, counts]) => ({ at: new Date(start * 60_000).toISOString(), ...counts })),
  };
}
