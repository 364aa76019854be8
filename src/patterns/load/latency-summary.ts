/** Latency percentiles of a set of calls, in ms (all `undefined` without any call). */
export interface LatencySummary {
  p50: number | undefined;
  p95: number | undefined;
  p99: number | undefined;
  max: number | undefined;
  mean: number | undefined;
}

/**
 * Nearest-rank percentile of an ascending array (`q` in (0, 1]): the
 * smallest value that at least `q` of the values do not exceed.
 *
 * @example
 * nearestRank([10, 20, 30, 40], 0.5); // 20
 */
export function nearestRank(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

/**
 * p50, p95, p99, max and mean of `durations` (any order; not changed).
 *
 * @example
 * summarizeLatency([30, 10, 20]); // { p50: 20, p95: 30, p99: 30, max: 30, mean: 20 }
 */
export function summarizeLatency(durations: readonly number[]): LatencySummary {
  const sorted = [...durations].sort((a, b) => a - b);
  const n = sorted.length;
  return {
    p50: nearestRank(sorted, 0.5),
    p95: nearestRank(sorted, 0.95),
    p99: nearestRank(sorted, 0.99),
    max: n ? sorted[n - 1] : undefined,
    mean: n ? sorted.reduce((s, d) => s + d, 0) / n : undefined,
  };
}
