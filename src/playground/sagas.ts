/**
 * Sagas bound to the run's host: orchestrators with a durable log,
 * choreography participants, crashable service processes, durable tables,
 * effect and saga recorders for the trace, and the invariant checkers.
 *
 * @example
 * const proc = serviceProcess('order-orchestrator'); // crashes in its down windows, restarts after
 * const sagaLog = durableStore<SagaRecord>('saga-log'); // survives the crash
 * const saga = sagaTrace('order-orchestrator', 'create-order');
 * proc.onStart(() => {
 *   for (const [id, record] of sagaLog.entries()) if (!record.done) resume(id, record);
 * });
 */
import type { BusEvent } from '../messaging/index.js';
import {
  DurableStore,
  EffectRecorder,
  SagaOrchestrator,
  SagaParticipant,
  SagaTracer,
  ServiceProcess,
  createOrderChoreography,
  createOrderOrchestration,
  type OrderChoreography,
  type OrderChoreographyOptions,
  type OrderOrchestration,
  type OrderOrchestrationOptions,
  type ParticipantOptions,
  type SagaOrchestratorOptions,
} from '../patterns/index.js';
import { currentHost, type PlaygroundHost } from './host.js';

export {
  SagaOrchestrator,
  SagaOrchestratorDownError,
  SagaStepTimeoutError,
  SagaParticipant,
  ServiceProcess,
  DurableStore,
  MemorySagaLog,
  EffectRecorder,
  SagaTracer,
  defineSaga,
  foldSagaLog,
  orderComponent,
  checkOrderSaga,
  checkSagaLog,
  checkNoMessageLost,
  orderSagaFacts,
  formatInvariantReport,
  ORDER_SAGA_INVARIANTS,
} from '../patterns/index.js';

/** Per run: one object per name, so asking again (after a restart, say) gives the same one. */
const perHost = new WeakMap<PlaygroundHost, Map<string, unknown>>();

function once<T>(key: string, make: (h: PlaygroundHost) => T): T {
  const h = currentHost();
  let m = perHost.get(h);
  if (!m) perHost.set(h, (m = new Map()));
  if (!m.has(key)) m.set(key, make(h));
  return m.get(key) as T;
}

/**
 * The process of service `name`: it crashes when a down window of the fault
 * plan opens (or on `crash()`) and restarts when it closes. Awaiting
 * `proc.http`, `proc.sleep` or `proc.guard(...)` across a crash never
 * returns; `onStart` code runs now and after every restart. One per name.
 */
export function serviceProcess(name: string): ServiceProcess {
  return once(`process:${name}`, (h) => new ServiceProcess(h, name));
}

/**
 * A durable table (a simulated database) named `name`: it survives crashes
 * of every process. Asking again for the same name gives the same table.
 */
export function durableStore<V = unknown>(name: string): DurableStore<V> {
  return once(`store:${name}`, () => new DurableStore<V>(name));
}

/**
 * Records what `service` does to money, stock and orders as `saga.effect`
 * and `state` events, for the invariant checkers. One per service.
 */
export function effects(service: string): EffectRecorder {
  return once(`effects:${service}`, (h) => new EffectRecorder(h.trace, service));
}

/** Records the `saga.*` events of a hand-written orchestrator (steps, compensations, resumes). */
export function sagaTrace(orchestrator: string, saga = 'saga'): SagaTracer {
  return new SagaTracer(currentHost().trace, orchestrator, saga);
}

/**
 * A saga orchestrator with a durable log; its process is `serviceProcess(service)`,
 * so the fault plan's down windows of that service crash it and it resumes
 * every unfinished saga when it restarts.
 */
export function sagaOrchestrator<I = unknown>(options: SagaOrchestratorOptions<I>): SagaOrchestrator<I> {
  return new SagaOrchestrator<I>(currentHost(), { process: serviceProcess(options.service), ...options });
}

/** Connects `service` to the event bus as a choreography participant (register handlers with `on`, then `start`). */
export function sagaParticipant<E extends BusEvent = BusEvent>(service: string, options?: ParticipantOptions<E>): Promise<SagaParticipant<E>> {
  return SagaParticipant.connect<E>(currentHost(), service, options);
}

/** The reference order saga as a choreography (order, payment and inventory services on the bus). */
export function orderChoreography(options: OrderChoreographyOptions): Promise<OrderChoreography> {
  return createOrderChoreography(currentHost(), options);
}

/** The reference order saga as an orchestration over HTTP, with its orchestrator `order-orchestrator`. */
export function orderOrchestration(options: OrderOrchestrationOptions): OrderOrchestration {
  return createOrderOrchestration(currentHost(), options);
}
