/*
 * The trace's kinds grouped by the layer that records them, as types narrowed
 * from the {@link TraceEvent} union and guards that test an event's kind prefix.
 * Each describer switches over one family's kinds exhaustively, so a kind added
 * to a layer's trace events is a compile error until the views draw it.
 */
import type { TraceEvent } from '../../sim/trace.js';

/** The broker's own events (src/messaging/trace-events.ts). */
export type BrokerEvent = Extract<TraceEvent, { kind: `mq.${string}` }>;

/** Events of the event store and the outbox (src/messaging/trace-events.ts). */
export type StoreEvent = Extract<TraceEvent, { kind: `es.${string}` | `outbox.${string}` }>;

/** Kind prefixes of the patterns' events (src/patterns/…/trace-events.ts). */
const PATTERN_PREFIXES = ['breaker', 'retry', 'timeout', 'fallback', 'bulkhead', 'idempotency', 'dedupe', 'auth'] as const;

/** Events of the resilience, idempotency and token patterns. */
export type PatternEvent = Extract<TraceEvent, { kind: `${(typeof PATTERN_PREFIXES)[number]}.${string}` }>;

/** Events of orchestrated sagas and of the effects services apply (src/patterns/sagas/saga-trace-events.ts). */
export type SagaEvent = Extract<TraceEvent, { kind: `saga.${string}` }>;

/** Events of the load generator (src/patterns/load/trace-events.ts). */
export type LoadEvent = Extract<TraceEvent, { kind: `load.${string}` }>;

/** True for the broker's events (`mq.*`). */
export function isBrokerEvent(e: TraceEvent): e is BrokerEvent {
  return e.kind.startsWith('mq.');
}

/** True for events of the event store (`es.*`) and the outbox (`outbox.*`). */
export function isStoreEvent(e: TraceEvent): e is StoreEvent {
  return e.kind.startsWith('es.') || e.kind.startsWith('outbox.');
}

/** True for the events of the resilience, idempotency and token patterns. */
export function isPatternEvent(e: TraceEvent): e is PatternEvent {
  const dot = e.kind.indexOf('.');
  return dot > 0 && (PATTERN_PREFIXES as readonly string[]).includes(e.kind.slice(0, dot));
}

/** True for saga events (`saga.*`). */
export function isSagaEvent(e: TraceEvent): e is SagaEvent {
  return e.kind.startsWith('saga.');
}

/** True for the load generator's events (`load.*`). */
export function isLoadEvent(e: TraceEvent): e is LoadEvent {
  return e.kind.startsWith('load.');
}
