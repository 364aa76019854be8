import type { TraceEventOf } from 'playground';
import type { Example, RunOutcome } from '../types.js';
import { eventsOf, fail, pass, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import solution from './solution-answer-at-once.ts?raw';
import meta from './meta.js';

/** Most time the customer may wait for the 202 of the exercise (the solution answers in about 10 ms). */
const ANSWER_WITHIN_MS = 50;
/** The order placed through the asynchronous endpoint. */
const ASYNC_ORDER = 'order-2';

/** The response the client read for its `POST <path>`. */
const clientAnswer = (run: RunOutcome, path: string): TraceEventOf<'http.response'> | undefined =>
  eventsOf(run, 'http.response', (e) => e.target === 'client' && e.method === 'POST' && e.path === path && !e.late)[0];

const statusIn = (body: unknown): unknown => (typeof body === 'object' && body !== null ? (body as { status?: unknown }).status : undefined);

/** The first answer to the client's polling that says the order is completed. */
const completion = (run: RunOutcome, orderId: string) =>
  eventsOf(run, 'http.response', (e) => e.target === 'client' && e.path === `/orders/${orderId}` && statusIn(e.body) === 'completed')[0];

const example: Example = {
  ...meta,
  summary: 'One order flow built twice: a chain of awaited HTTP calls, and an endpoint that answers 202 Accepted while events carry the rest. How long does the customer wait?',
  objectives: [
    'Tell synchronous request/response apart from asynchronous messaging, and name what each couples',
    'Measure client-visible latency of a synchronous chain as the sum of its steps',
    'Answer 202 Accepted with a status URL and let events carry the rest of the work',
    'Explain eventual consistency: the order is "processing" for a while, and the total work does not shrink',
  ],
  lesson,
  code,
  seed: 'styles-1',
  faults: { broker: { latency: { kind: 'fixed', ms: 3 } } },
  expected: [
    {
      id: 'both-complete',
      title: 'both orders end completed',
      check: (run) => {
        const failed = runFailed(run);
        if (failed) return failed;
        const sync = clientAnswer(run, '/orders/sync');
        if (!sync || statusIn(sync.body) !== 'completed') return fail(`The synchronous order should answer "completed"; it answered ${JSON.stringify(sync?.body)}.`, sync ? [sync] : []);
        const done = completion(run, ASYNC_ORDER);
        return done ? pass(`The asynchronous order was seen completed at ${Math.round(done.time)} ms.`) : fail(`${ASYNC_ORDER} never showed "completed" to the polling client.`);
      },
    },
    {
      id: 'async-answers-sooner',
      title: 'the asynchronous endpoint answers the customer at least three times sooner',
      check: (run) => {
        const sync = clientAnswer(run, '/orders/sync');
        const async = clientAnswer(run, '/orders/async');
        if (!sync || !async) return fail('The client should have placed one order on each endpoint.');
        return async.durationMs * 3 <= sync.durationMs
          ? pass(`Synchronous chain: ${Math.round(sync.durationMs)} ms; 202 Accepted: ${Math.round(async.durationMs)} ms.`)
          : fail(`Expected the 202 to come much sooner: ${Math.round(async.durationMs)} ms against ${Math.round(sync.durationMs)} ms for the chain.`, [sync, async]);
      },
    },
  ],
  exercises: [
    {
      id: 'answer-at-once',
      title: 'Accept the order without waiting for anybody',
      task: [
        `The asynchronous endpoint still charges the card before it answers, so the customer waits for the payment service (about 300 ms) and accepting orders depends on payments being up. Make \`POST /orders/async\` answer \`202\` within **${ANSWER_WITHIN_MS} ms**:`,
        '',
        '- the order service records the order and publishes an `OrderCreated` event, then answers;',
        '- the payment service subscribes to `OrderCreated`, charges the card and publishes `OrderPaid`, which the inventory service already listens to;',
        `- \`${ASYNC_ORDER}\` must still reach \`completed\` (the client polls for it).`,
        '',
        'Leave the synchronous endpoint as it is, for the comparison.',
      ].join('\n'),
      hint: [
        '1. To answer before the payment, the order service must stop *waiting* for it: it hands the work over as an event and answers. The payment then happens because the payment service reacts to that event, not because it was called.',
        '2. So two halves change: the endpoint publishes `OrderCreated` instead of calling the payment service, and the payment service subscribes to `OrderCreated` and does what the endpoint used to do (charge, then publish `OrderPaid`).',
        "3. Connect the payment service to the bus like the other services (`await eventBus<OrderEvent>('payment-service')`) and reuse `chargeCard` in its handler; the inventory service already listens to `OrderPaid`.",
        "4. In the endpoint: record the order, `await orderBus.publish({ eventType: 'OrderCreated', data: order })`, then `res.status(202)…`.",
      ].join('\n'),
      solution,
      checks: [
        {
          id: 'fast-202',
          title: `POST /orders/async answers 202 within ${ANSWER_WITHIN_MS} ms`,
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            const answer = clientAnswer(run, '/orders/async');
            if (!answer) return fail('The client got no answer to POST /orders/async.');
            if (answer.status !== 202) return fail(`POST /orders/async answered ${answer.status}; expected 202 Accepted.`, [answer]);
            return answer.durationMs <= ANSWER_WITHIN_MS
              ? pass(`Answered 202 after ${Math.round(answer.durationMs)} ms.`)
              : fail(`The customer waited ${Math.round(answer.durationMs)} ms for the 202; expected at most ${ANSWER_WITHIN_MS} ms. Look at what the order service awaits before it answers.`, [answer]);
          },
        },
        {
          id: 'payment-on-event',
          title: 'the payment service starts on OrderCreated, and the order still completes',
          check: (run) => {
            const created = new Set(eventsOf(run, 'mq.publish', (e) => e.routingKey === 'OrderCreated' && e.body.includes(`"${ASYNC_ORDER}"`)).map((e) => e.messageId));
            const calls = eventsOf(run, 'http.request', (e) => e.source === 'order-service' && e.target === 'payment-service' && JSON.stringify(e.body ?? '').includes(`"${ASYNC_ORDER}"`));
            if (calls.length > 0) return fail(`The order service still calls the payment service over HTTP for ${ASYNC_ORDER} (${calls.length} request(s)).`, calls);
            if (created.size === 0) return fail(`No OrderCreated event for ${ASYNC_ORDER} was published.`);
            const taken = eventsOf(run, 'mq.deliver', (e) => e.source === 'payment-service' && created.has(e.messageId));
            if (taken.length === 0) return fail(`OrderCreated for ${ASYNC_ORDER} was published, but the payment service never received it (no mq.deliver to a payment-service queue).`);
            const done = completion(run, ASYNC_ORDER);
            return done
              ? pass(`The payment service took OrderCreated at ${Math.round(taken[0]!.time)} ms; the order was completed by ${Math.round(done.time)} ms.`)
              : fail(`The payment service received OrderCreated, but ${ASYNC_ORDER} never showed "completed" to the polling client: does OrderPaid still reach the inventory service?`, taken);
          },
        },
      ],
    },
  ],
};

export default example;
