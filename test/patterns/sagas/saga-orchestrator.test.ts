import { describe, expect, it } from 'vitest';
import { checkOrderSaga } from '../../../src/patterns/invariants/invariant-checks.js';
import { formatInvariantReport } from '../../../src/patterns/invariants/invariant-types.js';
import { SagaOrchestrator, type SagaResult } from '../../../src/patterns/sagas/orchestrator.js';
import { SagaOrchestratorDownError } from '../../../src/patterns/sagas/saga-errors.js';
import { sagaEnvOf } from '../../../src/patterns/sagas/saga-env.js';
import { defineSaga } from '../../../src/patterns/sagas/saga-definition.js';
import { foldSagaLog, MemorySagaLog, type SagaLogRecord } from '../../../src/patterns/sagas/saga-log.js';
import { createOrderOrchestration, type OrderOrchestrationOptions } from '../../../src/patterns/sagas/saga-order-orchestration.js';
import type { OrderRequest } from '../../../src/patterns/sagas/saga-order-types.js';
import type { FaultPlan } from '../../../src/sim/faults.js';
import type { TraceEvent, TraceEventOf, TraceKind } from '../../../src/sim/trace.js';
import { createWorld, type World } from '../../../src/sim/world.js';
import { InvalidOptionError } from '../../../src/patterns/options.js';
import { flush } from '../helpers.js';

const book = (qty = 1) => [{ sku: 'book', qty }];
const order = (id: string, amount = 40, items = book()): OrderRequest => ({ orderId: id, amount, items });

const of = <K extends TraceKind>(world: World, kind: K, where: (e: TraceEventOf<K>) => boolean = () => true): TraceEventOf<K>[] =>
  world.events.filter((e: TraceEvent) => e.kind === kind && where(e as unknown as TraceEventOf<K>)) as unknown as TraceEventOf<K>[];

/** Runs the reference orchestration with these orders until the world is quiet. */
async function run(orders: OrderRequest[], options: Partial<OrderOrchestrationOptions> & { faults?: FaultPlan; seed?: number; setup?: (world: World, shop: ReturnType<typeof createOrderOrchestration>) => void } = {}) {
  const world = createWorld({ seed: options.seed ?? 1, ...(options.faults ? { faults: options.faults } : {}) });
  const shop = createOrderOrchestration(sagaEnvOf(world), { stock: { book: 2 }, creditLimit: 100, ...options });
  options.setup?.(world, shop);
  const results: SagaResult[] = [];
  for (const o of orders) void shop.placeOrder(o).then((r) => results.push(r));
  const outcome = await world.run();
  // A saga the orchestrator lost never settles: count what did rather than wait for it.
  await flush();
  const report = checkOrderSaga(world.events, { finalStock: shop.stock() });
  return { world, shop, results, outcome, report };
}

const steps = (world: World, kind: 'saga.step' | 'saga.compensation', sagaId?: string) => of(world, kind, (e) => sagaId === undefined || e.sagaId === sagaId).map((e) => e.step);

