import { describe, expect, it } from 'vitest';
import { Histogram } from '../../src/explore/histogram.js';
import { Rng } from '../../src/sim/rng.js';

const exact = (sorted: number[], q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;

describe('Histogram', () => {
  it('gives quantiles within 1/16 of the exact ones, and min, max and mean exactly', () => {
    const rng = new Rng(3);
    const values = Array.from({ length: 20_000 }, () => Math.round(Math.exp(rng.normal(5, 1.2)))); // long-tailed, like latencies
    const h = new Histogram();
    for (const v of values) h.add(v);
    const sorted = values.slice().sort((a, b) => a - b);
    const s = h.summary();
    for (const [q, got] of [[0.5, s.p50], [0.95, s.p95], [0.99, s.p99]] as const) {
      expect(Math.abs(got - exact(sorted, q)) / exact(sorted, q)).toBeLessThanOrEqual(1 / 16);
    }
    expect(s.count).toBe(20_000);
    expect(s.min).toBe(sorted[0]);
    expect(s.max).toBe(sorted.at(-1));
    expect(s.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6);
    // Bounded: a few buckets per power of two, however many values.
    expect(s.buckets.length).toBeLessThan(120);
    expect(s.buckets.reduce((n, b) => n + b.count, 0)).toBe(20_000);
  });

  it('counts small whole numbers exactly (orders per run, calls per run)', () => {
    const h = new Histogram();
    h.add(0, 7);
    h.add(1, 2);
    h.add(5);
    expect(h.summary()).toMatchObject({ count: 10, p50: 0, p95: 5, p99: 5, buckets: [{ from: 0, to: 1, count: 7 }, { from: 1, to: 2, count: 2 }, { from: 5, to: 6, count: 1 }] });
  });

  it('an empty histogram says zero everywhere', () => {
    expect(new Histogram().summary()).toEqual({ count: 0, min: 0, max: 0, mean: 0, p50: 0, p95: 0, p99: 0, buckets: [] });
  });
});
