/**
 * Times to acknowledge and to respond are kept by the dashboards' rollup as counts per bucket, so a
 * year's median is read from a few hundred numbers instead of sorting every case. The buckets
 * follow what the pages show (tenths of an hour below 2 days, tenths of a day beyond):
 *   below 48 hours: 6 minutes wide; 48 hours to 60 days: 2.4 hours wide; beyond: 1 day wide.
 * A median is the middle of its bucket, so it is within half a bucket (3 minutes, 1.2 hours,
 * half a day) of the exact figure.
 */
const H = 3600;
export const BUCKET_STEPS = [
  { from: 0, width: 360, first: 0 },
  { from: 48 * H, width: 8640, first: 480 },
  { from: 60 * 24 * H, width: 86_400, first: 1060 },
] as const;
export const LAST_BUCKET = 1060 + 3650;

export const MEDIAN_RESOLUTION_TEXT = 'Medians are worked out from times grouped in 6-minute steps (2.4-hour steps beyond 2 days, '
  + 'whole days beyond 60 days), so each is within 3 minutes (1.2 hours, half a day) of the exact figure.';

/** The bucket of a duration in seconds (negative durations count as zero). */
export function bucketOf(seconds: number): number {
  const s = Math.max(0, seconds);
  const step = [...BUCKET_STEPS].reverse().find((b) => s >= b.from)!;
  return Math.min(LAST_BUCKET, step.first + Math.floor((s - step.from) / step.width));
}

/** The middle of a bucket, in hours. */
export function bucketMiddleHours(bucket: number): number {
  const step = [...BUCKET_STEPS].reverse().find((b) => bucket >= b.first)!;
  return (step.from + (bucket - step.first + 0.5) * step.width) / H;
}

/**
 * The median (as percentile_cont(0.5) takes it: the mean of the two middle values when the count
 * is even) of the durations a histogram holds, each taken as its bucket's middle; null when empty.
 */
export function histogramMedianHours(counts: Map<number, number>): number | null {
  const buckets = [...counts.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const at = (pos: number) => {
    let seen = 0;
    for (const [b, n] of buckets) {
      seen += n;
      if (pos < seen) return bucketMiddleHours(b);
    }
    return bucketMiddleHours(buckets[buckets.length - 1]![0]);
  };
  return total % 2 === 1 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
}
