import { failure, type Api } from '../api/client.server';

/** Minutes for a drop of up to 6 hours, hours beyond (a 48-hour drop: 48 bars, not 2,880). */
export function bucketFor(durationHours: number): 'minute' | 'hour' {
  return durationHours > 6 ? 'hour' : 'minute';
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
    params: { path: { id }, query: { bucket: bucketFor(drop.durationHours) } },
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
