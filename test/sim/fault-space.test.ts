import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFaultSpace } from '../../src/sim/fault-space-check.js';
import { faultSpaceFrom, sampleFaultPlan, type FaultSpace } from '../../src/sim/fault-space.js';
import { validateFaultPlan } from '../../src/sim/faults.js';
import { Rng } from '../../src/sim/rng.js';

const window = (chance: number) => ({ chance, count: { min: 1, max: 2 }, start: { min: 0, max: 4000 }, length: { min: 10, max: 900 } });

const SPACE: FaultSpace = {
  services: {
    payment: { errorRate: { chance: 0.6, min: 0, max: 0.5 }, errorStatus: 503, latency: { chance: 0.5, min: 0, max: 800 }, down: window(0.5) },
    orders: { latency: { chance: 0.7, min: 10, max: 300 } },
  },
  routes: [{ service: 'payment', path: '/payments', method: 'POST', errorRate: { chance: 0.5, min: 0.1, max: 1 } }],
  links: [{ from: 'orders', to: 'payment', latency: { chance: 0.5, min: 1, max: 50 } }],
  partitions: [{ a: 'orders', b: 'payment', ...window(0.4) }],
  queues: { 'payment.orders': { duplicateRate: { chance: 0.5, min: 0, max: 0.8 }, crashBeforeAckRate: { chance: 0.5, min: 0, max: 0.3 }, delay: { chance: 0.3, min: 0, max: 200 } } },
  broker: { restarts: { chance: 0.3, count: { min: 1, max: 2 }, at: { min: 0, max: 3000 } } },
};

const sample = (space: FaultSpace, seed: string | number) => sampleFaultPlan(space, new Rng(seed, 'explore/faults'));

