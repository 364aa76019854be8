/**
 * The `playground` module: everything example code imports.
 *
 * @example
 * import { service, http, sleep, log } from 'playground';
 *
 * const payment = service('payment-service');
 * payment.post('/payments', async (req, res) => {
 *   await sleep(120);
 *   res.status(201).json({ id: 'pay-1', amount: req.body.amount });
 * });
 *
 * export default async function main() {
 *   const { data } = await http.post('http://payment-service/payments', { amount: 42 }, { timeout: 5000 });
 *   log.info(`paid ${data.amount}`);
 * }
 */
import { AxiosVerbs, type HttpRequestConfig, type HttpResponse, type Logger, type Service } from '../sim/index.js';
import { currentHost } from './host.js';

export type { Request, Response, Handler, Logger, Service } from '../sim/index.js';
export { HttpClient } from '../sim/index.js';
export {
  HttpError,
  HttpStatusError,
  HttpTimeoutError,
  HttpConnectionError,
  HttpCanceledError,
  type HttpRequestConfig,
  type HttpResponse,
} from '../sim/http-errors.js';
export type { FaultPlan, LatencySpec, ServiceFaults, TimeWindow } from '../sim/faults.js';
export type { TraceEvent, TraceKind, TraceEventOf } from '../sim/trace.js';
export type { World } from '../sim/world.js';
export { Rng } from '../sim/rng.js';

/** The service called `name` in this run, created on first use. */
export function service(name: string): Service {
  return currentHost().service(name);
}

/** Time of this run, in ms since it started (virtual in the page, real under `spp run`). */
export function now(): number {
  return currentHost().clock.now();
}

/** Resolves after `ms` of the run's time. */
export function sleep(ms: number): Promise<void> {
  return currentHost().clock.sleep(ms);
}

/**
 * Records a state change of a component of your own (a hand-written circuit
 * breaker, a saga) so the views show it, e.g. the Breakers view for a breaker.
 * `service` is where it lives (its lifeline and box in the views).
 *
 * @example
 * recordState('payment-breaker', 'CLOSED', 'OPEN', { service: 'order-service', detail: { failures: 5 } });
 */
export function recordState(component: string, from: string, to: string, options: { service?: string; detail?: unknown } = {}): void {
  const source = options.service ?? component;
  currentHost().trace.record('state', options.detail === undefined ? { source, component, from, to } : { source, component, from, to, detail: options.detail });
}

/** A seeded random number in [0, 1) for this run. */
export function random(): number {
  return currentHost().rng.fork('user').next();
}

/** A seeded v4 UUID for this run. */
export function uuid(): string {
  return currentHost().rng.fork('user').uuid();
}

const forward = (level: keyof Logger) => (message: string, data?: unknown) => currentHost().log[level](message, data);

/** Log lines from the scenario itself (source `world`). */
export const log: Logger = { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };

/** The client of the run in progress, as one object that outlives runs. */
class RunClient extends AxiosVerbs {
  request<T = any>(config: HttpRequestConfig): Promise<HttpResponse<T>> {
    return currentHost().http.request<T>(config);
  }
}

/**
 * An axios-shaped client for calls from outside any service (source `client`).
 * Inside a service, use `service('name').http` so the caller is named.
 */
export const http: AxiosVerbs = new RunClient();

// Resilience patterns: classes, errors and helpers, plus factories bound to the run's world.
export {
  CircuitBreaker,
  RetryPolicy,
  TimeoutPolicy,
  FallbackPolicy,
  Bulkhead,
  ServiceTokens,
  wrap,
  requireServiceToken,
  withServiceToken,
  constantBackoff,
  linearBackoff,
  exponentialBackoff,
  isBreakerFailure,
  isIgnoredByBreaker,
  isRetryable,
  isRetryableResponse,
  isTimeout,
  isCallerAbort,
  httpStatusOf,
  MemoryProcessedStore,
  RetryBudget,
} from '../patterns/index.js';
export * from '../patterns/resilience/errors.js';
export type * from '../patterns/index.js';
export { circuitBreaker, retryPolicy, retryBudget, timeoutPolicy, bulkhead, fallback, idempotencyKeys, deduplicate, serviceTokens } from './resilience.js';

// Messaging: amqplib-shaped broker, event bus, event store, outbox.
export { amqp, broker, eventBus, eventStore, outbox } from './messaging.js';
export { Buffer, EventBus, EventStore, Outbox, OutboxRelay, WrongExpectedVersionError, PartialDuplicateAppendError, AmqpError, IllegalOperationError } from '../messaging/index.js';
export type * from '../messaging/index.js';
export * from './sagas.js';

// Load: open-loop calls at a rate, charted per second in the Metrics view.
export { load } from './load.js';

// Invariants of a run, judged by the runner on the final trace.
export { invariant, type InvariantPredicate, type InvariantVerdict } from './invariants.js';
