import { checkOrderSaga, orderSagaFacts, type InvariantId, type InvariantViolation, type OrderFacts } from 'playground';
import type { CheckResult, Example, RunOutcome } from '../types.js';
import { eventsOf, fail, pass, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import paymentFailed from './solution-payment-failed.ts?raw';
import idempotentPayment from './solution-idempotent-payment.ts?raw';
import duplicatesEverywhere from './solution-duplicates-everywhere.ts?raw';
import meta from './meta.js';

const ORDERS = ['order-1', 'order-2', 'order-3', 'order-4', 'order-5'];
const PAYMENT_QUEUE = 'payment-service.OrderCreated';
/** Any queue may deliver a copy: the schedules of the last exercise duplicate more than the payment's events. */
const COPIES_EVERYWHERE = {
  [PAYMENT_QUEUE]: { duplicateRate: { chance: 0.5, min: 0, max: 0.8 }, crashBeforeAckRate: { chance: 0.3, min: 0, max: 0.3 } },
  'inventory-service.PaymentCompleted': { duplicateRate: { chance: 0.3, min: 0, max: 0.5 } },
  'payment-service.ItemsUnavailable': { duplicateRate: { chance: 0.3, min: 0, max: 0.5 } },
  'order-service.ItemsReserved': { duplicateRate: { chance: 0.3, min: 0, max: 0.5 } },
};

/** The order each event is about: its correlation id, else the orderId in its body. */
const orderOfPublish = (e: { correlationId?: string; body: string }) => e.correlationId ?? /"orderId":"([^"]+)"/.exec(e.body)?.[1] ?? '?';

/** Orders for which an event of this type was published. */
function ordersWith(run: RunOutcome, eventType: string): Set<string> {
  return new Set(eventsOf(run, 'mq.publish', (e) => e.routingKey === eventType).map(orderOfPublish));
}

function order(run: RunOutcome, id: string): OrderFacts | undefined {
  return orderSagaFacts(run.events).orders.get(id);
}

/** A check result from invariant violations (their events listed). */
function fromViolations(violations: InvariantViolation[], ok: string): CheckResult {
  if (violations.length === 0) return pass(ok);
  const shown = violations.slice(0, 4).map((v) => v.message);
  return {
    passed: false,
    message: `${shown.join('; ')}${violations.length > shown.length ? `; and ${violations.length - shown.length} more` : ''}.`,
    eventSeqs: [...new Set(violations.flatMap((v) => v.eventSeqs))].sort((a, b) => a - b).slice(0, 50),
  };
}

const invariants = (run: RunOutcome, only?: InvariantId[]) => checkOrderSaga(run.events, only ? { only } : {}).violations;

const placedAll = (run: RunOutcome): CheckResult | undefined => {
  const failed = runFailed(run);
  if (failed) return failed;
  const placed = [...orderSagaFacts(run.events).orders.values()].filter((o) => o.placed).map((o) => o.orderId);
  const missing = ORDERS.filter((id) => !placed.includes(id));
  return missing.length > 0 ? fail(`Orders never placed: ${missing.join(', ')} (keep createOrder and its effects.place call).`) : undefined;
};