describe('saga orchestrator: the order saga over HTTP', () => {
  it('happy path: every step once, in order, from the orchestrator to its service, correlated by saga id', async () => {
    const { world, shop, results, report } = await run([order('o-1')]);
    expect(results).toEqual([expect.objectContaining({ sagaId: 'saga-o-1', outcome: 'completed' })]);
    expect(steps(world, 'saga.step')).toEqual(['create-order', 'charge-payment', 'reserve-items', 'complete-order']);
    expect(of(world, 'saga.step').map((e) => [e.source, e.target, e.correlationId, e.stepKind])).toEqual([
      ['order-orchestrator', 'order-service', 'saga-o-1', 'compensatable'],
      ['order-orchestrator', 'payment-service', 'saga-o-1', 'compensatable'],
      ['order-orchestrator', 'inventory-service', 'saga-o-1', 'pivot'],
      ['order-orchestrator', 'order-service', 'saga-o-1', 'retriable'],
    ]);
    expect(of(world, 'saga.compensation')).toEqual([]);
    expect(of(world, 'saga.end')).toMatchObject([{ sagaId: 'saga-o-1', outcome: 'completed' }]);
    expect(shop.orderStatuses().get('o-1')).toBe('completed');
    expect(shop.stock()).toEqual({ book: 1 });
    expect(report.ok, formatInvariantReport(report)).toBe(true);
  });

  it('payment declined: only the order is compensated (nothing was charged), and it ends cancelled', async () => {
    const { world, shop, results, report } = await run([order('o-1', 500)]);
    expect(results[0]).toMatchObject({ outcome: 'compensated', failedStep: 'charge-payment' });
    expect(steps(world, 'saga.compensation')).toEqual(['create-order']);
    expect(of(world, 'saga.compensation')[0]).toMatchObject({ source: 'order-orchestrator', target: 'order-service', reason: 'completed', correlationId: 'saga-o-1' });
    // A 402 is a definite answer: no retry.
    expect(of(world, 'saga.step', (e) => e.step === 'charge-payment')).toHaveLength(1);
    expect(shop.orderStatuses().get('o-1')).toBe('cancelled');
    expect(report.ok, formatInvariantReport(report)).toBe(true);
  });

  it('out of stock at the pivot: compensations run in reverse order for the completed steps only', async () => {
    const { world, shop, results, report } = await run([order('o-1', 40, book(5))]);
    expect(results[0]).toMatchObject({ outcome: 'compensated', failedStep: 'reserve-items' });
    expect(steps(world, 'saga.compensation')).toEqual(['charge-payment', 'create-order']);
    const refund = of(world, 'saga.effect', (e) => e.effect === 'refund');
    expect(refund).toMatchObject([{ orderId: 'o-1', amount: 40, source: 'payment-service', messageId: 'saga-o-1:charge-payment:compensation' }]);
    // No forward step after the compensation began, and each compensation once.
    const firstComp = of(world, 'saga.compensation')[0]!.seq;
    expect(of(world, 'saga.step', (e) => e.seq > firstComp)).toEqual([]);
    expect(of(world, 'saga.compensation-done').map((e) => e.step)).toEqual(['charge-payment', 'create-order']);
    expect(shop.orderStatuses().get('o-1')).toBe('cancelled');
    expect(shop.stock()).toEqual({ book: 2 });
    expect(report.ok, formatInvariantReport(report)).toBe(true);
  });

  it('a transient failure is retried with backoff; a step after the pivot is retried until it succeeds', async () => {
    const faults: FaultPlan = { services: { 'payment-service': { down: [{ from: 0, to: 150 }] }, 'order-service': { down: [{ from: 10, to: 3_000 }] } } };
    const { world, results, report } = await run([order('o-1')], { faults, maxAttempts: 5 });
    expect(results[0]).toMatchObject({ outcome: 'completed' });
    const retries = of(world, 'saga.retry');
    expect(retries.some((r) => r.step === 'charge-payment')).toBe(true);
    // complete-order is retriable: more attempts than maxAttempts until order-service is back at 3 s.
    const completes = of(world, 'saga.step', (e) => e.step === 'complete-order');
    expect(completes.length).toBeGreaterThan(5);
    expect(of(world, 'saga.step-done', (e) => e.step === 'complete-order')[0]!.time).toBeGreaterThanOrEqual(3_000);
    expect(retries.every((r) => r.source === 'order-orchestrator' && r.delayMs >= 0 && r.delayMs <= 5_000)).toBe(true);
    expect(report.ok, formatInvariantReport(report)).toBe(true);
  });

  it('a compensatable step that stays down fails after its attempts and the saga compensates', async () => {
    const faults: FaultPlan = { services: { 'payment-service': { down: [{ from: 0, to: 60_000 }] } } };
    const { world, results, report } = await run([order('o-1')], { faults, maxAttempts: 3 });
    expect(results[0]).toMatchObject({ outcome: 'compensated', failedStep: 'charge-payment' });
    expect(of(world, 'saga.step', (e) => e.step === 'charge-payment')).toHaveLength(3);
    // Refused connections are definite: the payment never happened, so it is not compensated.
    expect(steps(world, 'saga.compensation')).toEqual(['create-order']);
    expect(report.ok, formatInvariantReport(report)).toBe(true);
  });

  it('a timed-out step has an unknown outcome: retried with the same idempotency key, charged once', async () => {
    const faults: FaultPlan = { routes: [{ service: 'payment-service', path: '/payments', latency: { kind: 'fixed', ms: 1_500 } }] };
    const { world, results, report } = await run([order('o-1')], { faults, stepTimeoutMs: 1_000, maxAttempts: 3 });
    const failed = of(world, 'saga.step-failed', (e) => e.step === 'charge-payment');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((f) => f.outcome === 'unknown' && /timed out/.test(f.error))).toBe(true);
    const requests = of(world, 'http.request', (e) => e.path === '/payments');
    expect(new Set(requests.map((r) => r.headers?.['idempotency-key']))).toEqual(new Set(['saga-o-1:charge-payment']));
    expect(of(world, 'saga.effect', (e) => e.effect === 'charge')).toHaveLength(1);
    // Every attempt is slow, so it gives up after 3 and compensates the payment too (it may have happened).
    expect(results[0]).toMatchObject({ outcome: 'compensated', failedStep: 'charge-payment' });
    expect(of(world, 'saga.compensation', (e) => e.step === 'charge-payment')).toMatchObject([{ reason: 'outcome-unknown' }]);
    expect(report.ok, formatInvariantReport(report)).toBe(true);
  });

  it('refuses to start a saga while its process is down', async () => {
    const world = createWorld();
    const shop = createOrderOrchestration(sagaEnvOf(world), { stock: {} });
    shop.orchestrator.process.crash('test');
    expect(() => shop.orchestrator.start(order('o-1'))).toThrow(SagaOrchestratorDownError);
    await expect(shop.orchestrator.execute(order('o-1'))).rejects.toThrow(/order-orchestrator is down/);
  });
});

