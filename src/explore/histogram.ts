/** One bucket of a {@link HistogramSummary}: values in [from, to). */
export interface HistogramBucket {
  from: number;
  to: number;
  count: number;
}

/** What a {@link Histogram} knows, as plain data (it crosses from a Worker to the page). */
export interface HistogramSummary {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  /** The non-empty buckets, in order. */
  buckets: HistogramBucket[];
}

// Values below EXACT get a bucket each; above, each power of two is cut into SUB buckets,
// so a quantile is off by at most 1/(2·SUB) of its value, and a million distinct values
// still take under 200 buckets.
const EXACT = 16;
const SUB = 8;
const EXACT_BITS = Math.log2(EXACT);

function bucketOf(v: number): number {
  if (v < EXACT) return Math.floor(v);
  const e = Math.floor(Math.log2(v));
  const sub = Math.min(SUB - 1, Math.floor((v / 2 ** e - 1) * SUB));
  return EXACT + (e - EXACT_BITS) * SUB + sub;
}

function boundsOf(b: number): [number, number] {
  if (b < EXACT) return [b, b + 1];
  const e = Math.floor((b - EXACT) / SUB) + EXACT_BITS;
  const sub = (b - EXACT) % SUB;
  return [2 ** e * (1 + sub / SUB), 2 ** e * (1 + (sub + 1) / SUB)];
}

/**
 * A small histogram of non-negative numbers (latencies in ms, counts per
 * run) in bounded memory: exact below 16, then eight buckets per power of
 * two. Quantiles come from the buckets, clamped to the exact min and max.
 *
 * @example
 * const h = new Histogram();
 * for (const ms of [12, 40, 41, 900]) h.add(ms);
 * h.summary().p50; // about 40
 */
export class Histogram {
  private readonly counts = new Map<number, number>();
  private n = 0;
  private sum = 0;
  private lo = Infinity;
  private hi = -Infinity;

  /** Values added so far. */
  get count(): number {
    return this.n;
  }

  /** Adds `value` (negative values count as 0) `times` times. */
  add(value: number, times = 1): void {
    if (times <= 0 || !Number.isFinite(value)) return;
    const v = Math.max(0, value);
    const b = bucketOf(v);
    this.counts.set(b, (this.counts.get(b) ?? 0) + times);
    this.n += times;
    this.sum += v * times;
    if (v < this.lo) this.lo = v;
    if (v > this.hi) this.hi = v;
  }

  /** The value below which a fraction `q` (0..1) of the values lie, about. */
  quantile(q: number): number {
    if (this.n === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (const b of [...this.counts.keys()].sort((x, y) => x - y)) {
      seen += this.counts.get(b)!;
      if (seen >= rank) {
        const [from, to] = boundsOf(b);
        const mid = b < EXACT ? from : (from + to) / 2;
        return Math.min(this.hi, Math.max(this.lo, mid));
      }
    }
    return this.hi;
  }

  /** Everything known, as plain data. */
  summary(): HistogramSummary {
    const buckets = [...this.counts.keys()]
      .sort((x, y) => x - y)
      .map((b) => {
        const [from, to] = boundsOf(b);
        return { from, to, count: this.counts.get(b)! };
      });
    return {
      count: this.n,
      min: this.n ? this.lo : 0,
      max: this.n ? this.hi : 0,
      mean: this.n ? this.sum / this.n : 0,
      p50: this.quantile(0.5),
      p95: this.quantile(0.95),
      p99: this.quantile(0.99),
      buckets,
    };
  }
}
