/**
 * Property: under any fault plan of the kinds below, the reference
 * choreography and the reference orchestration satisfy every invariant of the
 * order saga. A counterexample prints the scenario (seed, orders, stock, fault
 * plan) as JSON: `runSagaScenario(<that JSON>)` replays it exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInvariantReport } from '../../../src/patterns/invariants/invariant-types.js';
import { runSagaScenario, SCENARIO_ORCHESTRATOR, type SagaScenario, type SagaStyle, type TimedOrder } from '../../../src/patterns/sagas/saga-scenario.js';
import { ORDER_SERVICES } from '../../../src/patterns/sagas/saga-order-types.js';
import type { FaultPlan, LatencySpec, QueueFaults, ServiceFaults, TimeWindow } from '../../../src/sim/faults.js';

const SKUS = ['book', 'pen', 'mug'] as const;
const SERVICES = [ORDER_SERVICES.order, ORDER_SERVICES.payment, ORDER_SERVICES.inventory];

const item = fc.record({ sku: fc.constantFrom(...SKUS), qty: fc.integer({ min: 1, max: 3 }) });
const orderArb = fc.record({
  amount: fc.integer({ min: 10, max: 200 }),
  items: fc.uniqueArray(item, { minLength: 1, maxLength: 3, selector: (i) => i.sku }),
  gap: fc.integer({ min: 0, max: 40 }),
});
const windowArb: fc.Arbitrary<TimeWindow> = fc.record({ from: fc.integer({ min: 0, max: 400 }), length: fc.integer({ min: 1, max: 800 }) }).map((w) => ({ from: w.from, to: w.from + w.length }));
const latencyArb: fc.Arbitrary<LatencySpec> = fc.integer({ min: 1, max: 2_000 }).map((max) => ({ kind: 'uniform', min: 0, max }));
const serviceArb = fc.record({ down: fc.option(windowArb, { nil: undefined }), latency: fc.option(latencyArb, { nil: undefined }) });
const queueArb = fc.record({
  duplicateRate: fc.option(fc.double({ min: 0, max: 0.5, noNaN: true }), { nil: undefined }),
  crashBeforeAckRate: fc.option(fc.double({ min: 0, max: 0.3, noNaN: true }), { nil: undefined }),
  delay: fc.option(fc.integer({ min: 1, max: 300 }).map((max): LatencySpec => ({ kind: 'uniform', min: 0, max })), { nil: undefined }),
});

/** One sample: orders, stock and faults of every kind; each style takes the faults that apply to it. */
const sampleArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  orders: fc.array(orderArb, { minLength: 3, maxLength: 5 }),
  stock: fc.record({ book: fc.integer({ min: 0, max: 8 }), pen: fc.integer({ min: 0, max: 8 }), mug: fc.integer({ min: 0, max: 8 }) }),
  services: fc.tuple(serviceArb, serviceArb, serviceArb),
  queues: fc.tuple(queueArb, queueArb, queueArb),
  orchestratorDown: fc.option(windowArb, { nil: undefined }),
});
type Sample = typeof sampleArb extends fc.Arbitrary<infer T> ? T : never;

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The scenario a sample gives for one style. */
function scenarioOf(sample: Sample, style: SagaStyle): SagaScenario {
  let at = 0;
  const orders: TimedOrder[] = sample.orders.map((o, i) => ({ orderId: `o-${i + 1}`, amount: o.amount, items: o.items, at: (at += o.gap) }));
  const faults: FaultPlan = {};
  const services: Record<string, ServiceFaults> = {};
  sample.services.forEach((s, i) => {
    const f: ServiceFaults = defined({ down: s.down ? [s.down] : undefined, latency: style === 'orchestration' ? s.latency : undefined });
    if (Object.keys(f).length > 0) services[SERVICES[i]!] = f;
  });
  if (style === 'orchestration' && sample.orchestratorDown) services[SCENARIO_ORCHESTRATOR] = { down: [sample.orchestratorDown] };
  if (Object.keys(services).length > 0) faults.services = services;
  if (style === 'choreography') {
    const queues: Record<string, QueueFaults> = {};
    sample.queues.forEach((q, i) => {
      const f = defined(q) as QueueFaults;
      if (Object.keys(f).length > 0) queues[`${SERVICES[i]}.saga`] = f;
    });
    if (Object.keys(queues).length > 0) faults.queues = queues;
  }
  return { style, seed: sample.seed, orders, stock: sample.stock, creditLimit: 150, faults };
}

describe('order saga property (fast-check)', () => {
  it('1,000 random seeds and fault plans: both reference sagas satisfy every invariant', async () => {
    let orders = 0;
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(sampleArb, async (sample) => {
        for (const style of ['choreography', 'orchestration'] as const) {
          const scenario = scenarioOf(sample, style);
          const run = await runSagaScenario(scenario);
          if (!run.report.ok)
            throw new Error(`${style}: ${formatInvariantReport(run.report)}\nreplay with runSagaScenario(${JSON.stringify(scenario)})`);
          orders += scenario.orders.length;
          for (const s of run.statuses.values()) outcomes.set(s, (outcomes.get(s) ?? 0) + 1);
        }
      }),
      { numRuns: 1_000 },
    );
    // The plans were not trivially kind: both outcomes happened many times.
    expect(orders).toBeGreaterThan(6_000);
    expect(outcomes.get('completed')).toBeGreaterThan(500);
    expect(outcomes.get('cancelled')).toBeGreaterThan(500);
  }, 120_000); // 1,000 worlds: about 2 s on a quiet machine, many times that on a loaded one
});
