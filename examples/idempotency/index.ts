import type { TraceEventOf } from 'playground';
import type { Example, RunOutcome } from '../types.js';
import { eventsOf, fail, pass, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import idempotencyKey from './solution-idempotency-key.ts?raw';
import dedupe from './solution-deduplicate.ts?raw';
import meta from './meta.js';

type Via = 'http' | 'queue';
type Log = TraceEventOf<'log'>;
const RENEWALS = 'subscription-renewals';

/** The payment service's "charged" log lines (`data: { ref, amount, via }`). */
function charges(run: RunOutcome, via: Via): Log[] {
  return eventsOf(run, 'log', (e) => {
    if (e.source !== 'payment-service' || typeof e.data !== 'object' || e.data === null) return false;
    const d = e.data as { ref?: unknown; via?: unknown };
    return typeof d.ref === 'string' && d.via === via;
  });
}
const refOf = (e: Log) => (e.data as { ref: string }).ref;

/** Charges per reference, for the references that should each be charged once. */
function chargeCounts(run: RunOutcome, via: Via, refs: Iterable<string>) {
  const list = charges(run, via);
  const count = new Map<string, Log[]>();
  for (const r of refs) count.set(r, []);
  for (const c of list) count.get(refOf(c))?.push(c);
  const twice = [...count].filter(([, l]) => l.length > 1);
  const never = [...count].filter(([, l]) => l.length === 0).map(([r]) => r);
  return { count, twice, never };
}

/** Orders the order service paid for (from its requests). */
const paymentRequests = (run: RunOutcome) => eventsOf(run, 'http.request', (e) => e.target === 'payment-service' && e.method === 'POST' && e.path === '/payments');
const orderOf = (e: TraceEventOf<'http.request'>) => String((e.body as { orderId?: unknown } | undefined)?.orderId);

/** Renewal messages published (message id = renewal id). */
const renewalIds = (run: RunOutcome) => new Set(eventsOf(run, 'mq.publish', (e) => e.routingKey === RENEWALS).map((e) => e.messageId));

const describeTwice = (twice: [string, Log[]][]) => twice.map(([r, l]) => `${r} ×${l.length}`).join(', ');

const example: Example = {
  ...meta,
  summary: 'A retried payment request and a redelivered renewal message each charge the customer twice. Make both safe to repeat.',
  objectives: [
    'Explain why retries and at-least-once delivery repeat operations, and which operations that hurts',
    'Make a POST safe to retry with an Idempotency-Key that stays the same across attempts',
    'Make a message consumer idempotent by remembering the ids of processed messages',
    'Say where the processed ids must live for the guarantee to survive a crash',
  ],
  lesson,
  code,
  seed: 'pay-4',
  faults: {
    routes: [{ service: 'payment-service', path: '/payments', latency: { kind: 'uniform', min: 20, max: 1500 } }],
    queues: { [RENEWALS]: { crashBeforeAckRate: 0.3 } },
  },
  expected: [
    {
      id: 'retry-charges-twice',
      title: 'a retried payment request charges an order twice',
      check: (run) => {
        const failed = runFailed(run);
        if (failed) return failed;
        const { twice } = chargeCounts(run, 'http', new Set(paymentRequests(run).map(orderOf)));
        return twice.length > 0 ? pass(`Charged more than once: ${describeTwice(twice)}.`) : fail('Expected a retried request to charge an order twice.');
      },
    },
    {
      id: 'redelivery-charges-twice',
      title: 'a redelivered renewal message charges twice',
      check: (run) => {
        const { twice } = chargeCounts(run, 'queue', renewalIds(run));
        return twice.length > 0 ? pass(`Charged more than once: ${describeTwice(twice)}.`) : fail('Expected a redelivered renewal to be charged twice.');
      },
    },
  ],
  exercises: [
    {
      id: 'idempotency-key',
      title: 'Make the payment request safe to retry',
      task: [
        'When a payment request times out, the order service cannot tell whether the card was charged, so it retries, and the payment service charges again: look at `order-1` in the Sequence view (a *late* response, then a second charge).',
        '',
        'Keep the retries, but make them harmless: the order service sends an **`Idempotency-Key`** header that is the same on every attempt for one payment, and the payment service handles each key once and answers repeats with the first response. Every order must be charged exactly once.',
        '',
        'Do not change `charge()`: the checks count its log lines.',
      ].join('\n'),
      hint: "`idempotencyKeys()` from 'playground' is Express-style middleware: `payments.post('/payments', idempotencyKeys(), handler)`. On the client, pass `headers: { 'Idempotency-Key': … }` in the request config. Build the key from the order, not from the attempt (`payment-${orderId}`): a fresh random key per attempt protects nothing.",
      solution: idempotencyKey,
      checks: [
        {
          id: 'orders-charged-once',
          title: 'every order is charged exactly once',
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            const requests = paymentRequests(run);
            const orders = new Set(requests.map(orderOf));
            if (orders.size === 0) return fail('No payment request reached the payment service.');
            const { twice, never } = chargeCounts(run, 'http', orders);
            if (never.length > 0) return fail(`Never charged: ${never.join(', ')}.`, requests);
            return twice.length === 0
              ? pass(`${orders.size} orders, one charge each.`)
              : fail(`Charged more than once: ${describeTwice(twice)} (see the "charged" log lines and the requests that caused them).`, twice.flatMap(([, l]) => l));
          },
        },
        {
          id: 'same-key-on-retry',
          title: 'every attempt carries an Idempotency-Key, the same for all attempts of one order',
          check: (run) => {
            const requests = paymentRequests(run);
            const missing = requests.filter((e) => !e.headers?.['idempotency-key']);
            if (requests.length === 0) return fail('No payment request reached the payment service.');
            if (missing.length > 0) return fail(`${missing.length} of ${requests.length} payment requests have no Idempotency-Key header.`, missing);
            const keys = new Map<string, Set<string>>();
            for (const e of requests) (keys.get(orderOf(e)) ?? keys.set(orderOf(e), new Set()).get(orderOf(e))!).add(e.headers!['idempotency-key']!);
            const changing = [...keys].filter(([, k]) => k.size > 1);
            if (changing.length > 0) return fail(`The key changes between attempts for ${changing.map(([o]) => o).join(', ')}: a retry with a new key is a new payment.`, requests.filter((e) => changing.some(([o]) => o === orderOf(e))));
            const all = [...keys.values()].map((k) => [...k][0]!);
            return new Set(all).size === all.length ? pass(`${keys.size} orders, one key each, repeated on retries.`) : fail('Two different orders share an Idempotency-Key: the second would get the first one\'s response.', requests);
          },
        },
      ],
    },
    {
      id: 'deduplicate',
      title: 'Make the renewal consumer idempotent',
      task: [
        `The broker delivers each message **at least once**. The fault plan makes the payment service crash after charging a renewal and before its ack reached the broker, so the broker delivers that renewal again (\`redelivered: true\` in the Sequence view) and it is charged a second time.`,
        '',
        'Change the consumer so that a message it has already processed is acknowledged without charging again. Every renewal must be charged exactly once. (The publisher sets `messageId` to the renewal id.) The reference solution keeps the fix of the first exercise too.',
      ].join('\n'),
      hint: "`deduplicate(handler, { key: (msg) => msg.properties.messageId })` from 'playground' wraps a handler: it runs it once per id and returns `{ kind: 'duplicate' }` for a repeat. Ack in both cases. By hand: a `Set` of processed ids, checked before `charge()` and filled after it.",
      solution: dedupe,
      checks: [
        {
          id: 'renewals-charged-once',
          title: 'every renewal is charged exactly once',
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            const ids = renewalIds(run);
            if (ids.size === 0) return fail('No renewal was published.');
            const { twice, never } = chargeCounts(run, 'queue', ids);
            if (never.length > 0) return fail(`Never charged: ${never.join(', ')}: a first delivery must still be processed.`);
            return twice.length === 0 ? pass(`${ids.size} renewals, one charge each.`) : fail(`Charged more than once: ${describeTwice(twice)}.`, twice.flatMap(([, l]) => l));
          },
        },
        {
          id: 'redelivery-acked-without-charge',
          title: 'a redelivered renewal is acknowledged without a new charge',
          check: (run) => {
            const list = charges(run, 'queue');
            const redeliveries = eventsOf(run, 'mq.deliver', (e) => e.queue === RENEWALS && e.redelivered);
            if (redeliveries.length === 0) return fail('No renewal was redelivered in this run, so there is nothing to judge: keep the fault plan (crashBeforeAckRate on subscription-renewals) and use seed pay-4, or another seed whose run shows a crash-before-ack fault.');
            for (const d of redeliveries) {
              const ack = eventsOf(run, 'mq.ack', (a) => a.queue === RENEWALS && a.messageId === d.messageId && a.seq > d.seq)[0];
              const charged = list.filter((c) => refOf(c) === d.messageId && c.seq > d.seq && (!ack || c.seq < ack.seq));
              const chargedBefore = list.some((c) => refOf(c) === d.messageId && c.seq < d.seq);
              if (chargedBefore && charged.length > 0) return fail(`${d.messageId} was already charged, was delivered again, and was charged again.`, [d, ...charged]);
              if (!ack) return fail(`The redelivered ${d.messageId} was never acknowledged: it stays unacked (or comes back) forever.`, [d]);
            }
            return pass(`${redeliveries.length} redelivered message(s) acknowledged without a second charge.`);
          },
        },
      ],
    },
  ],
};

export default example;
