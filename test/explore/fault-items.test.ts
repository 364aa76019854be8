import { describe, expect, it } from 'vitest';
import { describePlanDiff, faultItems, planFromItems } from '../../src/explore/fault-items.js';
import { smallerItems } from '../../src/explore/smaller-items.js';
import type { FaultPlan } from '../../src/sim/faults.js';

const PLAN: FaultPlan = {
  services: { payment: { errorRate: 0.3, errorStatus: 503, latency: { kind: 'uniform', min: 10, max: 800 }, down: [{ from: 1200, to: 4800 }, { from: 6000, to: 6500 }] } },
  routes: [{ service: 'payment', path: '/refunds', method: 'post', errorRate: 0.5 }],
  links: [{ from: 'orders', to: 'payment', latency: { kind: 'fixed', ms: 40 } }],
  partitions: [{ a: 'orders', b: 'stock', from: 100, to: 900 }],
  queues: { 'payment.orders': { duplicateRate: 0.4, crashBeforeAckRate: 0.1, delay: { kind: 'fixed', ms: 30 } } },
  broker: { latency: { kind: 'fixed', ms: 2 }, restarts: [700, 2500] },
};

describe('fault items', () => {
  it('a plan is the sum of its items, one per fault', () => {
    const items = faultItems(PLAN);
    expect(items.map((i) => i.kind)).toEqual(['error-rate', 'latency', 'down', 'down', 'route', 'link', 'partition', 'queue-rate', 'queue-rate', 'queue-delay', 'broker-latency', 'restart', 'restart']);
    expect(planFromItems(items)).toEqual(PLAN);
  });

  it('the diff counts removed faults and says how each kept one got smaller', () => {
    const shrunk = planFromItems(
      faultItems(PLAN)
        .filter((i) => i.kind === 'down' || i.kind === 'queue-rate')
        .filter((i) => !(i.kind === 'down' && i.from === 6000))
        .filter((i) => !(i.kind === 'queue-rate' && i.field === 'crashBeforeAckRate'))
        .map((i) => (i.kind === 'down' ? { ...i, to: 1300 } : i.kind === 'queue-rate' ? { ...i, rate: 0.05 } : i)),
    );
    expect(describePlanDiff(PLAN, shrunk)).toBe('removed 11 of 13 faults; payment down 1200–4800 ms → 1200–1300 ms; payment.orders duplicates 40% → 5%');
    expect(describePlanDiff(PLAN, {})).toBe('removed all 13 faults');
    expect(describePlanDiff({ queues: { q: { duplicateRate: 0.3 } } }, {})).toBe('removed its only fault');
    expect(describePlanDiff(PLAN, PLAN)).toBe('no change');
    // The second window is matched by where it starts, not by position.
    expect(describePlanDiff(PLAN, { services: { payment: { down: [{ from: 6000, to: 6100 }] } } })).toBe('removed 12 of 13 faults; payment down 6000–6500 ms → 6000–6100 ms');
  });

  it('smaller faults: lower rates, shorter latencies, half windows; a restart can only go', () => {
    const [rate, latency, down] = faultItems(PLAN);
    expect(smallerItems(rate!)).toEqual([{ ...rate, rate: 0.15 }, { ...rate, rate: 0.22 }]);
    expect(smallerItems(latency!)).toEqual([{ ...latency, latency: { kind: 'uniform', min: 5, max: 400 } }, { ...latency, latency: { kind: 'uniform', min: 7, max: 600 } }]);
    expect(smallerItems(down!)).toEqual([{ ...down, from: 1200, to: 3000 }, { ...down, from: 3000, to: 4800 }]);
    expect(smallerItems({ kind: 'down', service: 'p', from: 5, to: 6 })).toEqual([]);
    expect(smallerItems({ kind: 'queue-rate', queue: 'q', field: 'dropRate', rate: 0.01 })).toEqual([]);
    expect(smallerItems({ kind: 'restart', at: 5 })).toEqual([]);
  });
});
