import { failure, type Api } from '../api/client.server';

/**
 * Minutes while the drop has run up to 6 hours, hours beyond (a whole 48-hour drop: 48 points,
 * not 2,880), so its first hours show minute by minute.
 */
export function bucketFor(startsAt: string, endsAt: string): 'minute' | 'hour' {
  const ran = Math.min(Date.now(), Date.parse(endsAt)) - Date.parse(startsAt);
  return ran > 6 * 3_600_000 ? 'hour' : 'minute';
}

/** A drop of this brand and its funnel with activity over time, as the stats page shows them. */
export async function loadDropStats(api: Api, id: string, brandId: string | undefined) {
  const {
    data: drop,
    error,
    response,
  } = await api.client.GET('/v1/campaigns/drops/{id}', {
    params: { path: { id } },
  });
  if (!drop) throw failure(response.status, error);
  if (drop.brandId !== brandId) throw failure(404, null);
  const stats = await api.client.GET('/v1/campaigns/drops/{id}/stats', {
    params: { path: { id }, query: { bucket: bucketFor(drop.startsAt, drop.endsAt) } },
  });
  if (!stats.data) throw failure(stats.response.status, stats.error);
  return {
    drop: {
      id: drop.id,
      title: drop.title,
      status: drop.status,
      startsAt: drop.startsAt,
      endsAt: drop.endsAt,
      timezone: drop.timezone,
      stock: drop.stock,
    },
    stats: stats.data,
  };
}

export type DropStatsData = Awaited<ReturnType<typeof loadDropStats>>;