describe('saga orchestrator: crash and resume', () => {
  /**
   * Crashes the orchestrator at the `n`th saga event of `kinds`, restarting
   * 300 ms later. `next-tick`: at the same virtual time, after the current
   * callback. `sync`: inside the trace subscriber, so in the middle of the
   * orchestrator's own bookkeeping (the code that recorded the event is still
   * on the stack when the process dies).
   */
  const crashAfter = (n: number, kinds: readonly string[], when: 'sync' | 'next-tick') => (world: World, shop: ReturnType<typeof createOrderOrchestration>) => {
    let seen = 0;
    const crash = () => shop.orchestrator.process.crash('test', 300);
    world.trace.events$.subscribe((e) => {
      if (kinds.includes(e.kind) && ++seen === n) {
        if (when === 'sync') crash();
        else world.scheduler.after(0, crash);
      }
    });
  };

  const boundaries = ['saga.start', 'saga.step', 'saga.step-done', 'saga.step-failed', 'saga.retry', 'saga.compensation', 'saga.compensation-done', 'saga.compensation-failed', 'saga.end'];
  // The payment service refuses connections for its first 150 ms: a transient failure, retried.
  const transient: FaultPlan = { services: { 'payment-service': { down: [{ from: 0, to: 150 }] } } };
  // Refunds fail now and then: a compensation retried until it succeeds.
  const flakyRefund: FaultPlan = { routes: [{ service: 'payment-service', path: '/payments/:orderId/refund', errorRate: 0.7, errorStatus: 503 }] };

  for (const when of ['next-tick', 'sync'] as const) {
    for (const [name, orders, faults] of [
      ['happy path', [order('o-1')], undefined],
      ['out of stock', [order('o-1', 40, book(5))], undefined],
      ['payment declined', [order('o-1', 500)], undefined],
      ['transient payment failure', [order('o-1')], transient],
      ['out of stock, flaky refund', [order('o-1', 40, book(5))], flakyRefund],
    ] as const) {
      it(`${name}: crashed (${when}) at every step boundary, it resumes from the log and every invariant holds`, async () => {
        const clean = await run([...orders], { ...(faults ? { faults } : {}) });
        const count = clean.world.events.filter((e) => boundaries.includes(e.kind)).length;
        expect(count).toBeGreaterThan(3);
        if (faults) expect(of(clean.world, 'saga.retry').length, 'the faults make the saga retry').toBeGreaterThan(0);
        for (let n = 1; n <= count; n++) {
          const { world, results, report, outcome } = await run([...orders], { ...(faults ? { faults } : {}), setup: crashAfter(n, boundaries, when) });
          const where = `crash (${when}) at boundary event ${n} of ${count}`;
          expect(outcome.reason, where).toBe('quiescent');
          const crashes = of(world, 'fault', (e) => e.fault === 'crash');
          expect(crashes, where).toHaveLength(1);
          // A dead orchestrator says nothing: none of its saga events between the crash and the restart.
          const restart = of(world, 'log', (e) => /restarted/.test(e.message))[0]!;
          expect(world.events.filter((e) => e.kind.startsWith('saga.') && e.source === 'order-orchestrator' && e.seq > crashes[0]!.seq && e.seq < restart.seq).map((e) => e.kind), where).toEqual([]);
          expect(of(world, 'saga.resume').length, where).toBeLessThanOrEqual(1);
          // The caller's promise settles: the saga was resumed after the restart and finished.
          expect(results, where).toHaveLength(1);
          expect(of(world, 'saga.end'), where).toHaveLength(1);
          expect(report.ok, `${where}: ${formatInvariantReport(report)}`).toBe(true);
          // Same business outcome as without the crash, except when a crash hit a compensatable step (then it is undone).
          if (results[0]!.outcome !== clean.results[0]!.outcome) expect(results[0]!.error, where).toMatch(/interrupted by a crash/);
        }
      });
    }
  }

  it('a crash inside start, once the saga is logged, does not lose the saga: it resumes after the restart', async () => {
    const world = createWorld({ seed: 1 });
    const shop = createOrderOrchestration(sagaEnvOf(world), { stock: { book: 2 } });
    const sub = world.trace.events$.subscribe((e) => {
      if (e.kind === 'saga.start') shop.orchestrator.process.crash('test', 300);
    });
    let result: SagaResult | undefined;
    void shop.placeOrder(order('o-1')).then((r) => (result = r));
    await world.run();
    sub.unsubscribe();
    expect(of(world, 'saga.resume')).toMatchObject([{ sagaId: 'saga-o-1', decision: 'continue', time: 300 }]);
    expect(result).toMatchObject({ sagaId: 'saga-o-1', outcome: 'completed' });
    expect(shop.orderStatuses().get('o-1')).toBe('completed');
  });

  it('a crash and a restart both inside start drive the saga once', async () => {
    const world = createWorld({ seed: 1 });
    const shop = createOrderOrchestration(sagaEnvOf(world), { stock: { book: 2 } });
    const proc = shop.orchestrator.process;
    const sub = world.trace.events$.subscribe((e) => {
      if (e.kind === 'saga.start') {
        proc.crash('test');
        proc.restart();
      }
    });
    let result: SagaResult | undefined;
    void shop.placeOrder(order('o-1')).then((r) => (result = r));
    await world.run();
    sub.unsubscribe();
    expect(result).toMatchObject({ outcome: 'completed' });
    expect(steps(world, 'saga.step')).toEqual(['create-order', 'charge-payment', 'reserve-items', 'complete-order']);
  });

  it('a step interrupted by a crash is compensated when compensatable, retried when it is the pivot', async () => {
    // Crashes in the same instant the step starts (its request is never sent), once.
    const atStep = (step: string) => (world: World, shop: ReturnType<typeof createOrderOrchestration>) => {
      let done = false;
      world.trace.events$.subscribe((e) => {
        if (!done && e.kind === 'saga.step' && e.step === step) {
          done = true;
          shop.orchestrator.process.crash('test', 500);
        }
      });
    };
    const charge = await run([order('o-1')], { setup: atStep('charge-payment') });
    expect(of(charge.world, 'saga.resume')).toMatchObject([{ decision: 'compensate', step: 'charge-payment', completed: ['create-order'] }]);
    expect(steps(charge.world, 'saga.compensation')).toEqual(['charge-payment', 'create-order']);
    expect(of(charge.world, 'saga.compensation', (e) => e.step === 'charge-payment')).toMatchObject([{ reason: 'outcome-unknown' }]);
    expect(charge.report.ok, formatInvariantReport(charge.report)).toBe(true);

    const pivot = await run([order('o-1')], { setup: atStep('reserve-items') });
    expect(of(pivot.world, 'saga.resume')).toMatchObject([{ decision: 'retry', step: 'reserve-items', completed: ['create-order', 'charge-payment'] }]);
    expect(pivot.results[0]).toMatchObject({ outcome: 'completed' });
    // The retry reaches the inventory with the same idempotency key: one reservation.
    expect(of(pivot.world, 'saga.effect', (e) => e.effect === 'reserve')).toHaveLength(1);
    expect(pivot.report.ok, formatInvariantReport(pivot.report)).toBe(true);
  });

  it('completed steps are not run again after a resume; a crash during compensation finishes it without compensating twice', async () => {
    const crashOnce = (world: World, shop: ReturnType<typeof createOrderOrchestration>) => {
      let done = false;
      world.trace.events$.subscribe((e) => {
        if (!done && e.kind === 'saga.compensation-done' && e.step === 'charge-payment') {
          done = true;
          world.scheduler.after(0, () => shop.orchestrator.process.crash('test', 200));
        }
      });
    };
    const { world, report } = await run([order('o-1', 40, book(5))], { setup: crashOnce });
    expect(of(world, 'saga.resume')).toMatchObject([{ decision: 'compensate' }]);
    expect(of(world, 'saga.compensation-done').map((e) => e.step)).toEqual(['charge-payment', 'create-order']);
    expect(of(world, 'saga.step', (e) => e.step === 'create-order')).toHaveLength(1);
    expect(report.ok, formatInvariantReport(report)).toBe(true);
  });

  it('down windows of the orchestrator in the fault plan are crashes; every saga in flight resumes when it is back', async () => {
    const faults: FaultPlan = { services: { 'order-orchestrator': { down: [{ from: 3, to: 800 }] } } };
    const { world, results, report } = await run([order('o-1'), order('o-2'), order('o-3', 40, book(3))], { faults, stock: { book: 3 } });
    expect(of(world, 'fault', (e) => e.fault === 'crash')).toMatchObject([{ source: 'order-orchestrator', time: 3 }]);
    expect(of(world, 'saga.resume').map((e) => e.time)).toEqual([800, 800, 800]);
    expect(results.map((r) => r.sagaId).sort()).toEqual(['saga-o-1', 'saga-o-2', 'saga-o-3']);
    expect(report.ok, formatInvariantReport(report)).toBe(true);
  });

  it('a log kept in the process (lost in the crash) leaves sagas half-done, and the checkers say so', async () => {
    const world = createWorld({ seed: 1 });
    // A log that each start of the process begins empty: as if it lived in the process's memory.
    const logs = new Map<number, MemorySagaLog>();
    let incarnation = () => 1;
    const current = () => logs.get(incarnation()) ?? logs.set(incarnation(), new MemorySagaLog()).get(incarnation())!;
    const forgetful = { append: (id: string, r: SagaLogRecord) => current().append(id, r), read: (id: string) => current().read(id), unfinished: () => current().unfinished() };
    const shop = createOrderOrchestration(sagaEnvOf(world), { stock: { book: 2 }, log: forgetful });
    incarnation = () => shop.orchestrator.process.incarnation;
    let crashed = false;
    world.trace.events$.subscribe((e) => {
      if (!crashed && e.kind === 'saga.step-done' && e.step === 'charge-payment') {
        crashed = true;
        world.scheduler.after(0, () => shop.orchestrator.process.crash('test', 100));
      }
    });
    void shop.placeOrder(order('o-1'));
    await world.run();
    const report = checkOrderSaga(world.events);
    const ids = report.violations.map((v) => v.invariant);
    expect(ids).toContain('saga-finished');
    expect(ids).toContain('order-finished');
    const pending = report.violations.find((v) => v.invariant === 'order-finished')!;
    expect(pending).toMatchObject({ orderId: 'o-1' });
    expect(pending.eventSeqs.length).toBeGreaterThan(0);
  });
});

