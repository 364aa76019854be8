import { brokerOf } from '../../messaging/broker.js';
import type { FaultPlan } from '../../sim/faults.js';
import type { Rng } from '../../sim/rng.js';
import { createWorld, type World } from '../../sim/world.js';
import { checkOrderSaga } from '../invariants/invariant-checks.js';
import type { InvariantReport } from '../invariants/invariant-types.js';
import { createOrderChoreography } from './saga-order-choreography.js';
import { sagaEnvOf } from './saga-env.js';
import { createOrderOrchestration } from './saga-order-orchestration.js';
import { ORDER_SERVICES, type OrderRequest } from './saga-order-types.js';

/** Which reference saga a scenario runs. */
export type SagaStyle = 'choreography' | 'orchestration';

/** An order and when it is placed (virtual ms). */
export interface TimedOrder extends OrderRequest {
  at: number;
}

/** A complete, replayable order-saga scenario: print it to reproduce a run. */
export interface SagaScenario {
  style: SagaStyle;
  seed: string | number;
  orders: TimedOrder[];
  stock: Record<string, number>;
  creditLimit: number;
  faults: FaultPlan;
  /** Crashes of the orchestrator by hand (orchestration only): at `at`, back `restartAfterMs` later. */
  crashes?: Array<{ at: number; restartAfterMs: number }>;
  /** The syllabus's defects, switched on (choreography only). */
  defects?: { noPaymentFailedHandler?: boolean; nonIdempotentPayment?: boolean };
}

/** What running a scenario gave. */
export interface SagaScenarioRun {
  world: World;
  report: InvariantReport;
  statuses: Map<string, string>;
  stock: Record<string, number>;
}

/** The orchestrator's service in scenarios. */
export const SCENARIO_ORCHESTRATOR = 'order-orchestrator';

/**
 * Runs a scenario in a fresh world until it is quiet (or `horizon`), then
 * checks every invariant of the order saga with the final stock and the
 * broker's queue figures.
 *
 * @example
 * const run = await runSagaScenario(randomSagaScenario(new Rng(7), 'choreography', 5));
 * run.report.ok; // true
 */
export async function runSagaScenario(scenario: SagaScenario, options: { horizon?: number } = {}): Promise<SagaScenarioRun> {
  const world = createWorld({ seed: scenario.seed, faults: scenario.faults });
  let statuses: () => Map<string, string> = () => new Map();
  let stock: () => Record<string, number> = () => ({});
  const env = sagaEnvOf(world);
  const work = (async () => {
    if (scenario.style === 'choreography') {
      const shop = await createOrderChoreography(env, {
        stock: scenario.stock,
        creditLimit: scenario.creditLimit,
        handlePaymentFailed: !scenario.defects?.noPaymentFailedHandler,
        idempotentPayment: !scenario.defects?.nonIdempotentPayment,
      });
      statuses = shop.orderStatuses;
      stock = shop.stock;
      await Promise.all(scenario.orders.map((o) => world.scheduler.sleep(o.at).then(() => shop.placeOrder(o))));
    } else {
      const shop = createOrderOrchestration(env, { stock: scenario.stock, creditLimit: scenario.creditLimit, orchestrator: SCENARIO_ORCHESTRATOR });
      statuses = shop.orderStatuses;
      stock = shop.stock;
      for (const c of scenario.crashes ?? []) world.scheduler.at(c.at, () => shop.orchestrator.process.crash('crash in the scenario', c.restartAfterMs));
      await Promise.all(scenario.orders.map((o) => world.scheduler.sleep(o.at).then(() => shop.placeOrder(o))));
    }
  })();
  let failure: unknown;
  work.catch((e: unknown) => (failure = e));
  const outcome = await world.scheduler.run({ maxEvents: 2_000_000, ...(options.horizon !== undefined ? { horizon: options.horizon } : {}) });
  if (failure !== undefined) throw failure;
  if (outcome.reason === 'error') throw outcome.error;
  const quiescent = outcome.reason === 'quiescent';
  const report = checkOrderSaga(world.trace.events, { quiescent, finalStock: stock(), queues: brokerOf(world).snapshot().queues });
  return { world, report, statuses: statuses(), stock: stock() };
}

/** Options of {@link randomSagaScenario}. */
export interface RandomScenarioOptions {
  /** Probability that a fault kind is switched on; default 0.5. */
  faultChance?: number;
}

const SKUS = ['book', 'pen', 'mug'];

/**
 * A random scenario drawn from `rng`: `orders` orders (random items and
 * amounts, some over the credit limit, stock for only part of them) and a
 * random fault plan. Choreography: down windows of the three services,
 * duplicates, crashes before ack and delays on their queues. Orchestration:
 * down windows of the services and of the orchestrator (crashes), and slow
 * services (timeouts).
 */
export function randomSagaScenario(rng: Rng, style: SagaStyle, orders: number, options: RandomScenarioOptions = {}): SagaScenario {
  const p = options.faultChance ?? 0.5;
  const list: TimedOrder[] = [];
  let at = 0;
  for (let i = 1; i <= orders; i++) {
    at += rng.int(0, 40);
    const items = SKUS.filter(() => rng.chance(0.5)).map((sku) => ({ sku, qty: rng.int(1, 3) }));
    if (items.length === 0) items.push({ sku: rng.choice(SKUS), qty: 1 });
    list.push({ orderId: `o-${i}`, amount: rng.int(10, 200), items, at });
  }
  const stock = Object.fromEntries(SKUS.map((s) => [s, rng.int(0, orders * 2)]));
  const faults: FaultPlan = {};
  const windows = () => {
    const from = rng.int(0, at + 100);
    return [{ from, to: from + rng.int(1, 800) }];
  };
  const services: NonNullable<FaultPlan['services']> = {};
  for (const s of [ORDER_SERVICES.order, ORDER_SERVICES.payment, ORDER_SERVICES.inventory]) {
    const f: NonNullable<FaultPlan['services']>[string] = {};
    if (rng.chance(p / 2)) f.down = windows();
    if (style === 'orchestration' && rng.chance(p / 2)) f.latency = { kind: 'uniform', min: 0, max: rng.int(100, 2000) };
    if (f.down || f.latency) services[s] = f;
  }
  if (style === 'orchestration' && rng.chance(p)) services[SCENARIO_ORCHESTRATOR] = { down: windows() };
  if (Object.keys(services).length > 0) faults.services = services;
  if (style === 'choreography') {
    const queues: NonNullable<FaultPlan['queues']> = {};
    for (const s of [ORDER_SERVICES.order, ORDER_SERVICES.payment, ORDER_SERVICES.inventory]) {
      const q: NonNullable<FaultPlan['queues']>[string] = {};
      if (rng.chance(p)) q.duplicateRate = rng.uniform(0, 0.5);
      if (rng.chance(p)) q.crashBeforeAckRate = rng.uniform(0, 0.3);
      if (rng.chance(p / 2)) q.delay = { kind: 'uniform', min: 0, max: rng.int(1, 300) };
      if (Object.keys(q).length > 0) queues[`${s}.saga`] = q;
    }
    if (Object.keys(queues).length > 0) faults.queues = queues;
  }
  return { style, seed: rng.nextUint32(), orders: list, stock, creditLimit: 150, faults };
}
