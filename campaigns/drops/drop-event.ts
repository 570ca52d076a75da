import type { WebhookEventInput } from '../../src/webhooks';
import type { DropRow } from './drops.repository';

/** A drop's webhook event: for its brand's endpoints (and admins'), once per switch. */
export function dropEvent(
  type: 'drop.live' | 'drop.ended',
  drop: DropRow & { returnedUnits?: number },
): WebhookEventInput {
  return {
    type,
    key: `${type}:${drop.id}`,
    brandId: drop.brandId,
    data: {
      object: 'drop',
      id: drop.id,
      brandId: drop.brandId,
      listingId: drop.listingId,
      title: drop.title,
      status: drop.status,
      stock: drop.stock,
      startsAt: drop.startsAt.toISOString(),
      endsAt: drop.endsAt.toISOString(),
      ...(type === 'drop.ended' ? { returnedUnits: drop.returnedUnits ?? 0 } : {}),
    },
  };
}
