import type { TraceEventOf } from 'playground';
import type { Check, Example, RunOutcome } from '../types.js';
import { eventsOf, fail, pass, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import idempotencyKey from './solution-idempotency-key.ts?raw';
import dedupe from './solution-deduplicate.ts?raw';
import overtakingStart from './start-overtaking-retry.ts?raw';
import overtakingSolution from './solution-overtaking-retry.ts?raw';
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

/** What a charge is for: a renewal id, or for a checkout payment its order and amount (one order may have two payments). */
const chargeKey = (e: Log) => {
  const d = e.data as { ref: string; amount: unknown; via: Via };
  return d.via === 'http' ? `${d.ref} (${String(d.amount)})` : d.ref;
};

/** Charges per payment or renewal, for those that should each be charged once. */
function chargeCounts(run: RunOutcome, via: Via, keys: Iterable<string>) {
  const list = charges(run, via);
  const count = new Map<string, Log[]>();
  for (const k of keys) count.set(k, []);
  for (const c of list) count.get(chargeKey(c))?.push(c);
  const twice = [...count].filter(([, l]) => l.length > 1);
  const never = [...count].filter(([, l]) => l.length === 0).map(([k]) => k);
  return { count, twice, never };
}

/** The order service's payment requests (every attempt). */
const paymentRequests = (run: RunOutcome) => eventsOf(run, 'http.request', (e) => e.target === 'payment-service' && e.method === 'POST' && e.path === '/payments');
/** Which payment a request is an attempt of: its order and amount. */
const paymentOf = (e: TraceEventOf<'http.request'>) => {
  const body = (e.body ?? {}) as { orderId?: unknown; amount?: unknown };
  return `${String(body.orderId)} (${String(body.amount)})`;
};

/** Renewal messages published (message id = renewal id). */
const renewalIds = (run: RunOutcome) => new Set(eventsOf(run, 'mq.publish', (e) => e.routingKey === RENEWALS).map((e) => e.messageId));

const describeTwice = (twice: [string, Log[]][]) => twice.map(([r, l]) => `${r} ×${l.length}`).join(', ');

/** Every HTTP payment is charged exactly once (order-2 makes two payments, both charged). */
const ordersChargedOnce: Check = {
  id: 'orders-charged-once',
  title: 'every payment is charged exactly once (order-2 makes two payments: both are charged)',
  check: (run) => {
    const failed = runFailed(run);
    if (failed) return failed;
    const requests = paymentRequests(run);
    const intended = new Set(requests.map(paymentOf));
    if (intended.size === 0) return fail('No payment request reached the payment service.');
    const { twice, never } = chargeCounts(run, 'http', intended);
    if (never.length > 0)
      return fail(`Never charged: ${never.join(', ')}. A payment the server took for a repeat of another one was lost: repeats must be recognised by their Idempotency-Key, which names one payment, not by the order.`, requests.filter((e) => never.includes(paymentOf(e))));
    return twice.length === 0
      ? pass(`${intended.size} payments, one charge each.`)
      : fail(`Charged more than once: ${describeTwice(twice)} (see the "charged" log lines and the requests that caused them).`, twice.flatMap(([, l]) => l));
  },
};

/** The payment route's latency in the schedules of the overtaking-retry exercise: anywhere from fast to past the client's timeout. */
const SLOW_OR_FAST_PAYMENTS = { routes: [{ service: 'payment-service', path: '/payments', latency: { chance: 1, min: 20, max: 1500 } }] };

const example: Example = {
  ...meta,
  summary: 'A retried payment request and a redelivered renewal message each charge the customer twice. Make both safe to repeat.',
  objectives: [
    'Explain why retries and at-least-once delivery repeat operations, and which operations that hurts',
    'Make a POST safe to retry with an Idempotency-Key that stays the same across attempts',
    'Make a message consumer idempotent by remembering the ids of processed messages',
    'Say where the processed ids must live for the guarantee to survive a crash, and why an external charge also needs the key',
  ],
  lesson,
  code,
  seed: 'pay-4',
  faults: {
    routes: [{ service: 'payment-service', path: '/payments', latency: { kind: 'uniform', min: 20, max: 1500 } }],
    // The payment service's process crashes while it emails the receipt of the fifth renewal, after charging it and before acking it.
    services: { 'payment-service': { down: [{ from: 20_600, to: 21_000 }] } },
  },
  expected: [
    {
      id: 'retry-charges-twice',
      title: 'a retried payment request charges an order twice',
      check: (run) => {
        const failed = runFailed(run);
        if (failed) return failed;
        const { twice } = chargeCounts(run, 'http', new Set(paymentRequests(run).map(paymentOf)));
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
        'Keep the retries, but make them harmless: the order service sends an **`Idempotency-Key`** header that is the same on every attempt of one payment, and the payment service handles each key once and answers repeats with the first response. Mind `order-2`: its customer pays twice on purpose (the order, then gift wrapping), and both payments must go through. Every payment must be charged exactly once.',
        '',
        'Write the key handling in the payment service yourself (a table of keys and their responses); the playground\'s `idempotencyKeys()` middleware does the same and is what to use once you know what it must get right. Do not change `charge()`: the checks count its log lines.',
      ].join('\n'),
      hint: [
        '1. The key names one *payment*: the same on every attempt of it, different for every other payment. Not per attempt (a new key per retry protects nothing), and not per order (order-2 has two payments).',
        "2. Client: make the key once in `payForOrder`, before the loop (`uuid()` from 'playground' gives a seeded UUID), and send it on every attempt: `headers: { 'Idempotency-Key': key }` in the request config.",
        '3. Server: before charging, look the key up. Unknown: remember it, charge, remember the response. Known and finished: answer with the stored response, without charging. Known and still running (a retry that overtook the first attempt): wait for the first attempt\'s response, or answer 409. Same key with another body: refuse it (422).',
        "4. Keep finished responses where they survive a crash of the service (`durableStore('idempotency-keys')`); requests still running can wait on an in-memory `Map` of promises, since they die with the process anyway.",
      ].join('\n'),
      solution: idempotencyKey,
      checks: [
        ordersChargedOnce,
        {
          id: 'same-key-on-retry',
          title: 'every attempt carries an Idempotency-Key, the same for all attempts of one payment and different between payments',
          check: (run) => {
            const requests = paymentRequests(run);
            const missing = requests.filter((e) => !e.headers?.['idempotency-key']);
            if (requests.length === 0) return fail('No payment request reached the payment service.');
            if (missing.length > 0) return fail(`${missing.length} of ${requests.length} payment requests have no Idempotency-Key header.`, missing);
            const keys = new Map<string, Set<string>>();
            for (const e of requests) (keys.get(paymentOf(e)) ?? keys.set(paymentOf(e), new Set()).get(paymentOf(e))!).add(e.headers!['idempotency-key']!);
            const changing = [...keys].filter(([, k]) => k.size > 1);
            if (changing.length > 0) return fail(`The key changes between attempts for ${changing.map(([p]) => p).join(', ')}: a retry with a new key is a new payment.`, requests.filter((e) => changing.some(([p]) => p === paymentOf(e))));
            const all = [...keys.values()].map((k) => [...k][0]!);
            return new Set(all).size === all.length
              ? pass(`${keys.size} payments, one key each, repeated on retries.`)
              : fail('Two different payments share an Idempotency-Key (the two payments of order-2?): the second would get the first one\'s response and never be charged. The key names one payment, not the order.', requests);
          },
        },
      ],
    },
    {
      id: 'deduplicate',
      title: 'Make the renewal consumer idempotent',
      task: [
        `The broker delivers each message **at least once**. The fault plan crashes the payment service's process after it charged a renewal and while it was still emailing the receipt, before its ack; when the process is back, the broker delivers that renewal again (\`redelivered: true\` in the Sequence view) and it is charged a second time.`,
        '',
        'Change the consumer so that a message it has already processed is acknowledged without charging again. Every renewal must be charged exactly once. (The publisher sets `messageId` to the renewal id.) Remember that the crash takes the process\'s memory with it: whatever `onStart` built is new after the restart, and only a `durableStore` survives. The reference solution keeps the fix of the first exercise too.',
      ].join('\n'),
      hint: [
        '1. The consumer must remember which renewals it has charged, and look before charging: a renewal it knows is acknowledged and skipped.',
        '2. The message id is the renewal id (`msg.properties.messageId`), so a redelivered copy has the same one.',
        '3. Ask where the memory lives. A `Set` made in `onStart` is new after the crash, so the redelivered renewal looks unknown. Keep the ids in `durableStore(\'processed-renewals\')`, the service\'s database, which the crash does not touch.',
        "4. Record the id right after `charge()`, before the receipt: the crash comes while the receipt is being sent. Then `if (processed.has(id)) { channel.ack(msg); return; }` at the top. (`deduplicate()` from 'playground' wraps a handler the same way, once you know where its ids must live.)",
      ].join('\n'),
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
            if (redeliveries.length === 0) return fail('No renewal was redelivered in this run, so there is nothing to judge: keep the fault plan (the down window of payment-service, which crashes its process before it acks the fifth renewal).');
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
    {
      id: 'overtaking-retry',
      title: 'Find the retry that overtakes its first attempt',
      task: [
        'The starting code of this exercise (**Load the starting code**) pays with an Idempotency-Key and a payment service that stores each key with its answer. It passes the example\'s run. But the latency of the payment route is different in every schedule.',
        '',
        'Press **Explore** in the views column and let it run: in a few schedules a payment is still charged twice. **Shrink** the case and **Replay** it, then follow that payment in the Sequence view: when did the retry reach the payment service, and what had the first attempt stored by then?',
        '',
        'Fix the payment service so that **every payment is charged exactly once in all 200 schedules**, then press **Check over 200 schedules**.',
      ].join('\n'),
      hint: [
        '1. In the failing schedule the first attempt is slow (it times out at the client) and its retry is fast: the retry reaches the payment service while the first attempt is still charging.',
        '2. The key table only gets the key once the answer is there, after `await charge(…)`. Between the lookup and that write there is an await, so the retry finds nothing and charges too: check-then-act again.',
        '3. Remember running payments by key too, in the same synchronous step as the lookup (before any await). A retry that finds its key running waits for that attempt\'s answer and sends it back.',
        '4. In code: a `Map<string, Promise<Answer>>` of running payments; `const first = running.get(key); if (first) { const a = await first; return res.status(a.status).json(a.body); }`, then `running.set(key, work)` before `await work`, and `running.delete(key)` in a `finally`.',
      ].join('\n'),
      solution: overtakingSolution,
      starter: overtakingStart,
      explore: { runs: 200, space: SLOW_OR_FAST_PAYMENTS },
      checks: [ordersChargedOnce],
    },
  ],
};

export default example;
