import type { DateTime } from 'luxon';
import type { AuthContext } from '../../src/http/auth-context';
import { hintUnlocksAt, isHintUnlocked } from './drop-time';
import type { DropRow } from './drops.repository';
import type { DropView } from './drops.schema';

type StoredHint = { afterHours: number; text: Record<string, string> };

/**
 * A drop as a viewer sees it: answers never, hints once unlocked (all of them for its owner).
 * `stockLeft` is the live pool in Redis (null when unknown): a live drop with none is sold out.
 */
export function toDropView(
  drop: DropRow,
  now: DateTime,
  viewer?: AuthContext,
  stockLeft: number | null = null,
): DropView {
  const isOwner = viewer?.userId === drop.ownerId;
  const stored = JSON.parse(drop.hints) as StoredHint[];
  const isShown = (hint: StoredHint) =>
    isOwner || (drop.status !== 'scheduled' && isHintUnlocked(drop.startsAt, hint.afterHours, now));
  const hints = stored.filter(isShown);
  return {
    id: drop.id,
    brandId: drop.brandId,
    brandName: drop.brandName,
    listingId: drop.listingId,
    title: drop.title,
    stock: drop.stock,
    status: drop.status,
    soldOut: drop.status === 'live' && stockLeft !== null && stockLeft <= 0,
    startsAt: drop.startsAt.toISOString(),
    endsAt: drop.endsAt.toISOString(),
    timezone: drop.timezone,
    durationHours: (drop.endsAt.getTime() - drop.startsAt.getTime()) / 3_600_000,
    puzzle: { question: JSON.parse(drop.question) as Record<string, string>, hints },
    nextHintAt: nextHintAt(
      drop,
      stored.filter((hint) => !isShown(hint)),
    ),
    maxAttemptsPerUser: drop.maxAttemptsPerUser,
    perUserLimit: drop.perUserLimit,
    reservationMinutes: drop.reservationSeconds / 60,
    createdAt: drop.createdAt.toISOString(),
  };
}

/**
 * When the first hint still hidden unlocks (its time only, never its text); null if none will
 * while the drop can still be played: it has ended or been canceled, or the hint falls after
 * its end.
 */
function nextHintAt(drop: DropRow, hidden: StoredHint[]): string | null {
  if (hidden.length === 0 || (drop.status !== 'scheduled' && drop.status !== 'live')) return null;
  const first = Math.min(...hidden.map((hint) => hintUnlocksAt(drop.startsAt, hint.afterHours)));
  return first < drop.endsAt.getTime() ? new Date(first).toISOString() : null;
}
