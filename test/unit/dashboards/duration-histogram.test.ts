import { describe, expect, it } from 'vitest';
import { bucketMiddleHours, bucketOf, histogramMedianHours } from '../../../src/dashboards/duration-histogram.js';

const H = 3600;
const histogramOf = (hours: number[]) => {
  const m = new Map<number, number>();
  for (const h of hours) m.set(bucketOf(h * H), (m.get(bucketOf(h * H)) ?? 0) + 1);
  return m;
};

describe('bucketed durations', () => {
  it('keeps 6-minute steps below 2 days, 2.4-hour steps to 60 days and days beyond', () => {
    expect([bucketOf(0), bucketOf(359), bucketOf(360), bucketOf(48 * H - 1), bucketOf(48 * H), bucketOf(60 * 24 * H)]).toEqual([0, 0, 1, 479, 480, 1060]);
    expect(bucketMiddleHours(0)).toBeCloseTo(0.05);
    expect(bucketMiddleHours(480)).toBeCloseTo(49.2);
    expect(bucketOf(-50)).toBe(0);
  });

  it('gives a median within half a bucket of the exact one, the mean of the middle two for an even count', () => {
    expect(histogramMedianHours(new Map())).toBeNull();
    expect(histogramMedianHours(histogramOf([1, 2.02, 30]))).toBeCloseTo(2.05);
    expect(histogramMedianHours(histogramOf([1, 3]))).toBeCloseTo(2.05);
    const values = Array.from({ length: 101 }, (_, i) => i * 1.37);
    expect(Math.abs(histogramMedianHours(histogramOf(values))! - 50 * 1.37)).toBeLessThanOrEqual(1.2);
  });
});