describe('fault space', () => {
  it('a default space around a plan varies each of its faults from nothing to about twice as much, and adds the usual faults of what it names', () => {
    expect(
      faultSpaceFrom({
        services: { payment: { errorRate: 0.3, errorStatus: 503, down: [{ from: 1000, to: 3000 }] } },
        queues: { q: { duplicateRate: 0.4 } },
        partitions: [{ a: 'orders', b: 'payment', from: 500 }],
      }),
    ).toEqual({
      services: {
        payment: {
          errorRate: { chance: 0.5, min: 0, max: 0.6 },
          errorStatus: 503,
          latency: { chance: 0.5, min: 0, max: 500 },
          down: { chance: 0.5, count: { min: 1, max: 1 }, start: { min: 0, max: 2000 }, length: { min: 1, max: 4000 } },
        },
      },
      partitions: [{ a: 'orders', b: 'payment', chance: 0.5, count: { min: 1, max: 1 }, start: { min: 0, max: 1000 }, length: { min: 1, max: 10000 } }],
      queues: { q: { duplicateRate: { chance: 0.5, min: 0, max: 0.8 }, crashBeforeAckRate: { chance: 0.5, min: 0, max: 0.3 } } },
    });
  });

  it('names given besides the plan get the usual faults; the empty plan gives the empty space', () => {
    expect(faultSpaceFrom({})).toEqual({});
    const space = faultSpaceFrom({}, { services: ['payment'], queues: ['orders.q'], horizonMs: 2000 });
    expect(space.services).toEqual({
      payment: {
        errorRate: { chance: 0.5, min: 0, max: 0.3 },
        latency: { chance: 0.5, min: 0, max: 500 },
        down: { chance: 0.3, count: { min: 1, max: 1 }, start: { min: 0, max: 2000 }, length: { min: 1, max: 500 } },
      },
    });
    expect(space.queues).toEqual({ 'orders.q': { duplicateRate: { chance: 0.5, min: 0, max: 0.5 }, crashBeforeAckRate: { chance: 0.5, min: 0, max: 0.3 } } });
    expect(checkFaultSpace(space, ['payment'])).toEqual([]);
  });

  it('every default space is valid', () => {
    expect(checkFaultSpace(faultSpaceFrom({ services: { p: { latency: { kind: 'normal', mean: 100, sd: 30 } } }, broker: { restarts: [100, 900] } }))).toEqual([]);
    expect(checkFaultSpace(SPACE)).toEqual([]);
  });

  it.each([
    [{ services: { payment: { errorRate: { chance: 0.5, min: 0, max: 1.5 } } } }, 'services.payment.errorRate.max', 'must be a number between 0 and 1 (got 1.5)'],
    [{ services: { payment: { errorRate: { chance: 2, min: 0, max: 1 } } } }, 'services.payment.errorRate.chance', 'must be a number between 0 and 1 (got 2)'],
    [{ services: { payment: { latency: { chance: 1, min: 500, max: 100 } } } }, 'services.payment.latency.max', 'must not be below min (100 < 500)'],
    [{ services: { payment: { latency: { chance: 1, min: 0, max: 1.5 } } } }, 'services.payment.latency.max', 'must be a whole number between 0 and 86,400,000 (got 1.5)'],
    [{ services: { payment: { down: { ...window(1), length: { min: 0, max: 10 } } } } }, 'services.payment.down.length.min', 'must be a whole number between 1 and 86,400,000 (got 0)'],
    [{ services: { payment: { down: { ...window(1), count: { min: 1, max: 50 } } } } }, 'services.payment.down.count.max', 'must be a whole number between 0 and 10 (got 50)'],
    [{ services: { payment: { down: { chance: 1 } } } }, 'services.payment.down.start', 'must be { min, max } between 0 and 86,400,000'],
    [{ services: { payment: { errorRate: { chance: 1, min: 0, max: 0.5 }, errorStatus: 99 } } }, 'services.payment.errorStatus', 'must be a whole number between 100 and 599 (got 99)'],
    [{ services: { payment: { erorRate: {} } } }, 'services.payment.erorRate', 'is not a field here (allowed: errorRate, errorStatus, latency, down)'],
    [{ queues: { q: { duplicateRate: { chance: 0.5, min: -0.1, max: 0.2 } } } }, 'queues.q.duplicateRate.min', 'must be a number between 0 and 1 (got -0.1)'],
    [{ routes: [{ service: 'payment', path: 'payments' }] }, 'routes[0].path', 'must be a path starting with "/"'],
    [{ links: [{ from: 'a', to: 'b' }] }, 'links[0].latency', 'must be { chance, min, max }'],
    [{ partitions: [{ a: '', b: 'x', ...window(1) }] }, 'partitions[0].a', 'must be a service name'],
    [{ broker: { restarts: { chance: 1, count: { min: 1, max: 1 }, at: { min: 0, max: 'soon' } } } }, 'broker.restarts.at.max', 'must be a whole number between 0 and 86,400,000 (got "soon")'],
    [{ delays: {} }, 'delays', 'is not a fault space field (allowed: services, routes, links, partitions, queues, broker)'],
  ])('rejects %j naming the path and the allowed range', (space, path, message) => {
    expect(checkFaultSpace(space)).toContainEqual({ path, message });
  });

  it('names unknown services when the known ones are given', () => {
    expect(checkFaultSpace({ services: { paymnt: {} } }, ['payment'])).toEqual([{ path: 'services.paymnt', message: 'unknown service "paymnt" (known: payment)' }]);
  });

  it('sampling is deterministic: the same seed gives the same plan, other seeds give others', () => {
    const plans = Array.from({ length: 40 }, (_, i) => sample(SPACE, i));
    expect(Array.from({ length: 40 }, (_, i) => sample(SPACE, i))).toEqual(plans);
    expect(new Set(plans.map((p) => JSON.stringify(p))).size).toBeGreaterThan(35);
    // Each dimension shows up about as often as its chance says, with values inside its range.
    const dup = plans.map((p) => p.queues?.['payment.orders']?.duplicateRate).filter((r) => r !== undefined);
    expect(dup.length).toBeGreaterThan(10);
    expect(dup.length).toBeLessThan(30);
    for (const r of dup) {
      expect(r).toBeGreaterThan(0);
      expect(r).toBeLessThanOrEqual(0.8);
      expect(String(r)).toMatch(/^0\.\d\d?$/); // hundredths, so plans read well
    }
    const windows = plans.flatMap((p) => p.services?.['payment']?.down ?? []);
    expect(windows.length).toBeGreaterThan(5);
    for (const w of windows) {
      expect(w.to - w.from).toBeGreaterThanOrEqual(10);
      expect(w.from).toBeLessThanOrEqual(4000);
    }
  });

  it('a space with reordered keys, or with another dimension changed, samples the untouched dimensions the same', () => {
    const reordered = JSON.parse(JSON.stringify({ queues: SPACE.queues, broker: SPACE.broker, services: { orders: SPACE.services!['orders'], payment: SPACE.services!['payment'] }, routes: SPACE.routes, links: SPACE.links, partitions: SPACE.partitions })) as FaultSpace;
    const changed: FaultSpace = { ...SPACE, services: { ...SPACE.services, orders: { latency: { chance: 1, min: 0, max: 5 } } } };
    for (let seed = 0; seed < 20; seed++) {
      expect(sample(reordered, seed)).toEqual(sample(SPACE, seed));
      expect(sample(changed, seed).services?.['payment']).toEqual(sample(SPACE, seed).services?.['payment']);
      expect(sample(changed, seed).queues).toEqual(sample(SPACE, seed).queues);
    }
  });

  it('every plan drawn from a valid space is a valid fault plan', () => {
    const range = (lo: number, hi: number, whole: boolean) =>
      fc.tuple(whole ? fc.integer({ min: lo, max: hi }) : fc.double({ min: lo, max: hi, noNaN: true }), whole ? fc.integer({ min: lo, max: hi }) : fc.double({ min: lo, max: hi, noNaN: true })).map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) }));
    const value = (hi: number, whole: boolean) => fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), range(0, hi, whole)).map(([chance, r]) => ({ chance, ...r }));
    const windows = fc.record({ chance: fc.double({ min: 0, max: 1, noNaN: true }), count: range(0, 3, true), start: range(0, 10_000, true), length: range(1, 5_000, true) });
    const space = fc.record(
      {
        services: fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.record({ errorRate: value(1, false), latency: value(2_000, true), down: windows }, { requiredKeys: [] })),
        partitions: fc.array(windows.map((w) => ({ a: 'a', b: 'b', ...w })), { maxLength: 2 }),
        queues: fc.dictionary(fc.constantFrom('q1', 'q2'), fc.record({ duplicateRate: value(1, false), crashBeforeAckRate: value(1, false), dropRate: value(1, false), delay: value(500, true) }, { requiredKeys: [] })),
        broker: fc.record({ restarts: fc.record({ chance: fc.double({ min: 0, max: 1, noNaN: true }), count: range(0, 3, true), at: range(0, 5_000, true) }) }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(space, fc.integer(), (s, seed) => {
        expect(checkFaultSpace(s)).toEqual([]);
        expect(validateFaultPlan(sample(s, seed))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
