import type { Example } from '../types.js';
import { eventsOf, fail, pass, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import solution from './solution-timeout.ts?raw';
import meta from './meta.js';

type Order = { id: string; status: string; waitedMs?: number };
const ordersOf = (result: unknown): Order[] => (Array.isArray(result) ? (result as Order[]) : []);

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
      title: 'with the 30 s timeout every order is paid, but some customers wait over 2 s',
      check: (run) => {
        const orders = ordersOf(run.result);
        if (orders.length !== 3 || orders.some((o) => o.status !== 'paid')) return fail(`expected 3 paid orders, got ${JSON.stringify(orders)}`);
        const slow = orders.filter((o) => (o.waitedMs ?? 0) > 2000);
        return slow.length > 0 ? pass(`${slow.length} customers waited more than 2 s`) : fail('expected at least one slow payment');
      },
    },
  ],
  exercises: [
    {
      id: 'bound-the-wait',
      title: 'Give up after 2 seconds, honestly',
      task: 'Customers abandon an order page after **2 seconds**. Change `createOrder` so that no order waits more than 2 s for the payment service. A timed-out payment is not known to have failed (look for the *late* responses in the trace): give such orders the status `payment-unknown`, and keep `failed` for real failures.',
      hint: 'The third argument of `http.post` takes `{ timeout }` in milliseconds. A timeout rejects with an `HttpTimeoutError` (import it from `playground`); check for it with `instanceof` in the `catch`.',
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
      ],
    },
  ],
};

export default example;
