import type { LatencySpec } from '../sim/faults.js';
import type { FaultItem } from './fault-items.js';

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Half and three quarters of a rate, in hundredths, each above 0 and below `r`. */
function lowerRates(r: number): number[] {
  return [...new Set([round2(r / 2), round2((r * 3) / 4)])].filter((x) => x > 0 && x < r);
}

/** A latency scaled by `k`, in whole ms; undefined when that changes nothing. */
function scaled(spec: LatencySpec, k: number): LatencySpec | undefined {
  const s = (x: number) => Math.floor(x * k);
  const out: LatencySpec =
    spec.kind === 'fixed' ? { kind: 'fixed', ms: s(spec.ms) } : spec.kind === 'uniform' ? { kind: 'uniform', min: s(spec.min), max: s(spec.max) } : { kind: 'normal', mean: s(spec.mean), sd: s(spec.sd) };
  return JSON.stringify(out) === JSON.stringify(spec) ? undefined : out;
}

const lowerLatencies = (spec: LatencySpec) => [scaled(spec, 0.5), scaled(spec, 0.75)].filter((x): x is LatencySpec => x !== undefined);

/** The first and the second half of a window [from, to), when it is longer than 1 ms. */
function halves(from: number, to: number): Array<[number, number]> {
  const len = to - from;
  if (len <= 1) return [];
  const mid = from + Math.ceil(len / 2);
  return [
    [from, mid],
    [mid, to],
  ];
}

/**
 * Smaller versions of one fault, most promising first: lower rates, shorter
 * latencies, a half of a window. Empty when the fault cannot get smaller
 * (only removed: that is shrinking's other move).
 *
 * @example
 * smallerItems({ kind: 'down', service: 'payment', from: 1000, to: 3000 });
 * // [{ …, from: 1000, to: 2000 }, { …, from: 2000, to: 3000 }]
 */
export function smallerItems(item: FaultItem): FaultItem[] {
  switch (item.kind) {
    case 'error-rate':
    case 'queue-rate':
      return lowerRates(item.rate).map((rate) => ({ ...item, rate }));
    case 'latency':
    case 'broker-latency':
      return lowerLatencies(item.latency).map((latency) => ({ ...item, latency }));
    case 'queue-delay':
      return lowerLatencies(item.delay).map((delay) => ({ ...item, delay }));
    case 'link':
      return item.link.latency ? lowerLatencies(item.link.latency).map((latency) => ({ ...item, link: { ...item.link, latency } })) : [];
    case 'down':
      return halves(item.from, item.to).map(([from, to]) => ({ ...item, from, to }));
    case 'partition': {
      const p = item.partition;
      return p.to === undefined ? [] : halves(p.from ?? 0, p.to).map(([from, to]) => ({ ...item, partition: { ...p, from, to } }));
    }
    case 'route': {
      const r = item.route;
      const out: FaultItem[] = [];
      for (const rate of r.errorRate ? lowerRates(r.errorRate) : []) out.push({ kind: 'route', route: { ...r, errorRate: rate } });
      for (const latency of r.latency ? lowerLatencies(r.latency) : []) out.push({ kind: 'route', route: { ...r, latency } });
      return out;
    }
    case 'restart':
      return [];
  }
}
