import type { TraceEventOf } from 'playground';
import type { CheckResult, Example, RunOutcome } from '../types.js';
import { eventsOf, fail, pass, resultObject, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import outboxSolution from './solution-outbox.ts?raw';
import relayDuplicates from './solution-relay-duplicates.ts?raw';
import meta from './meta.js';

/** The order whose commit acknowledgement the fault plan's crash interrupts. */
const CRASHED = 'order-3';

type Log = TraceEventOf<'log'>;

/** The orders in the order service's database at the end, as `main()` reports them. */
function savedOrders(run: RunOutcome): string[] | undefined {
  const saved = resultObject(run)?.['saved'];
  return Array.isArray(saved) && saved.every((s) => typeof s === 'string') ? (saved as string[]) : undefined;
}

/** The warehouse's "shipped" log lines, by order. */
function shipmentsByOrder(run: RunOutcome): Map<string, Log[]> {
  const out = new Map<string, Log[]>();
  for (const e of eventsOf(run, 'log', (l) => l.source === 'warehouse-service' && l.message.startsWith('shipped'))) {
    const orderId = (e.data as { orderId?: unknown } | undefined)?.orderId;
    if (typeof orderId !== 'string') continue;
    out.set(orderId, [...(out.get(orderId) ?? []), e]);
  }
  return out;
}

/** Runs `then` with the saved orders and the shipments, once the run itself is fine. */
function withOrders(run: RunOutcome, then: (saved: string[], shipped: Map<string, Log[]>) => CheckResult): CheckResult {
  const failed = runFailed(run);
  if (failed) return failed;
  const saved = savedOrders(run);
  if (!saved) return fail("main() should return the saved orders as `saved` (the ids in the orders table): keep main() as it is.");
  if (saved.length === 0) return fail('No order was saved.');
  return then(saved, shipmentsByOrder(run));
}

/** OrderPlaced events the broker received more than once (same id): the relay's repeats. */
function republished(run: RunOutcome): TraceEventOf<'mq.publish'>[][] {
  const byId = new Map<string, TraceEventOf<'mq.publish'>[]>();
  for (const e of eventsOf(run, 'mq.publish', (p) => p.routingKey === 'OrderPlaced')) byId.set(e.messageId, [...(byId.get(e.messageId) ?? []), e]);
  return [...byId.values()].filter((list) => list.length > 1);
}

const example: Example = {
  ...meta,
  summary: 'The order service saves an order, then publishes OrderPlaced. A crash between the two loses the event for good. Move to a transactional outbox, then make the warehouse tolerate the duplicates an outbox relay sends.',
  objectives: [
    'Say what a publisher confirm promises, and why an unroutable message is confirmed too (and how the mandatory flag and the return event catch it)',
    'Explain the dual write: why saving and then publishing (or the other way round) loses or invents events when a process crashes between the two',
    'Write state and event in one transaction with a transactional outbox, and publish it with a relay',
    'Name how an outbox relay fails (duplicates, order, lag) and make a consumer tolerate its duplicates',
  ],
  lesson,
  code,
  seed: 'publisher-1',
  faults: {
    // The order service's process crashes 1 ms after the database committed order-3, while the acknowledgement is on its way back.
    services: { 'order-service': { down: [{ from: 682, to: 900 }] } },
  },
  expected: [
    {
      id: 'saved-never-shipped',
      title: `${CRASHED} is saved but never announced, so never shipped`,
      check: (run) =>
        withOrders(run, (saved, shipped) =>
          saved.includes(CRASHED) && !shipped.has(CRASHED) ? pass(`${CRASHED} is in the orders table; the warehouse never heard of it.`) : fail(`Expected ${CRASHED} to be saved and never shipped.`),
        ),
    },
    {
      id: 'customer-told-error',
      title: `the customer of ${CRASHED} got an error although the order was saved`,
      check: (run) => {
        const told = (resultObject(run)?.['told'] as Record<string, unknown> | undefined)?.[CRASHED];
        return typeof told === 'string' ? pass(`${CRASHED}: the customer saw "${told}".`) : fail(`Expected the customer of ${CRASHED} to see an error, got ${String(told)}.`);
      },
    },
  ],
  exercises: [
    {
      id: 'outbox',
      title: 'Save the order and its event in one transaction',
      task: [
        `The order service writes to two systems, one after the other: the order to its database, then OrderPlaced to the broker. The fault plan crashes its process in between, while the database's acknowledgement of \`${CRASHED}\` is on its way back: the order is saved, the event never leaves, and the warehouse never ships it.`,
        '',
        'Replace the dual write with a **transactional outbox**: write the order and its OrderPlaced event in the same transaction of the order service\'s database, and let a relay publish what the outbox holds. Every saved order must be shipped, and nothing may be shipped that was not saved. Keep the fault plan, `commit()` and `main()`: the checks read what `main()` returns.',
      ].join('\n'),
      hint: [
        '1. Two writes to two systems cannot be made atomic by ordering them or retrying them: a crash between them always leaves one without the other. Make it one write, to one system: the database.',
        "2. The database here is the playground's `outbox('order-service')`: besides `tx.set(table, key, value)`, a transaction has `tx.publish(event)`, which stores the event in the outbox table, committed with the rest or not at all.",
        "3. In the handler: `await commit((tx) => { tx.set('orders', id, order); tx.publish({ eventType: 'OrderPlaced', data: order }); })`, and no `bus.publish` any more.",
        "4. Something must now publish the outbox: `new OutboxRelay(db, bus).start()` (import `OutboxRelay` from 'playground'), once, at the top level. It publishes pending events oldest first, waits for the broker's confirm, and marks each one sent.",
      ].join('\n'),
      solution: outboxSolution,
      checks: [
        {
          id: 'orders-and-shipments-agree',
          title: 'every order in the orders table is shipped, and nothing is shipped that was not saved',
          check: (run) =>
            withOrders(run, (saved, shipped) => {
              const missing = saved.filter((id) => !shipped.has(id));
              if (missing.length > 0)
                return fail(`Saved but never shipped: ${missing.join(', ')}. Its OrderPlaced event was lost when the process crashed between saving and publishing.`);
              const ghosts = [...shipped.keys()].filter((id) => !saved.includes(id));
              if (ghosts.length > 0)
                return fail(`Shipped but never saved: ${ghosts.join(', ')}. Publishing before saving is the same dual write the other way round: a crash between the two announces an order that does not exist.`, ghosts.flatMap((id) => shipped.get(id) ?? []));
              return pass(`All ${saved.length} saved orders were shipped, and only those.`);
            }),
        },
        {
          id: 'event-committed-with-order',
          title: 'each commit that saves an order also stores its OrderPlaced event (one transaction)',
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            const commits = eventsOf(run, 'outbox.commit', (c) => c.outbox === 'order-service' && c.writes > 0);
            if (commits.length === 0) return fail("No transaction of the order service's database committed anything.");
            const without = commits.filter((c) => c.eventIds.length === 0);
            return without.length === 0
              ? pass(`${commits.length} commits, each with its event in the outbox.`)
              : fail(`${without.length} of ${commits.length} commits saved an order without storing its event: the event is still sent by a second, separate write. Use tx.publish(…) inside the transaction.`, without);
          },
        },
      ],
    },
    {
      id: 'relay-duplicates',
      title: "Tolerate the relay's duplicates",
      task: [
        'An outbox relay publishes an event, waits for the broker\'s confirm, then marks the row sent. If it crashes between the confirm and the mark, it publishes the same event again after its restart: delivery is at least once.',
        '',
        'Start from your outbox solution and give the relay `{ crashAfterPublishRate: 0.3 }` (it then crashes after about every third publish, and comes back a second later). Make the warehouse ship every saved order **exactly once**: recognise a repeated event and acknowledge it without shipping again. Keep the crashes: the checks require the relay to have repeated itself.',
      ].join('\n'),
      hint: [
        "1. A repeat from the relay is not a redelivery of the broker: it is a new publish of the same event. The broker cannot tell, and `msg.fields.redelivered` is false. Only the event's own id (`event.eventId`, the same in both publishes) says it is the same event.",
        '2. So the warehouse needs a table of the event ids it has handled. Before shipping, look the id up: known, do nothing (the bus acknowledges the message when the handler returns); unknown, record it and ship.',
        "3. Keep the table where a crash of the warehouse cannot wipe it: `durableStore('warehouse-handled-events')` from 'playground' (memory would forget exactly when a redelivery comes). The next example goes further: recording the id in the same transaction as the effect.",
        "4. In code, with no `await` between the three lines (so that nothing can come in between): `if (handled.has(event.eventId)) return; handled.set(event.eventId, { orderId }); shipments.push(orderId)`. (The bus's `subscribe(…, { idempotent: true })` option keeps such a table in memory.)",
      ].join('\n'),
      solution: relayDuplicates,
      checks: [
        {
          id: 'every-saved-order-shipped-once',
          title: 'every saved order is shipped exactly once',
          check: (run) =>
            withOrders(run, (saved, shipped) => {
              const missing = saved.filter((id) => !shipped.has(id));
              if (missing.length > 0) return fail(`Saved but never shipped: ${missing.join(', ')}.`);
              const twice = [...shipped].filter(([, lines]) => lines.length > 1);
              return twice.length === 0
                ? pass(`${saved.length} orders, one shipment each.`)
                : fail(`Shipped more than once: ${twice.map(([id, l]) => `${id} ×${l.length}`).join(', ')}. The relay published the same event again; the warehouse took it for a new one.`, twice.flatMap(([, l]) => l));
            }),
        },
        {
          id: 'relay-repeated-itself',
          title: 'the relay crashed after publishing and published an event again (so the duplicate check was put to the test)',
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            const crashes = eventsOf(run, 'fault', (f) => f.fault === 'relay-crash');
            if (crashes.length === 0) return fail('The outbox relay never crashed, so nothing was published twice and there was nothing to tolerate. Give the relay { crashAfterPublishRate: 0.3 }.');
            const repeats = republished(run);
            return repeats.length > 0
              ? pass(`The relay crashed ${crashes.length} time(s) and published ${repeats.length} event(s) twice.`)
              : fail('The relay crashed, but no OrderPlaced event was published twice.', crashes);
          },
        },
      ],
    },
  ],
};

export default example;