const example: Example = {
  ...meta,
  summary: 'Order, payment and inventory react to each other\'s events; a refund undoes a charge when the items are missing. But a failed payment leaves its order pending for ever, and a duplicated event charges twice.',
  objectives: [
    'Explain why a distributed transaction becomes a saga: local transactions plus compensations',
    'Follow a choreographed saga through its events, including the compensation path',
    'Find the reaction a choreography is missing, and add it so every order ends completed or cancelled',
    'Make a consumer idempotent under at-least-once delivery, and see why a check-then-act guard is not enough',
  ],
  lesson,
  code,
  seed: 'choreo-1',
  faults: { queues: { [PAYMENT_QUEUE]: { duplicateRate: 0.4 } } },
  expected: [
    {
      id: 'happy-path',
      title: 'order-1 is charged, its book reserved, and it is completed',
      check: (run) => {
        const o = order(run, 'order-1');
        if (!o) return fail('order-1 was never placed.');
        return o.status === 'completed' && o.charges.length === 1 && o.reserves.length === 1
          ? pass('order-1: charged once, reserved, completed.')
          : fail(`order-1 ended "${o.status}" with ${o.charges.length} charge(s) and ${o.reserves.length} reservation(s).`);
      },
    },
    {
      id: 'out-of-stock-compensated',
      title: 'order-3 (no lamps left) is refunded and cancelled: the compensation',
      check: (run) => {
        const o = order(run, 'order-3');
        if (!o) return fail('order-3 was never placed.');
        if (!ordersWith(run, 'ItemsUnavailable').has('order-3')) return fail('The inventory never said ItemsUnavailable for order-3.');
        return o.status === 'cancelled' && o.refunds.length > 0 ? pass('order-3: ItemsUnavailable → refund → PaymentRefunded → cancelled.') : fail(`order-3 ended "${o.status}" with ${o.refunds.length} refund(s).`);
      },
    },
    {
      id: 'payment-failure-stranded',
      title: 'order-2 (declined card) stays pending: nobody handles PaymentFailed',
      check: (run) => {
        const o = order(run, 'order-2');
        if (!o) return fail('order-2 was never placed.');
        if (!ordersWith(run, 'PaymentFailed').has('order-2')) return fail('The payment service never published PaymentFailed for order-2.');
        return o.status === 'pending' ? pass('order-2 is still pending after its payment failed.') : fail(`order-2 ended "${o.status}".`);
      },
    },
  ],
  exercises: [
    {
      id: 'handle-payment-failed',
      title: 'Let a failed payment end its order',
      task: [
        'The payment service publishes `PaymentFailed` when a card is declined (`order-2`), but no service reacts to it, so the order stays `pending` for ever: a customer waits for an order that will never ship.',
        '',
        'Make the order service handle `PaymentFailed` so that **every order ends `completed` or `cancelled`** once nothing more happens. Record the new status with `orderEffects.status(…)` as the other handlers do (the checks read it).',
      ].join('\n'),
      hint: [
        '1. In a choreography every event needs a listener that reacts to it. Which event does the payment service publish for `order-2`, and who subscribes to it?',
        '2. Ask what has to be undone when the payment fails: nothing was charged and nothing reserved, so the reaction is only to end the order.',
        '3. Give `OrderSaga` a handler for that event that sets the status to `cancelled` (through `setStatus`, so the change is recorded), and subscribe the order service to the event.',
        "4. In code: `handlePaymentFailed(event) { this.setStatus(event.data.orderId, 'cancelled'); }` and `await orderBus.subscribe('PaymentFailed', (e) => orderSaga.handlePaymentFailed(e));`.",
      ].join('\n'),
      solution: paymentFailed,
      checks: [
        {
          id: 'no-order-pending',
          title: 'every order ends completed or cancelled',
          check: (run) => placedAll(run) ?? fromViolations(invariants(run, ['order-finished']), `All ${ORDERS.length} orders ended completed or cancelled.`),
        },
        {
          id: 'declined-cancelled',
          title: 'an order whose payment failed is cancelled, and nothing was charged for it',
          check: (run) => {
            const declined = [...ordersWith(run, 'PaymentFailed')];
            if (declined.length === 0) return fail('No PaymentFailed was published: keep order-2 and the card limit.');
            const facts = orderSagaFacts(run.events).orders;
            const wrong = declined.filter((id) => facts.get(id)?.status !== 'cancelled' || (facts.get(id)?.charges.length ?? 0) > 0);
            if (wrong.length === 0) return pass(`${declined.join(', ')}: payment failed, order cancelled, nothing charged.`);
            const events = wrong.flatMap((id) => [facts.get(id)?.placed, facts.get(id)?.statusEvent].filter((e) => e !== undefined));
            return fail(`Payment failed but the order is not cancelled (or was charged): ${wrong.map((id) => `${id} is "${facts.get(id)?.status ?? 'unknown'}"`).join(', ')}.`, events);
          },
        },
      ],
    },
    {
      id: 'idempotent-payment',
      title: 'Charge each order once, however often its event arrives',
      task: [
        `The broker delivers events **at least once**. The fault plan delivers some \`OrderCreated\` events twice on \`${PAYMENT_QUEUE}\`, and the payment service charges each copy: look for the \`duplicate copy\` notes in the Sequence view, then the two \`charge\` effects.`,
        '',
        'Make the payment consumer **idempotent**: a copy of an event it has already handled (or is handling) must be acknowledged without charging again. Every invariant of the order saga must hold at the end, so keep your fix of the first exercise too.',
        '',
        'Write the guard yourself. The bus also has `subscribe(…, { idempotent: true })`, which does the same: use it once you know what it has to get right.',
      ].join('\n'),
      hint: [
        '1. Two copies of one event carry the same `eventId`. The payment service must remember the ids it has handled, and skip a copy whose id it knows.',
        '2. Watch out for timing: the bus hands the payment service up to 10 events at once (prefetch 10), so the copy can arrive while the first one is still waiting for the card network. A check at the top and a write at the end, with an `await` in between, lets both through.',
        '3. So claim the id in the same synchronous step as the check, before any `await`: `if (seen.has(id)) return; seen.add(id);`. If the work then fails, remove the id again so a redelivery can retry.',
        "4. Put that in a small wrapper and subscribe through it: `paymentBus.subscribe('OrderCreated', (e) => once(e, () => paymentSaga.handleOrderCreated(e)))`, the same for `ItemsUnavailable`.",
      ].join('\n'),
      solution: idempotentPayment,
      checks: [
        {
          id: 'charged-once',
          title: 'each order is charged at most once, even for duplicated events',
          check: (run) => {
            const failed = placedAll(run);
            if (failed) return failed;
            const copies = eventsOf(run, 'mq.deliver', (e) => e.queue === PAYMENT_QUEUE && e.redelivered);
            if (copies.length === 0) return fail(`No OrderCreated was delivered twice in this run, so there is nothing to judge: keep the fault plan (duplicateRate on ${PAYMENT_QUEUE}) and seed choreo-1.`);
            return fromViolations(invariants(run, ['charged-once', 'effect-once-per-message']), `${copies.length} duplicate deliveries, no second charge.`);
          },
        },
        {
          id: 'all-invariants',
          title: 'every invariant of the order saga holds (money, stock, statuses, messages)',
          check: (run) => placedAll(run) ?? fromViolations(invariants(run), 'Every invariant of the order saga holds.'),
        },
      ],
    },
    {
      id: 'copies-everywhere',
      title: 'Find the copies that only some schedules deliver',
      task: [
        'Your payment consumer now skips copies, and the example\'s run is clean. But that run duplicates events on one queue only. In production **any** queue may deliver a copy, and which ones do differs from one schedule to the next.',
        '',
        'Start from the solution of the previous exercise (**Load the starting code**), then press **Explore** in the views column: it runs the program over many schedules, each with copies on other queues too (`inventory-service.PaymentCompleted`, `payment-service.ItemsUnavailable`, …). Some schedules break an invariant. Pick a failing invariant, **Shrink** its case to the fewest faults that still break it, and **Replay** it: the Sequence and Sagas views show which copy did the damage.',
        '',
        'Fix every consumer so that **all the order saga\'s invariants hold in all 200 schedules**, then press **Check over 200 schedules**.',
      ].join('\n'),
      hint: [
        '1. In the failing schedules an order holds its items twice, or is refunded twice. Replay the simplest case and look for the `duplicate copy` note before the second effect.',
        '2. A copy of `PaymentCompleted` makes the inventory reserve again; for an order it cannot serve, it publishes `ItemsUnavailable` a second time. That second one is a *new* event with a new id: the payment\'s `once` guard cannot know it is a repeat.',
        '3. So guard the inventory by the event id (claimed before any `await`, as the payment does), and make the refund safe by itself: it checks `payment.refunded` and only sets it after `await sleep(30)`, so two requests for one order both pass. Claim it before the await.',
        "4. In code: in the inventory subscriber, `if (seen.has(event.eventId)) return; seen.add(event.eventId);` first; in `handleItemsUnavailable`, move `payment.refunded = true;` above `await sleep(30)`.",
      ].join('\n'),
      solution: duplicatesEverywhere,
      starter: idempotentPayment,
      explore: { runs: 200, space: { queues: COPIES_EVERYWHERE } },
      checks: [
        {
          id: 'invariants-every-schedule',
          title: 'every invariant of the order saga holds, in every schedule',
          check: (run) => placedAll(run) ?? fromViolations(invariants(run), 'Every invariant of the order saga holds.'),
        },
      ],
    },
  ],
};

export default example;
