import type { DateTime } from 'luxon';
import type { AuthContext } from '../../src/http/auth-context';
import { isHintUnlocked } from './drop-time';
import type { DropRow } from './drops.repository';
import type { DropView } from './drops.schema';

/** A drop as a viewer sees it: answers never, hints once unlocked (all of them for its owner). */
export function toDropView(drop: DropRow, now: DateTime, viewer?: AuthContext): DropView {
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
