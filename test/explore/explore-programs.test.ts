/**
 * Explore over real programs run in Node: a choreography saga with its
 * defects (and its reference solution), a program that always throws, and
 * one that never ends.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadExample } from '../../examples/index.js';
import { explore } from '../../src/explore/explore.js';
import { exploreSeeds } from '../../src/explore/explore-request.js';
import type { ExploreCheck } from '../../src/explore/judge-run.js';
import { sagaInvariantChecks } from '../../src/explore/saga-checks.js';
import { shrinkFailure } from '../../src/explore/shrink-failure.js';
import { faultItems } from '../../src/explore/fault-items.js';
import { faultSpaceFrom } from '../../src/sim/fault-space.js';
import { nodeProgram, type NodeProgram } from './node-program.js';

const example = await loadExample('choreography-saga');
const space = faultSpaceFrom(example.faults);
// The exercises' checks that judge any run (the one about duplicates needs a run that has some), and every saga invariant.
const checks: ExploreCheck[] = [
  ...example.exercises.flatMap((x) => x.checks).filter((c) => c.id !== 'charged-once'),
  ...sagaInvariantChecks(),
];
const seeds = exploreSeeds(example.seed, 200);
const programs: NodeProgram[] = [];
const program = (code: string, options: Parameters<typeof nodeProgram>[1] = {}) => {
  const p = nodeProgram(code, options);
  programs.push(p);
  return p.run;
};
afterAll(() => programs.forEach((p) => p.dispose()));

const failed = (r: Awaited<ReturnType<typeof explore>>, key: string) => r.checks.find((c) => c.key === key)?.failed ?? 0;

describe('explore over the choreography saga', () => {
  const starting = program(example.code);
  let found: Awaited<ReturnType<typeof explore>>;

  it('finds schedules that leave orders pending and that charge an order twice', { timeout: 180_000 }, async () => {
    found = await explore({ run: starting, seeds, space, checks });
    expect(found).toMatchObject({ runs: 200, total: 200, stopped: false, errors: [] });
    expect(failed(found, 'check:saga/order-finished')).toBe(200); // order-2 is stranded on every schedule
    expect(failed(found, 'check:no-order-pending')).toBe(200);
    const twice = failed(found, 'check:saga/charged-once');
    expect(twice).toBeGreaterThan(20); // only where OrderCreated was duplicated
    expect(twice).toBeLessThan(200);
    expect(found.checks.find((c) => c.key === 'check:saga/charged-once')!.messages[0]!.message).toMatch(/charged/);
    // Orders per run: always one pending at least; latency: no HTTP calls in this program.
    expect(found.distributions.orders!.pending.min).toBeGreaterThanOrEqual(1);
    expect(found.distributions.orders!.completed.max).toBeLessThanOrEqual(5);
    expect(found.distributions.clientLatencyMs.count).toBe(0);
    expect(found.failures).toHaveLength(100);
  });

  it('shrinks a double charge to a smaller plan that still charges twice', { timeout: 120_000 }, async () => {
    // A case with duplicates and crashes before ack on the payment queue: either alone can charge twice.
    const found2 = found.failures.find((f) => f.failed.includes('check:saga/charged-once') && faultItems(f.faults).length >= 2)!;
    expect(found2).toBeDefined();
    const r = await shrinkFailure({ run: starting, seed: found2.seed, faults: found2.faults, target: 'check:saga/charged-once', checks });
    expect(r.ended).toBe('minimal');
    expect(r.message).toMatch(/charged/);
    const kept = faultItems(r.shrunk);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ kind: 'queue-rate', queue: 'payment-service.OrderCreated' });
    const field = (kept[0] as { field: 'duplicateRate' | 'crashBeforeAckRate' }).field;
    expect(r.shrunk.queues!['payment-service.OrderCreated']![field]!).toBeLessThanOrEqual(found2.faults.queues!['payment-service.OrderCreated']![field]!);
    expect(r.diff).toMatch(/^removed 1 of 2 faults/);
    expect(r.runs).toBeLessThanOrEqual(200);
    // And it is a counterexample on its own: the same seed with the shrunk plan charges twice.
    const again = await starting(found2.seed, r.shrunk);
    expect(checks.find((c) => c.id === 'saga/charged-once')!.check(again).passed).toBe(false);
  });

  it('the reference solution passes every check on all 200 schedules', { timeout: 180_000 }, async () => {
    const solution = example.exercises.find((x) => x.id === 'idempotent-payment')!.solution;
    const r = await explore({ run: program(solution), seeds, space, checks });
    expect(r.failedRuns, JSON.stringify(r.checks.filter((c) => c.failed > 0).map((c) => c.messages[0]))).toBe(0);
    expect(r.passedRuns).toBe(200);
    expect(r.distributions.orders!.pending.max).toBe(0);
  });
});

describe('distributions', () => {
  it('client latency over every request of every run, and calls per run to each service', async () => {
    const run = program(`import { service, http, sleep } from 'playground';
const payment = service('payment');
const audit = service('audit');
payment.post('/pay', async (_req, res) => { await sleep(20); res.json({ ok: true }); });
audit.post('/log', (_req, res) => res.json({ ok: true }));
export default async function main() {
  for (let i = 0; i < 4; i++) await http.post('http://payment/pay', {}, { timeout: 1000 });
  if (Math.random() < 0.5) await http.post('http://audit/log', {});
}`);
    const space = { services: { payment: { latency: { chance: 0.5, min: 100, max: 400 } } } };
    const r = await explore({ run, seeds: exploreSeeds(5, 60), space });
    expect(r.failedRuns).toBe(0);
    const latency = r.distributions.clientLatencyMs;
    expect(latency.count).toBeGreaterThanOrEqual(240); // four payments a run, and some audits
    expect(latency.min).toBeLessThan(20); // audit answers at once: only the network's own latency
    expect(latency.p50).toBeGreaterThanOrEqual(20);
    expect(latency.p99).toBeGreaterThan(100); // the runs whose payment got slow
    expect(latency.max).toBeLessThanOrEqual(420);
    expect(r.distributions.serviceCalls['payment']).toMatchObject({ count: 60, min: 4, max: 4 });
    const audit = r.distributions.serviceCalls['audit']!;
    expect(audit).toMatchObject({ count: 60, min: 0, max: 1 }); // runs that never called it count 0
    expect(audit.buckets.map((b) => b.from)).toEqual([0, 1]);
    expect(r.distributions.orders).toBeUndefined(); // no order saga here
  });
});

describe('explore over programs that always fail', () => {
  it('a program that throws on every seed is one grouped error with a count', async () => {
    const run = program(`export default async function main() {
  throw new Error('payment failed after ' + Math.floor(Math.random() * 1000) + ' tries');
}`);
    const r = await explore({ run, seeds: exploreSeeds(1, 40), space: {} });
    expect(r.failedRuns).toBe(40);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ kind: 'runtime', count: 40, firstSeed: 1, key: 'error:runtime: Error: payment failed after # tries' });
    expect(r.errors[0]!.message).toMatch(/^Error: payment failed after \d+ tries$/);
  });

  it('a program that never ends spends its run budget on every seed: each run is a budget failure', async () => {
    const run = program(
      `import { sleep } from 'playground';
export default async function main() { for (;;) await sleep(10); }`,
      { maxEvents: 300 },
    );
    const r = await explore({ run, seeds: exploreSeeds('loop', 25), space: {} });
    expect(r.failedRuns).toBe(25);
    expect(r.errors).toEqual([expect.objectContaining({ kind: 'budget', count: 25, firstSeed: 'loop-0' })]);
    expect(r.errors[0]!.message).toMatch(/budget of 300 scheduled callbacks/);
  });
});
