import { checkOrderSaga, orderSagaFacts, type InvariantId, type TraceEventOf } from 'playground';
import type { Check, CheckResult, Example, ExploreSpace, RunOutcome } from '../types.js';
import { eventsOf, fail, pass, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import orderSystem from './solution-order-system.ts?raw';
import meta from './meta.js';

const ORDERS = ['order-1', 'order-2', 'order-3', 'order-4', 'order-5'];
/** Over the card limit: payment declines it. */
const DECLINED = 'order-2';
/** Asks for two lamps; the inventory has one. */
const OUT_OF_STOCK = 'order-3';
/** Slowest answer to the client's POST /orders that still counts as "at once" (ms). */
const ACCEPT_WITHIN_MS = 500;
/** Longest timeout a charge attempt may have (ms). */
const MAX_CHARGE_TIMEOUT_MS = 5000;

/**
 * The schedules the capstone is graded over: a payment provider that errs,
 * is slow (past any sensible timeout) or is down for a while, and copies of
 * the events on every queue of the system.
 */
const GRADING_SPACE: ExploreSpace = {
  services: {
    'payment-service': {
      errorRate: { chance: 0.5, min: 0, max: 0.3 },
      down: { chance: 0.3, count: { min: 1, max: 1 }, start: { min: 0, max: 3000 }, length: { min: 100, max: 1500 } },
    },
  },
  routes: [{ service: 'payment-service', path: '/charges', latency: { chance: 0.5, min: 20, max: 1500 } }],
  queues: {
    'inventory-service.OrderPaid': { duplicateRate: { chance: 0.4, min: 0, max: 0.5 } },
    'order-service.ItemsReserved': { duplicateRate: { chance: 0.3, min: 0, max: 0.5 } },
    'order-service.ItemsUnavailable': { duplicateRate: { chance: 0.3, min: 0, max: 0.5 } },
    'notification-service.OrderCompleted': { duplicateRate: { chance: 0.3, min: 0, max: 0.5 } },
  },
};

type Request = TraceEventOf<'http.request'>;
const orderOf = (run: RunOutcome, id: string) => orderSagaFacts(run.events).orders.get(id);

/** Fails when the run did not end cleanly or did not place every order; otherwise undefined. */
function notJudgeable(run: RunOutcome): CheckResult | undefined {
  const failed = runFailed(run);
  if (failed) return failed;
  const facts = orderSagaFacts(run.events).orders;
  const missing = ORDERS.filter((id) => !facts.get(id)?.placed);
  return missing.length > 0 ? fail(`Orders never placed: ${missing.join(', ')} (keep the customers and the order service's effects.place call).`) : undefined;
}

/** A check result from the order saga's invariants. */
function invariantsHold(run: RunOutcome, only: InvariantId[], ok: string): CheckResult {
  const violations = checkOrderSaga(run.events, { only }).violations;
  if (violations.length === 0) return pass(ok);
  const shown = violations.slice(0, 3).map((v) => v.message);
  return {
    passed: false,
    message: `${shown.join('; ')}${violations.length > shown.length ? `; and ${violations.length - shown.length} more` : ''}.`,
    eventSeqs: [...new Set(violations.flatMap((v) => v.eventSeqs))].sort((a, b) => a - b).slice(0, 50),
  };
}

const chargeRequests = (run: RunOutcome) => eventsOf(run, 'http.request', (e) => e.target === 'payment-service' && e.method === 'POST' && e.path === '/charges');
const orderIdOf = (e: Request) => String((e.body as { orderId?: unknown } | undefined)?.orderId);

const accepted: Check = {
  id: 'accepted-202',
  title: `the client gets 202 and a status URL at once (within ${ACCEPT_WITHIN_MS} ms), and asks there`,
  check: (run) => {
    const stop = notJudgeable(run);
    if (stop) return stop;
    const posts = eventsOf(run, 'http.request', (e) => e.source === 'client' && e.method === 'POST' && e.path === '/orders');
    const answers = new Map(eventsOf(run, 'http.response', (e) => e.target === 'client' && e.method === 'POST' && e.path === '/orders').map((e) => [e.requestId, e]));
    for (const post of posts) {
      const answer = answers.get(post.requestId);
      const id = orderIdOf(post);
      if (!answer) return fail(`The client never got an answer to its order ${id}.`, [post]);
      const statusUrl = (answer.body as { statusUrl?: unknown } | undefined)?.statusUrl;
      if (answer.status !== 202) return fail(`Order ${id} was answered ${answer.status}, not 202 Accepted: the client should not wait for the whole order to be processed.`, [answer]);
      if (typeof statusUrl !== 'string' || !statusUrl.startsWith('/')) return fail(`The 202 for ${id} has no statusUrl (a path such as /orders/${id}) in its body.`, [answer]);
      if (answer.durationMs > ACCEPT_WITHIN_MS) return fail(`Order ${id} was answered after ${Math.round(answer.durationMs)} ms: a 202 is given at once, before the work.`, [answer]);
      if (eventsOf(run, 'http.request', (e) => e.source === 'client' && e.method === 'GET' && e.path === statusUrl).length === 0)
        return fail(`The client never asked ${statusUrl} about ${id}: keep the given client, and answer GET on that URL.`, [answer]);
    }
    return pass(`${posts.length} orders accepted with 202 and a status URL the client then asked.`);
  },
};

const paymentProtected: Check = {
  id: 'payment-protected',
  title: `payment is called through a circuit breaker and retries, each attempt with a timeout (at most ${MAX_CHARGE_TIMEOUT_MS / 1000} s)`,
  check: (run) => {
    const stop = notJudgeable(run);
    if (stop) return stop;
    const attempts = chargeRequests(run);
    if (attempts.length === 0) return fail('No charge reached payment-service (POST /charges).');
    const untimed = attempts.filter((e) => !e.timeout || e.timeout > MAX_CHARGE_TIMEOUT_MS);
    if (untimed.length > 0) return fail(`${untimed.length} of ${attempts.length} charge attempts have no timeout of at most ${MAX_CHARGE_TIMEOUT_MS} ms (the request's timeout option).`, untimed);
    const orders = new Set(attempts.map(orderIdOf));
    const breakerCalls = eventsOf(run, 'breaker.call');
    if (breakerCalls.length < orders.size) return fail(`Charges for ${orders.size} orders, but ${breakerCalls.length} calls went through a circuit breaker (circuitBreaker from 'playground').`, attempts);
    const ids = new Set(attempts.map((e) => e.requestId));
    const failedAttempts = [
      ...eventsOf(run, 'http.response', (e) => ids.has(e.requestId) && e.status >= 500 && !e.late),
      ...eventsOf(run, 'http.timeout', (e) => ids.has(e.requestId)),
      ...eventsOf(run, 'http.refused', (e) => ids.has(e.requestId)),
      ...eventsOf(run, 'timeout.fired'),
    ];
    const retries = eventsOf(run, 'retry.scheduled');
    if (failedAttempts.length > 0 && retries.length === 0)
      return fail(`${failedAttempts.length} charge attempts failed (5xx, timeout or refused) and none was retried by a retry policy (retryPolicy from 'playground').`, failedAttempts);
    return pass(`${attempts.length} attempts for ${orders.size} orders, all with a timeout; ${breakerCalls.length} breaker calls; ${retries.length} retries after ${failedAttempts.length} failed attempts.`);
  },
};

const busPerSubscriber: Check = {
  id: 'bus-per-subscriber',
  title: 'inventory and notifications get their work from the event bus, each subscriber from a queue of its own',
  check: (run) => {
    const stop = notJudgeable(run);
    if (stop) return stop;
    const direct = eventsOf(run, 'http.request', (e) => e.target === 'inventory-service' || e.target === 'notification-service');
    if (direct.length > 0) return fail(`${direct.length} HTTP requests went to ${[...new Set(direct.map((e) => e.target))].join(' and ')}: they should react to events instead.`, direct);
    const consumers = new Map<string, Set<string>>();
    for (const d of eventsOf(run, 'mq.deliver')) (consumers.get(d.queue) ?? consumers.set(d.queue, new Set()).get(d.queue)!).add(d.source ?? 'unknown');
    const shared = [...consumers].filter(([, s]) => s.size > 1);
    if (shared.length > 0) return fail(`Queue ${shared[0]![0]} is consumed by ${[...shared[0]![1]].join(' and ')}: each subscriber needs a queue of its own, or they take each other's events.`);
    // The inventory has work once an order is completed; the notifications once any order is finished.
    const finished = [...orderSagaFacts(run.events).orders.values()].filter((o) => o.status === 'completed' || o.status === 'cancelled');
    const fed = (service: string) => [...consumers.values()].some((s) => s.has(service));
    const hungry = [
      ...(finished.some((o) => o.status === 'completed') && !fed('inventory-service') ? ['inventory-service'] : []),
      ...(finished.length > 0 && !fed('notification-service') ? ['notification-service'] : []),
    ];
    if (hungry.length > 0) return fail(`${hungry.join(' and ')} received no event from the bus, though orders were finished.`);
    return pass(`${consumers.size} queues, one subscriber each.`);
  },
};

const sagaCompensates: Check = {
  id: 'saga-compensates',
  title: 'a failed payment or missing stock ends the order cancelled, with every charge refunded and nothing held',
  check: (run) => {
    const stop = notJudgeable(run);
    if (stop) return stop;
    for (const [id, why] of [[DECLINED, 'its payment was declined'], [OUT_OF_STOCK, 'its items are not in stock']] as const) {
      const o = orderOf(run, id)!;
      if (o.status !== 'cancelled') return fail(`${id} ended "${o.status}", but ${why}: the saga must cancel it.`, o.statusEvent ? [o.statusEvent] : []);
    }
    return invariantsHold(run, ['cancelled-order-refunded-and-released', 'completed-order-paid-and-reserved'], `${DECLINED} and ${OUT_OF_STOCK} cancelled; every cancelled order refunded and released, every completed one paid and reserved.`);
  },
};

const chargedOnce: Check = {
  id: 'charged-once',
  title: 'no order is charged twice, and no copy of an event is acted on twice',
  check: (run) => notJudgeable(run) ?? invariantsHold(run, ['charged-once', 'effect-once-per-message', 'stock-conserved'], 'Each order charged at most once; each effect applied once per message.'),
};

const nothingPending: Check = {
  id: 'nothing-pending',
  title: 'every order ends completed or cancelled',
  check: (run) => notJudgeable(run) ?? invariantsHold(run, ['order-finished'], `All ${ORDERS.length} orders ended completed or cancelled.`),
};

const example: Example = {
  ...meta,
  summary: 'Build the order system from the playground\'s parts: 202 and a status URL, a protected payment call, events on the bus, a saga that compensates, idempotent charges, and no order left pending. Graded over many fault schedules.',
  objectives: [
    'Put the module\'s patterns together into one system, and choose where each one goes',
    'Decide which calls are synchronous and which are events, and answer a long request with 202',
    'Protect a remote call with a timeout, retries and a circuit breaker, and make its retries safe with an idempotency key',
    'Keep a saga correct under slow, failing and duplicated messages, and prove it over many schedules',
  ],
  lesson,
  code,
  seed: 'capstone-1',
  faults: { routes: [{ service: 'payment-service', path: '/charges', latency: { kind: 'uniform', min: 20, max: 1300 } }] },
  expected: [
    {
      id: 'synchronous',
      title: 'the client waits for the whole order: 200, not 202',
      check: (run) => {
        const answers = eventsOf(run, 'http.response', (e) => e.target === 'client' && e.method === 'POST' && e.path === '/orders');
        return answers.length === ORDERS.length && answers.every((e) => e.status === 200)
          ? pass(`${answers.length} orders answered 200 once they were processed.`)
          : fail(`Expected ${ORDERS.length} answers of 200, got ${answers.map((e) => e.status).join(', ')}.`);
      },
    },
    {
      id: 'stranded',
      title: `${OUT_OF_STOCK} is paid but never gets its items, and stays unfinished`,
      check: (run) => {
        const o = orderOf(run, OUT_OF_STOCK);
        return o && o.status === 'paid' && o.charges.length > 0 && o.refunds.length === 0
          ? pass(`${OUT_OF_STOCK} is "paid", charged ${o.charges.length} time(s), never refunded.`)
          : fail(`${OUT_OF_STOCK} ended "${o?.status ?? 'unplaced'}".`);
      },
    },
  ],
  exercises: [
    {
      id: 'order-system',
      title: 'Build the order system',
      task: [
        'Meet every requirement of the lesson, from the skeleton in the editor. Each requirement is one check below, judged over many schedules of faults: a slow, failing or restarting payment provider and copies of events on every queue.',
        '',
        '**Check over 200 schedules** is the quick check, to use while you work; **Final grade** runs 1,000. The report lists each requirement with how many schedules broke it and the simplest one that did: **Replay** it, or open **Explore** in the views column to shrink it further.',
      ].join('\n'),
      hint: [
        '1. Go one requirement at a time, in the lesson\'s order, and run the quick check after each: the report says which requirement fails and in which schedule.',
        '2. 202 first: the order handler records the order, answers `202` with a body of `{ orderId, statusUrl }` (the status URL is `/orders/` and the order id) and calls the rest (`void runSaga(order)`) without awaiting it. The given client then asks that URL until the order is finished.',
        "3. Payment: `wrap(retryPolicy(…), circuitBreaker(…), timeoutPolicy(…))` from 'playground', and a `timeout` on the request itself; one `Idempotency-Key` per order (`charge-${orderId}`), sent on every attempt. A 402 is an answer, not a failure: cancel the order.",
        '4. Bus and saga: `eventBus(\'inventory-service\')` subscribes to `OrderPaid` and publishes `ItemsReserved` or `ItemsUnavailable`; the notification service subscribes to `OrderCompleted` and `OrderCancelled`; subscribe with `{ idempotent: true }`. On `ItemsUnavailable`, or a payment with no answer, refund by the key (retry the refund until it is answered), then cancel. The reference solution shows one way.',
      ].join('\n'),
      solution: orderSystem,
      explore: { runs: 200, finalRuns: 1000, space: GRADING_SPACE },
      checks: [accepted, paymentProtected, busPerSubscriber, sagaCompensates, chargedOnce, nothingPending],
    },
  ],
};

export default example;
