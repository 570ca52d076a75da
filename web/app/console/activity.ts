export interface ActivityPoint {
  at: number;
  attempts: number;
  solves: number;
}

const STEP = { minute: 60_000, hour: 3_600_000 } as const;

/**
 * The API leaves out buckets without an attempt; the chart gets them back as zeros, from the
 * first bucket to the last (or to now while the drop runs), so quiet spells show as flat lines.
 */
export function fillBuckets(
  points: Array<{ at: string; attempts: number; solves: number }>,
  bucket: 'minute' | 'hour',
  until: number | null,
): ActivityPoint[] {
  if (points.length === 0) return [];
  const step = STEP[bucket];
  const byTime = new Map(points.map((point) => [Date.parse(point.at), point]));
  const first = Date.parse(points[0]!.at);
  const lastPoint = Date.parse(points[points.length - 1]!.at);
  const last = Math.max(lastPoint, until === null ? 0 : Math.floor(until / step) * step);
  const filled: ActivityPoint[] = [];
  for (let at = first; at <= last && filled.length < 5000; at += step) {
    const point = byTime.get(at);
    filled.push({ at, attempts: point?.attempts ?? 0, solves: point?.solves ?? 0 });
  }
  return filled;
}
