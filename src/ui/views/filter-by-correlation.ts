import type { TraceEvent } from '../../sim/trace.js';

/**
 * The correlation id an event carries: its own `correlationId`, or for a log
 * line the `correlationId` of its attached data (services that carry the id
 * through their calls usually log it that way). `undefined` when it has none.
 *
 * @example
 * correlationOf({ seq: 3, time: 10, kind: 'log', level: 'info', message: 'paid', data: { correlationId: 'order-1' } }); // 'order-1'
 */
export function correlationOf(e: TraceEvent): string | undefined {
  if (e.correlationId !== undefined) return e.correlationId;
  if (e.kind !== 'log') return undefined;
  const data: unknown = e.data;
  if (typeof data !== 'object' || data === null) return undefined;
  const id = (data as { correlationId?: unknown }).correlationId;
  // Numbers are ids too (an order number); other values are not shown as one.
  return typeof id === 'string' && id !== '' ? id : typeof id === 'number' ? String(id) : undefined;
}

/**
 * The events of one correlation id (see {@link correlationOf}), in trace
 * order: one business flow followed through every service it crossed.
 *
 * @example
 * const chain = filterByCorrelation(world.events, 'order-1');
 * chain.map((e) => e.kind); // ['http.request', 'http.request', 'log', 'http.response', …]
 */
export function filterByCorrelation(events: readonly TraceEvent[], id: string): TraceEvent[] {
  return events.filter((e) => correlationOf(e) === id);
}
