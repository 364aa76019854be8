import type { TraceEvent } from 'playground';
import type { Example, RunOutcome } from '../types.js';
import { eventsOf, fail, pass, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import deadLetter from './solution-dead-letter.ts?raw';
import retryTransient from './solution-retry-transient.ts?raw';
import deliveryLimit from './solution-delivery-limit.ts?raw';
import meta from './meta.js';

const QUEUE = 'order-created';
/** The message no consumer can handle (it has no items). */
const POISON = 'order-4';
/** Well-formed orders; with seed `mq-4` the provider answers 503 to the first attempt for order-3. */
const GOOD_ORDERS = ['order-1', 'order-2', 'order-3', 'order-5', 'order-6'];
/** Most deliveries of the poison message we accept before it must be dead-lettered. */
const MAX_POISON_DELIVERIES = 3;
/** Longest time from the poison message's first delivery to its dead-lettering: no pause is worth spending on it. */
const MAX_POISON_MS = 100;
/** Highest `x-delivery-limit` we accept: a poison message should not come back more often than this. */
const MAX_DELIVERY_LIMIT = 5;

/** Broker message ids of the messages published for `orderId`. */
const messageIdsOf = (run: RunOutcome, orderId: string): Set<string> =>
  new Set(eventsOf(run, 'mq.publish', (e) => e.body.includes(`"orderId":"${orderId}"`)).map((e) => e.messageId));

/** Everything the broker did with the messages of `orderId`. */
function messageHistory(run: RunOutcome, orderId: string) {
  const ids = messageIdsOf(run, orderId);
  const about = <E extends { messageId: string }>(list: E[]) => list.filter((e) => ids.has(e.messageId));
  return {
    ids,
    drops: about(eventsOf(run, 'mq.drop')),
    deadLetters: about(eventsOf(run, 'mq.dead-letter')),
    deliveries: about(eventsOf(run, 'mq.deliver', (e) => e.queue === QUEUE)),
    /** Copies that entered a queue by dead-lettering. */
    parked: about(eventsOf(run, 'mq.enqueue', (e) => e.deadLettered === true)),
    /** Copies taken out of a queue again (acked, dropped, dead-lettered further). */
    removed: about(run.events.filter((e): e is Extract<TraceEvent, { messageId: string; queue?: string }> => (e.kind === 'mq.ack' || e.kind === 'mq.drop' || e.kind === 'mq.dead-letter' || e.kind === 'mq.expire'))),
  };
}

/** Orders whose confirmation the email provider accepted (a 2xx answer to a request about them). */
function confirmedOrders(run: RunOutcome): Set<string> {
  const ok = new Set(eventsOf(run, 'http.response', (e) => e.source === 'email-provider' && e.status < 300 && !e.late).map((e) => e.requestId));
  const out = new Set<string>();
  for (const r of eventsOf(run, 'http.request', (e) => e.target === 'email-provider' && ok.has(e.requestId))) {
    const m = /order-\d+/.exec(JSON.stringify(r.body ?? ''));
    if (m) out.add(m[0]);
  }
  return out;
}

const example: Example = {
  ...meta,
  summary: 'Orders go through a durable RabbitMQ queue to the notification service, one at a time. A message it cannot handle is nacked without requeue, and with no dead-letter exchange it is simply gone.',
  objectives: [
    'Publish persistent messages to a durable queue with publisher confirms, and consume them with prefetch 1 and manual acks',
    'Say what a durable queue does not protect against: a lost node (classic queues are not replicated; quorum queues are)',
    'Explain what ack, nack with requeue and nack without requeue do to a message',
    'Catch poison messages in a dead-letter queue instead of losing them',
    'Retry transient failures, and dead-letter only what can never succeed',
    'Let a quorum queue’s delivery limit stop a poison message, and redrive a dead-letter queue once the cause is fixed',
  ],
  lesson,
  code,
  seed: 'mq-4',
  faults: { routes: [{ service: 'email-provider', path: '/send', errorRate: 0.2, errorStatus: 503 }] },
  expected: [
    {
      id: 'poison-dropped',
      title: 'the poison message is nacked and dropped: it is in no queue any more',
      check: (run) => {
        const failed = runFailed(run);
        if (failed) return failed;
        const h = messageHistory(run, POISON);
        return h.drops.some((d) => d.reason === 'rejected')
          ? pass(`${POISON} was rejected and dropped at ${Math.round(h.drops[0]!.time)} ms.`)
          : fail(`Expected the broker to drop ${POISON} after the nack.`);
      },
    },
    {
      id: 'transient-dropped',
      title: 'a message that only met a passing 503 is dropped as well',
      check: (run) => {
        const lost = GOOD_ORDERS.filter((o) => messageHistory(run, o).drops.length > 0);
        return lost.length > 0 ? pass(`Lost although they were fine: ${lost.join(', ')}.`) : fail('Expected a well-formed order to be lost after a 503 from the email provider.');
      },
    },
  ],
  exercises: [
    {
      id: 'dead-letter-queue',
      title: 'Keep the poison message in a dead-letter queue',
      task: [
        `\`${POISON}\` can never be handled, so requeueing it would only loop. But dropping it loses an order confirmation without a trace outside the logs. Give \`${QUEUE}\` a **dead-letter exchange** so that a message nacked without requeue is moved to a dead-letter queue (say \`${QUEUE}.dlq\`), where it waits for a person or a repair job.`,
        '',
        `At the end of the run \`${POISON}\` must be in that queue, and the broker must not have dropped it.`,
      ].join('\n'),
      hint: [
        '1. A dead-letter exchange is a property of the *queue*: the broker republishes there what it would otherwise throw away. Nothing changes in the consumer.',
        '2. The dead letters need somewhere to go: an exchange of their own, a queue for them, and a binding between the two whose key matches the routing key the dead letters will carry.',
        "3. Then declare `order-created` with the options `deadLetterExchange` and `deadLetterRoutingKey`. The queue is declared in two places (`publishMessage` and `consumeMessages`); a second declaration with other arguments is refused with 406, so put the declarations in one method both call.",
        "4. In code: `assertExchange('dead-letters', 'direct', { durable: true })`, `assertQueue('order-created.dlq', { durable: true })`, `bindQueue('order-created.dlq', 'dead-letters', 'order-created')`, then `assertQueue('order-created', { durable: true, deadLetterExchange: 'dead-letters', deadLetterRoutingKey: 'order-created' })`.",
      ].join('\n'),
      solution: deadLetter,
      checks: [
        {
          id: 'poison-dead-lettered',
          title: `${POISON} is dead-lettered, not dropped`,
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            const h = messageHistory(run, POISON);
            if (h.ids.size === 0) return fail(`No message for ${POISON} was published.`);
            if (h.drops.length > 0) return fail(`The broker dropped ${POISON} (reason: ${h.drops[0]!.reason}): the queue has no dead-letter exchange, or it routes nowhere.`, h.drops);
            return h.deadLetters.length > 0
              ? pass(`${POISON} was dead-lettered to '${h.deadLetters[0]!.exchange}' at ${Math.round(h.deadLetters[0]!.time)} ms.`)
              : fail(`Expected an mq.dead-letter event for ${POISON}; it was delivered ${h.deliveries.length} time(s) and never dead-lettered.`, h.deliveries);
          },
        },
        {
          id: 'poison-parked',
          title: `${POISON} is still waiting in a dead-letter queue at the end`,
          check: (run) => {
            const h = messageHistory(run, POISON);
            if (h.parked.length === 0) return fail(`${POISON} never entered a dead-letter queue (no mq.enqueue with deadLettered).`, [...h.drops, ...h.deadLetters]);
            const last = h.parked[h.parked.length - 1]!;
            const gone = h.removed.filter((e) => e.seq > last.seq && (e as { queue?: string }).queue === last.queue);
            return gone.length === 0
              ? pass(`${POISON} is waiting in '${last.queue}'.`)
              : fail(`${POISON} entered '${last.queue}' but was taken out again (${gone[0]!.kind}): a dead-letter queue is for a person to inspect, not for a consumer that acks or drops it.`, [last, ...gone]);
          },
        },
      ],
    },
    {
      id: 'retry-transient',
      title: 'Retry what may pass, dead-letter what never will',
      task: [
        `With the dead-letter queue in place (start from your first solution), look at what else lands in it: \`order-3\`, whose only fault was a **503** from the email provider. A moment later the same request would have worked.`,
        '',
        `Change \`consumeMessages\` so that a **transient** failure (a 5xx answer, a timeout, a refused connection) is tried again a few times with a growing pause, while a message that can never be handled (like \`${POISON}\`) is dead-lettered at once. Every well-formed order must get its confirmation, and \`${POISON}\` must reach the dead-letter queue without waiting: within ${MAX_POISON_MS} ms of its first delivery (a pause spent on a message that can never succeed only holds up the queue behind it).`,
      ].join('\n'),
      hint: [
        '1. Two kinds of failure need two answers: one that may pass if you try again a little later, and one that will fail the same way every time. Only the first deserves a retry; the second goes to the dead-letter queue on its first failure.',
        "2. Decide from the error what kind it is. The HTTP client throws `HttpStatusError` (with `error.response.status`), `HttpTimeoutError` and `HttpConnectionError`, all exported from 'playground'; which of these, with which statuses, are worth another try? What does the handler throw for an order without items?",
        '3. Wrap the call to `handler(content)` in a small loop: on a transient error, wait (200 ms, then 400 ms, then 800 ms) and try again, at most a few times; on any other error, or when the attempts are used up, rethrow so the catch block nacks the message to the dead-letter queue.',
        '4. `nack(msg, false, true)` would also retry, but at once and without a limit: a requeued poison message comes straight back forever.',
      ].join('\n'),
      solution: retryTransient,
      checks: [
        {
          id: 'all-confirmed',
          title: 'every well-formed order is confirmed by the email provider',
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            const confirmed = confirmedOrders(run);
            const missing = GOOD_ORDERS.filter((o) => !confirmed.has(o));
            if (missing.length === 0) return pass(`All ${GOOD_ORDERS.length} well-formed orders were confirmed.`);
            const evidence = missing.flatMap((o) => {
              const h = messageHistory(run, o);
              return [...h.drops, ...h.deadLetters];
            });
            return fail(`No accepted email for ${missing.join(', ')}: the provider's 503 was not retried (see the mq.drop / mq.dead-letter events).`, evidence);
          },
        },
        {
          id: 'poison-parked-quickly',
          title: `${POISON} is dead-lettered at once: within ${MAX_POISON_MS} ms of its first delivery, after at most ${MAX_POISON_DELIVERIES} deliveries`,
          check: (run) => {
            const h = messageHistory(run, POISON);
            if (h.drops.length > 0) return fail(`The broker dropped ${POISON} (${h.drops[0]!.reason}) instead of dead-lettering it.`, h.drops);
            if (h.deliveries.length > MAX_POISON_DELIVERIES) return fail(`${POISON} was delivered ${h.deliveries.length} times: a message that can never be handled should not be retried.`, h.deliveries);
            const first = h.deliveries[0];
            const parked = h.parked[0];
            if (!first || !parked) return fail(`${POISON} never reached a dead-letter queue.`, h.deliveries);
            const waited = parked.time - first.time;
            return waited <= MAX_POISON_MS
              ? pass(`${POISON} was dead-lettered ${Math.round(waited)} ms after its first delivery, after ${h.deliveries.length} delivery(ies).`)
              : fail(`${POISON} reached the dead-letter queue ${Math.round(waited)} ms after its first delivery: it was retried with pauses, although it can never succeed (and the queue behind it waited). Tell it apart from a transient failure and dead-letter it at once.`, [first, parked]);
          },
        },
      ],
    },
    {
      id: 'delivery-limit-redrive',
      title: 'Let the broker count: a delivery limit, then a redrive after the fix',
      task: [
        `A consumer cannot always tell a poison message from a passing failure, and a message that crashes the consumer never reaches its \`catch\` at all. RabbitMQ's **quorum queues** count for you: every time a message comes back to the queue it carries one more in its \`x-delivery-count\` header, and once it has come back more often than the queue's \`x-delivery-limit\`, the broker dead-letters it (reason \`delivery_limit\`).`,
        '',
        `Start from your first solution. Declare \`${QUEUE}\` as a quorum queue with a delivery limit (at most ${MAX_DELIVERY_LIMIT}) and its dead-letter exchange, and have the consumer put back (\`nack\` with requeue) whatever fails. \`${POISON}\` must reach the dead-letter queue by the broker's hand, not the consumer's.`,
        '',
        `Then the fix: once every order has been handled, deploy version 2 of the notification service, which confirms an order without items by its total (the email says \`total 12\` where the item lines would be). Now **redrive** the dead-letter queue: move each of its messages back to \`${QUEUE}\`, and let a message leave the dead-letter queue only once the broker has confirmed it back in \`${QUEUE}\`. In the end every order, \`${POISON}\` included, has its confirmation.`,
      ].join('\n'),
      hint: [
        "1. Two parts: the broker stops the poison message (a queue argument, and a consumer that requeues), and after the fix someone moves the dead letters back (a small loop, run once from `main`).",
        `2. A quorum queue is declared with \`arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 3 }\` next to \`deadLetterExchange\` and \`deadLetterRoutingKey\`. Quorum queues are always durable. In the \`catch\`, \`nack(msg, false, true)\`: the broker counts the returns (\`msg.properties.headers['x-delivery-count']\`, worth a log line).`,
        `3. For the fix, keep a \`let notificationVersion = 1\` that the email code reads: version 1 maps \`order.items\` as before (and fails on \`${POISON}\`), version 2 writes the total when there are no items. In \`main\`, after the wait loop, set it to 2.`,
        `4. Redrive with a confirm channel of its own (say a \`MessageQueue\` for an \`operations\` service): \`for (let msg = await ch.get('${QUEUE}.dlq'); msg; msg = await ch.get('${QUEUE}.dlq')) { ch.sendToQueue('${QUEUE}', msg.content, { persistent: true, headers: msg.properties.headers }); await ch.waitForConfirms(); ch.ack(msg); }\`, then wait for \`${QUEUE}\` to drain again. Ack before the confirm and a failure in between loses the message for good.`,
      ].join('\n'),
      solution: deliveryLimit,
      checks: [
        {
          id: 'poison-delivery-limit',
          title: `the broker dead-letters ${POISON} once it passes the queue's delivery limit (at most ${MAX_DELIVERY_LIMIT})`,
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            const h = messageHistory(run, POISON);
            if (h.ids.size === 0) return fail(`No message for ${POISON} was published.`);
            const left = [...h.deadLetters, ...h.drops].filter((e) => e.queue === QUEUE).sort((a, b) => a.seq - b.seq)[0];
            if (!left) return fail(`${POISON} never left '${QUEUE}' (was it handled? It should fail until the fix).`, h.deliveries);
            if (left.kind === 'mq.drop') return fail(`The broker dropped ${POISON} (${left.reason}): give '${QUEUE}' a dead-letter exchange, so that what passes the delivery limit is kept.`, [left]);
            if (left.reason !== 'delivery_limit')
              return fail(`${POISON} was dead-lettered with reason '${left.reason}': the consumer gave up on it itself. Requeue what fails and let the queue's x-delivery-limit decide.`, [left]);
            const before = h.deliveries.filter((d) => d.seq < left.seq);
            if (before.length > MAX_DELIVERY_LIMIT + 1) return fail(`${POISON} was delivered ${before.length} times before it was dead-lettered: use a delivery limit of at most ${MAX_DELIVERY_LIMIT}.`, before);
            return pass(`${POISON} was delivered ${before.length} times, then dead-lettered by the broker (delivery_limit) at ${Math.round(left.time)} ms.`);
          },
        },
        {
          id: 'dlq-redriven',
          title: `after the fix, ${POISON} is moved back from the dead-letter queue, and leaves it only once the broker confirmed it back`,
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            const h = messageHistory(run, POISON);
            const parked = h.parked[0];
            if (!parked) return fail(`${POISON} never reached a dead-letter queue, so there is nothing to redrive.`, [...h.drops, ...h.deadLetters]);
            const dlq = parked.queue;
            const back = eventsOf(run, 'mq.route', (e) => e.seq > parked.seq && e.queues.includes(QUEUE) && h.ids.has(e.messageId));
            if (back.length === 0) return fail(`${POISON} waited in '${dlq}' but was never sent back to '${QUEUE}'.`, [parked]);
            const acked = eventsOf(run, 'mq.ack', (e) => e.queue === dlq && e.messageId === parked.messageId && e.seq > parked.seq)[0];
            if (!acked) return fail(`${POISON} was sent back to '${QUEUE}', but its copy is still in '${dlq}' (or was dropped there): ack it once it is back.`, [parked, ...back]);
            const confirmed = eventsOf(run, 'mq.confirm', (e) => e.ack && e.seq < acked.seq && back.some((b) => b.messageId === e.messageId));
            return confirmed.length > 0
              ? pass(`${POISON} was sent back to '${QUEUE}' at ${Math.round(back[0]!.time)} ms and left '${dlq}' at ${Math.round(acked.time)} ms, after the broker confirmed it.`)
              : fail(`The copy in '${dlq}' was acked before the broker had confirmed ${POISON} back in '${QUEUE}': had the broker refused it, it would be lost. Wait for the confirm, then ack.`, [acked, ...back]);
          },
        },
        {
          id: 'every-order-confirmed',
          title: `every order, ${POISON} included, is confirmed by the email provider in the end`,
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            const confirmed = confirmedOrders(run);
            const missing = [...GOOD_ORDERS, POISON].filter((o) => !confirmed.has(o));
            return missing.length === 0
              ? pass(`All ${GOOD_ORDERS.length + 1} orders were confirmed.`)
              : fail(`No accepted email for ${missing.join(', ')}.`, missing.flatMap((o) => [...messageHistory(run, o).drops, ...messageHistory(run, o).deadLetters]));
          },
        },
      ],
    },
  ],
};

export default example;