describe('saga definitions and logs', () => {
  const noop = () => undefined;

  it('works out step kinds around the pivot and checks the definition', () => {
    const saga = defineSaga({
      name: 's',
      steps: [
        { name: 'a', service: 'x', action: noop, compensate: noop },
        { name: 'b', service: 'y', action: noop },
        { name: 'c', service: 'z', action: noop },
      ],
    });
    expect(saga.steps.map((s) => [s.kind, s.onInterrupt, s.maxAttempts])).toEqual([
      ['compensatable', 'compensate', 3],
      ['pivot', 'retry', 3],
      ['retriable', 'retry', Infinity],
    ]);
    expect(defineSaga({ name: 's', steps: [{ name: 'a', service: 'x', action: noop, compensate: noop }] }).pivot).toBe(-1);
    expect(() => defineSaga({ name: 's', pivot: 'b', steps: [{ name: 'a', service: 'x', action: noop }, { name: 'b', service: 'x', action: noop }] })).toThrow(/steps\[0\]\.compensate/);
    expect(() => defineSaga({ name: 's', steps: [{ name: 'a', service: 'x', action: noop }, { name: 'a', service: 'x', action: noop }] })).toThrow(InvalidOptionError);
    expect(() => defineSaga({ name: 's', pivot: 'zz', steps: [{ name: 'a', service: 'x', action: noop }] })).toThrow(/pivot/);
    expect(() => defineSaga({ name: 's', steps: [] })).toThrow(/steps/);
  });

  it('folds a log: completed steps, an interrupted step, attempts that may have taken effect, compensation progress', () => {
    const started: SagaLogRecord = { type: 'started', saga: 's', input: { x: 1 } };
    expect(foldSagaLog([started]).phase).toEqual({ kind: 'forward', next: 0, interrupted: false, attempts: 0, maybe: false });
    const interrupted = foldSagaLog([started, { type: 'step-started', index: 0, attempt: 1 }, { type: 'step-completed', index: 0, result: 'r' }, { type: 'step-started', index: 1, attempt: 1 }]);
    expect(interrupted.phase).toEqual({ kind: 'forward', next: 1, interrupted: true, attempts: 1, maybe: true });
    expect(interrupted.results.get(0)).toBe('r');
    const waiting = foldSagaLog([started, { type: 'step-started', index: 0, attempt: 1 }, { type: 'attempt-failed', index: 0, attempt: 1, error: 'e', unknown: false }]);
    expect(waiting.phase).toEqual({ kind: 'forward', next: 0, interrupted: false, attempts: 1, maybe: false });
    const compensating = foldSagaLog([
      started,
      { type: 'step-started', index: 0, attempt: 1 },
      { type: 'step-completed', index: 0, result: null },
      { type: 'step-started', index: 1, attempt: 1 },
      { type: 'step-failed', index: 1, error: 'timeout', unknown: true },
      { type: 'compensation-started', index: 1, attempt: 1 },
      { type: 'compensation-completed', index: 1 },
    ]);
    expect(compensating.phase).toEqual({ kind: 'compensating', failed: 1, error: 'timeout' });
    expect([...compensating.unknown]).toEqual([1]);
    expect([...compensating.compensated]).toEqual([1]);
    expect(foldSagaLog([started, { type: 'finished', outcome: 'completed' }]).phase).toEqual({ kind: 'finished', outcome: 'completed' });
  });

  it('a generic orchestrator: results of earlier steps reach later ones, and the log says how it ended', async () => {
    const world = createWorld();
    const seen: unknown[] = [];
    const orchestrator = new SagaOrchestrator<{ n: number }>(sagaEnvOf(world), {
      service: 'calc',
      definition: {
        name: 'sum',
        steps: [
          { name: 'double', service: 'a', action: ({ input }) => input.n * 2, compensate: noop },
          { name: 'show', service: 'b', action: ({ results, idempotencyKey }) => void seen.push(results['double'], idempotencyKey) },
        ],
      },
    });
    const result = orchestrator.execute({ n: 21 });
    await world.run();
    expect(await result).toEqual({ sagaId: 'saga-1', outcome: 'completed', results: { double: 42, show: undefined } });
    expect(seen).toEqual([42, 'saga-1:show']);
    expect(orchestrator.state('saga-1')?.phase).toEqual({ kind: 'finished', outcome: 'completed' });
    expect(await orchestrator.whenFinished('saga-1')).toMatchObject({ outcome: 'completed' });
  });
});
