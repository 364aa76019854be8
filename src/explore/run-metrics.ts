import { orderSagaFacts } from '../patterns/invariants/invariant-order-saga.js';
import type { TraceEvent } from '../sim/trace.js';

/** How a run's orders ended, where the order saga's effects were recorded. */
export interface OrderOutcomes {
  completed: number;
  cancelled: number;
  /** Placed, and neither completed nor cancelled when the run ended. */
  pending: number;
}

/** The figures of one run that an explore gathers into distributions. */
export interface RunMetrics {
  /**
   * How long the client (`http` from `main`, source `client`) waited for each
   * request, in ms: until its response, or until it gave up (timeout).
   */
  clientLatencies: number[];
  /** Absent when the run placed no order. */
  orders?: OrderOutcomes;
  /** HTTP requests each service received (by the request's target). */
  serviceCalls: Map<string, number>;
}

/** Reads a run's figures from its trace in one pass (plus the order facts when orders were placed). */
export function runMetrics(events: readonly TraceEvent[]): RunMetrics {
  const clientLatencies: number[] = [];
  const serviceCalls = new Map<string, number>();
  let placedOrders = false;
  for (const e of events) {
    switch (e.kind) {
      case 'http.request':
        if (e.target !== undefined) serviceCalls.set(e.target, (serviceCalls.get(e.target) ?? 0) + 1);
        break;
      case 'http.response':
        if (e.target === 'client' && !e.late) clientLatencies.push(e.durationMs);
        break;
      case 'http.timeout':
        if (e.source === 'client') clientLatencies.push(e.timeoutMs);
        break;
      case 'saga.effect':
        if (e.effect === 'place') placedOrders = true;
        break;
      default:
    }
  }
  const metrics: RunMetrics = { clientLatencies, serviceCalls };
  if (placedOrders) {
    const outcomes: OrderOutcomes = { completed: 0, cancelled: 0, pending: 0 };
    for (const o of orderSagaFacts(events).orders.values()) {
      if (!o.placed) continue;
      if (o.status === 'completed') outcomes.completed++;
      else if (o.status === 'cancelled') outcomes.cancelled++;
      else outcomes.pending++;
    }
    metrics.orders = outcomes;
  }
  return metrics;
}
