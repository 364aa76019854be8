import type { TraceEvent } from '../../sim/trace.js';
import { checkNoMessageLost } from './invariant-messages.js';
import {
  checkCancelledOrders,
  checkChargedOnce,
  checkCompletedOrders,
  checkEffectOncePerMessage,
  checkOrdersFinished,
  checkStock,
  orderSagaFacts,
} from './invariant-order-saga.js';
import { checkSagaLog } from './invariant-saga-log.js';
import type { InvariantId, InvariantOptions, InvariantReport, InvariantViolation } from './invariant-types.js';
import { memoByTrace } from './trace-memo.js';

/** Every invariant, with a title for the UI, in the order they are checked. */
export const ORDER_SAGA_INVARIANTS: ReadonlyArray<{ id: InvariantId; title: string; needsQuiescence: boolean }> = [
  { id: 'completed-order-paid-and-reserved', title: 'a completed order was paid exactly its amount and has its items reserved', needsQuiescence: false },
  { id: 'cancelled-order-refunded-and-released', title: 'a cancelled order is fully refunded and holds nothing', needsQuiescence: true },
  { id: 'order-finished', title: 'every order ends completed or cancelled', needsQuiescence: true },
  { id: 'charged-once', title: 'no order is charged more than once', needsQuiescence: false },
  { id: 'stock-conserved', title: 'stock is conserved and never negative', needsQuiescence: false },
  { id: 'effect-once-per-message', title: "each consumer applies a message's effect at most once", needsQuiescence: false },
  { id: 'no-message-lost', title: 'every message is acked, dead-lettered, dropped on purpose or still queued', needsQuiescence: false },
  { id: 'saga-compensates-started-steps-only', title: 'only steps that completed (or may have) are compensated', needsQuiescence: false },
  { id: 'saga-compensates-once', title: 'no step is compensated twice', needsQuiescence: false },
  { id: 'saga-compensation-reverse-order', title: 'compensations run in reverse order', needsQuiescence: false },
  { id: 'saga-no-step-after-compensation', title: 'no step starts once compensation began', needsQuiescence: false },
  { id: 'saga-completed-step-not-redone', title: 'completed steps are not run again', needsQuiescence: false },
  { id: 'saga-finished', title: 'every saga ends', needsQuiescence: true },
];

const SAGA_LOG_IDS = new Set<InvariantId>([
  'saga-compensates-started-steps-only',
  'saga-compensates-once',
  'saga-compensation-reverse-order',
  'saga-no-step-after-compensation',
  'saga-completed-step-not-redone',
  'saga-finished',
]);

/**
 * Checks the order saga's invariants over a run's trace (and, when given,
 * the final stock and queue figures). Works for both styles: the effects
 * (`saga.effect`) and order statuses (`state` of `order:<id>`) say what
 * happened to money and stock; the `mq.*` events account for every message;
 * the `saga.*` events of an orchestrator show its steps and compensations.
 * Each violation names its invariant, the order, message or saga, and the
 * `seq` of the events that show it.
 *
 * @example
 * const report = checkOrderSaga(world.events, { finalStock: shop.stock(), queues: brokerOf(world).snapshot().queues });
 * if (!report.ok) console.log(formatInvariantReport(report));
 */
export function checkOrderSaga(events: readonly TraceEvent[], options: InvariantOptions = {}): InvariantReport {
  const quiescent = options.quiescent ?? true;
  const only = options.only ? new Set(options.only) : undefined;
  const wanted = (id: InvariantId) => (only === undefined || only.has(id)) && (quiescent || !ORDER_SAGA_INVARIANTS.find((i) => i.id === id)!.needsQuiescence);
  const checked = ORDER_SAGA_INVARIANTS.map((i) => i.id).filter(wanted);
  const violations: InvariantViolation[] = [];
  const add = (id: InvariantId, read: () => InvariantViolation[]) => {
    if (wanted(id)) violations.push(...once(events, id, read));
  };
  add('completed-order-paid-and-reserved', () => checkCompletedOrders(orderSagaFacts(events)));
  add('cancelled-order-refunded-and-released', () => checkCancelledOrders(orderSagaFacts(events)));
  add('order-finished', () => checkOrdersFinished(orderSagaFacts(events)));
  add('charged-once', () => checkChargedOnce(orderSagaFacts(events)));
  // The final stock is the caller's own figure: checked anew each time. Without it, quiescence does not matter.
  if (options.finalStock) {
    if (wanted('stock-conserved')) violations.push(...checkStock(orderSagaFacts(events), { quiescent, finalStock: options.finalStock }));
  } else add('stock-conserved', () => checkStock(orderSagaFacts(events)));
  add('effect-once-per-message', () => checkEffectOncePerMessage(orderSagaFacts(events)));
  if (wanted('no-message-lost')) violations.push(...checkNoMessageLost(events, options.queues));
  if (checked.some((id) => SAGA_LOG_IDS.has(id))) violations.push(...checkSagaLog(events, quiescent).filter((v) => wanted(v.invariant)));
  return { ok: violations.length === 0, violations, checked };
}

/**
 * Each checker's violations for a trace, found once: an explore's checks ask for the same
 * invariants several times per run (every invariant, then a few by name). Shared, so read-only.
 */
const checkedParts = memoByTrace(() => new Map<InvariantId, InvariantViolation[]>());

function once(events: readonly TraceEvent[], id: InvariantId, read: () => InvariantViolation[]): InvariantViolation[] {
  const parts = checkedParts(events);
  let found = parts.get(id);
  if (!found) parts.set(id, (found = read()));
  return found;
}
