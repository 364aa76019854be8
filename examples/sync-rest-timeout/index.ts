import type { Example, RunOutcome } from '../types.js';
import { eventsOf, fail, pass, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import solution from './solution-timeout.ts?raw';
import meta from './meta.js';

type Order = { id: string; status: string; waitedMs?: number };
const ordersOf = (result: unknown): Order[] => (Array.isArray(result) ? (result as Order[]) : []);

/** Payment requests that got a definite "no" in time (an error status the order service read, or a refused connection), with their order ids. */
function definiteFailures(run: RunOutcome) {
  const orderOf = new Map(
    eventsOf(run, 'http.request', (e) => e.target === 'payment-service').map((e) => [e.requestId, String((e.body as { orderId?: unknown } | undefined)?.orderId ?? '')]),
  );
  const answered = eventsOf(run, 'http.response', (e) => e.source === 'payment-service' && e.status >= 400 && !e.late);
  const refused = eventsOf(run, 'http.refused', (e) => orderOf.has(e.requestId));
  return [...answered, ...refused].filter((e) => orderOf.has(e.requestId)).map((event) => ({ event, orderId: orderOf.get(event.requestId)! }));
}

const example: Example = {
  ...meta,
  summary: 'The order service waits for the payment service. How long should it wait, and what does a timeout mean?',
  objectives: [
    'Call another service over HTTP and handle its answer',
    'Bound the wait with a timeout that matches what the customer will tolerate',
    'Tell "the payment failed" apart from "we do not know if it was paid"',
  ],
  lesson,
  code,
  seed: 'rest-1',
  faults: { services: { 'payment-service': { latency: { kind: 'uniform', min: 500, max: 8000 } } } },
  expected: [
    {
      id: 'all-paid-slowly',
      title: 'with the 30 s timeout every order gets its real answer (two paid, one card declined), but some customers wait over 2 s',
      check: (run) => {
        const orders = ordersOf(run.result);
        const statuses = orders.map((o) => `${o.id} ${o.status}`).join(', ');
        if (orders.length !== 3 || orders.filter((o) => o.status === 'paid').length !== 2 || orders.filter((o) => o.status === 'failed').length !== 1)
          return fail(`expected 2 paid orders and 1 declined, got ${statuses || JSON.stringify(run.result)}`);
        const slow = orders.filter((o) => (o.waitedMs ?? 0) > 2000);
        return slow.length > 0 ? pass(`${statuses}; ${slow.length} customers waited more than 2 s`) : fail('expected at least one slow payment');
      },
    },
  ],
  exercises: [
    {
      id: 'bound-the-wait',
      title: 'Give up after 2 seconds, honestly',
      task: 'Customers abandon an order page after **2 seconds**. Change `createOrder` so that no order waits more than 2 s for the payment service. A timed-out payment is not known to have failed (look for the *late* responses in the trace): give such orders the status `payment-unknown`, and keep `failed` for real failures, such as the card the payment service declines.',
      hint: [
        '1. Two changes: how long to wait, and what to conclude when the wait is over. They are separate decisions.',
        '2. The bound is the customer\'s patience, 2 s, so the request may take at most that long. Where is the 30 s set today?',
        '3. When the `catch` runs, ask *why* the call failed. If the client stopped waiting, the payment service may still charge the card: the honest status is `payment-unknown`. If the payment service answered with an error (the declined card, a 402) or could not be reached at all, the outcome is known: `failed`.',
        "4. In code: `{ timeout: 2000 }` as the third argument of `http.post`; in the `catch`, `error instanceof HttpTimeoutError` (imported from 'playground') tells the two apart.",
      ].join('\n'),
      solution,
      checks: [
        {
          id: 'timeout-set',
          title: 'every payment request has a timeout of at most 2000 ms',
          check: (run) => {
            const bad = eventsOf(run, 'http.request', (e) => e.target === 'payment-service' && !(e.timeout && e.timeout <= 2000));
            const any = eventsOf(run, 'http.request', (e) => e.target === 'payment-service');
            if (any.length === 0) return fail('No request reached payment-service.');
            return bad.length === 0 ? pass('All payment requests are bounded.') : fail(`${bad.length} payment request(s) have no timeout or one above 2000 ms.`, bad);
          },
        },
        {
          id: 'nobody-waits',
          title: 'no order waits more than 2 s for its payment',
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            const orders = ordersOf(run.result);
            if (orders.length === 0) return fail('main() should return the list of orders.');
            const slow = orders.filter((o) => typeof o.waitedMs !== 'number' || o.waitedMs > 2100);
            return slow.length === 0 ? pass('Every order was answered within 2 s.') : fail(`Orders waited too long: ${slow.map((o) => `${o.id} ${o.waitedMs} ms`).join(', ')}.`);
          },
        },
        {
          id: 'unknown-not-failed',
          title: 'timed-out payments are "payment-unknown", not "failed"',
          check: (run) => {
            const timeouts = eventsOf(run, 'http.timeout', (e) => e.target === 'payment-service');
            if (timeouts.length === 0) return fail('No payment request timed out with this seed: set the timeout first.');
            const orders = ordersOf(run.result);
            const unknown = orders.filter((o) => o.status === 'payment-unknown').length;
            return unknown === timeouts.length
              ? pass(`${unknown} order(s) correctly marked payment-unknown.`)
              : fail(`${timeouts.length} payment(s) timed out but ${unknown} order(s) are "payment-unknown" (statuses: ${orders.map((o) => o.status).join(', ')}).`, timeouts);
          },
        },
        {
          id: 'declined-is-failed',
          title: 'while timeouts are "payment-unknown", a payment the payment service refused (the declined card) is "failed"',
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            if (eventsOf(run, 'http.timeout', (e) => e.target === 'payment-service').length === 0)
              return fail('No payment request timed out with this seed: set the timeout first, then this check compares what a timeout and a refusal lead to.');
            const definite = definiteFailures(run);
            if (definite.length === 0) return fail('No payment request got a definite "no" in time with this seed: keep the payment service as it is (it declines cards above 90).');
            const orders = ordersOf(run.result);
            const wrong = definite.filter((d) => orders.find((o) => o.id === d.orderId)?.status !== 'failed');
            return wrong.length === 0
              ? pass(`${definite.map((d) => d.orderId).join(', ')}: refused, and marked failed.`)
              : fail(`The payment service answered ${wrong.map((d) => `${d.orderId} with ${'status' in d.event ? d.event.status : 'a refused connection'}`).join(', ')}, a definite no, but the order is "${orders.find((o) => o.id === wrong[0]!.orderId)?.status ?? 'missing'}". Only a timeout leaves the outcome unknown.`, wrong.map((d) => d.event));
          },
        },
      ],
    },
  ],
};

export default example;
