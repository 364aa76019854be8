import type { Example, Check, RunOutcome } from '../types.js';
import type { TraceEvent, TraceEventOf } from 'playground';
import { eventsOf, fail, pass, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import requestTimeout from './solution-request-timeout.ts?raw';
import policy from './solution-timeout-policy.ts?raw';
import meta from './meta.js';

/** Longest a stock check may stay unanswered at the order service. */
const STOCK_LIMIT_MS = 1000;
/** Longest a customer may wait for the order service. */
const CUSTOMER_LIMIT_MS = 1500;

type Call = { request: TraceEventOf<'http.request'>; end: TraceEvent | undefined; waited: number };

/**
 * Calls from `from` to `to` with how long the caller waited for each: until
 * its response, timeout, cancellation or refusal (or the end of the run).
 */
function calls(run: RunOutcome, from: string, to: string): Call[] {
  const open = new Map<string, Call>();
  const out: Call[] = [];
  const endOfRun = run.events.at(-1)?.time ?? 0;
  for (const e of run.events) {
    if (e.kind === 'http.request' && e.source === from && e.target === to) {
      const call: Call = { request: e, end: undefined, waited: endOfRun - e.time };
      open.set(e.requestId, call);
      out.push(call);
    } else if ((e.kind === 'http.response' && !e.late) || e.kind === 'http.timeout' || e.kind === 'http.canceled' || e.kind === 'http.refused') {
      const call = open.get(e.requestId);
      if (!call) continue;
      open.delete(e.requestId);
      call.end = e;
      call.waited = e.time - call.request.time;
    }
  }
  return out;
}

/** Most calls waiting at the same time. */
function peakInFlight(list: Call[]): number {
  const marks = list.flatMap((c) => [
    { t: c.request.time, d: 1 },
    { t: c.request.time + c.waited, d: -1 },
  ]);
  marks.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let peak = 0;
  for (const m of marks) peak = Math.max(peak, (now += m.d));
  return peak;
}

const stockChecks = (run: RunOutcome) => calls(run, 'order-service', 'inventory-service');
const customerOrders = (run: RunOutcome) => calls(run, 'client', 'order-service');
const ms = (n: number) => `${Math.round(n)} ms`;

const stockCheckBounded: Check = {
  id: 'stock-check-bounded',
  title: `no stock check waits more than ${STOCK_LIMIT_MS} ms for the inventory service`,
  check: (run) => {
    const list = stockChecks(run);
    if (list.length === 0) return fail('No stock check reached inventory-service.');
    const long = list.filter((c) => c.waited > STOCK_LIMIT_MS + 0.5).sort((a, b) => b.waited - a.waited);
    if (long.length > 0)
      return fail(
        `Expected every stock check to end within ${STOCK_LIMIT_MS} ms, but ${long.length} waited longer (the longest ${ms(long[0]!.waited)}, sent at ${ms(long[0]!.request.time)}); ` +
          `at the worst moment ${peakInFlight(list)} stock checks were waiting at once.`,
        long.map((c) => c.request),
      );
    const givenUp = list.filter((c) => c.end && (c.end.kind === 'http.timeout' || c.end.kind === 'http.canceled'));
    if (givenUp.length === 0) return fail('No stock check timed out: the inventory service is meant to stay slow between 4 s and 12 s, and the order service must stop waiting for it.');
    return pass(`${givenUp.length} stock checks were given up after ${STOCK_LIMIT_MS} ms; at most ${peakInFlight(list)} were waiting at once.`);
  },
};

const customersAnsweredFast: Check = {
  id: 'customers-answered-fast',
  title: `every customer gets an answer within ${CUSTOMER_LIMIT_MS} ms`,
  check: (run) => {
    const failed = runFailed(run);
    if (failed) return failed;
    const list = customerOrders(run);
    if (list.length === 0) return fail('No orders were placed.');
    const slow = list.filter((c) => !c.end || c.end.kind !== 'http.response' || c.waited > CUSTOMER_LIMIT_MS).sort((a, b) => b.waited - a.waited);
    return slow.length === 0
      ? pass(`All ${list.length} customers were answered within ${CUSTOMER_LIMIT_MS} ms (the slowest after ${ms(Math.max(...list.map((c) => c.waited)))}).`)
      : fail(`Expected every customer to be answered within ${CUSTOMER_LIMIT_MS} ms, but ${slow.length} of ${list.length} waited longer (up to ${ms(slow[0]!.waited)}).`, slow.map((c) => c.request));
  },
};

const example: Example = {
  ...meta,
  summary: 'The inventory service stalls for eight seconds. Without a timeout, the order service keeps every customer waiting and its stock checks pile up.',
  objectives: [
    'See how a slow dependency turns into waiting requests that pile up at the caller',
    'Bound every remote call with a timeout chosen from what the caller can afford',
    'Use a timeout policy and pass its signal on, so a call is cancelled and not just abandoned',
    'Know that a timeout frees the caller, not the callee',
  ],
  lesson,
  code,
  seed: 'timeouts-1',
  // A slowish network between the two (the stall itself is the lock in the inventory service's code).
  faults: { links: [{ from: 'order-service', to: 'inventory-service', latency: { kind: 'uniform', min: 5, max: 40 } }] },
  expected: [
    {
      id: 'pile-up',
      title: 'without a timeout, stock checks pile up at the order service',
      check: (run) => {
        const peak = peakInFlight(stockChecks(run));
        return peak >= 30 ? pass(`${peak} stock checks were waiting at once.`) : fail(`Expected a pile-up; at most ${peak} stock checks were waiting at once.`);
      },
    },
    {
      id: 'customers-wait',
      title: 'customers wait for seconds',
      check: (run) => {
        const longest = Math.max(0, ...customerOrders(run).map((c) => c.waited));
        return longest > 5000 ? pass(`The longest wait was ${ms(longest)}.`) : fail(`Expected customers to wait over 5 s; the longest wait was ${ms(longest)}.`);
      },
    },
  ],
  exercises: [
    {
      id: 'request-timeout',
      title: 'Stop waiting after a second',
      task: [
        'Customers will not wait more than about a second and a half for their order. Bound the stock check so that the order service stops waiting for the inventory service after **1000 ms** and answers the customer (the `catch` already answers 503).',
        '',
        `Done when: no stock check waits more than ${STOCK_LIMIT_MS} ms and every customer is answered within ${CUSTOMER_LIMIT_MS} ms, while the inventory service stays just as slow.`,
      ].join('\n'),
      hint: [
        '1. Without a timeout the order service waits as long as the inventory service takes. The bound comes from the customer: about 1.5 s for the whole answer, so the stock check may take 1000 ms at most.',
        '2. The HTTP client can enforce that itself, per request.',
        '3. A request that runs out of time rejects with an `HttpTimeoutError`; the existing `catch` already turns any failure into the 503 answer.',
        '4. In code: the third argument of `orders.http.get` is a config object: `{ timeout: 1000 }`.',
      ].join('\n'),
      solution: requestTimeout,
      checks: [stockCheckBounded, customersAnsweredFast],
    },
    {
      id: 'timeout-policy',
      title: 'Use a timeout policy, and pass its signal on',
      task: [
        'A timeout can also wrap a call from outside: `timeoutPolicy({ timeoutMs })` from `playground` runs a function with a time limit, and can be combined with a retry or a breaker in `wrap(…)`.',
        '',
        'Run the stock check through `timeoutPolicy({ name: \'stock-timeout\', timeoutMs: 1000 })` (without a `timeout` on the request itself). The policy tells the call to stop by aborting the `signal` it hands to your function: the request must listen to it, or nothing stops.',
        '',
        'Done when: the policy fires, each time it fires the request is cancelled, no stock check waits more than 1000 ms and every customer is answered within 1500 ms.',
      ].join('\n'),
      hint: [
        '1. A timeout policy does not stop the call by itself: it *asks* it to stop, by aborting a signal, and then waits for it to end (a cooperative timeout).',
        "2. So two things are needed: run the stock check inside the policy's `execute`, and hand the request the `signal` the policy gives you.",
        '3. Try it once without passing `signal`: the policy fires, yet the customers still wait for the inventory service, because nothing listened.',
        "4. In code: `stockTimeout.execute(({ signal }) => orders.http.get(url, { signal }))`, with no `timeout` on the request itself.",
      ].join('\n'),
      solution: policy,
      checks: [
        {
          id: 'policy-cancels',
          title: 'the timeout policy fires and each time cancels its request',
          check: (run) => {
            const fired = eventsOf(run, 'timeout.fired');
            const canceled = eventsOf(run, 'http.canceled', (e) => e.source === 'order-service' && e.target === 'inventory-service');
            if (fired.length === 0) return fail('No timeout.fired event: the stock check does not run under timeoutPolicy({ … }) yet, or its limit is never reached.');
            return canceled.length >= fired.length
              ? pass(`The policy fired ${fired.length} times and cancelled ${canceled.length} stock checks.`)
              : fail(`The policy fired ${fired.length} times but only ${canceled.length} requests were cancelled: the request does not get the policy's signal, so it keeps waiting.`, fired);
          },
        },
        stockCheckBounded,
        customersAnsweredFast,
      ],
    },
  ],
};

export default example;
