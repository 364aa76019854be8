import type { TraceEventOf } from 'playground';
import type { CheckResult, Example, RunOutcome } from '../types.js';
import { eventsOf, fail, pass, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import handledEvents from './solution-handled-events.ts?raw';
import orderState from './solution-order-state.ts?raw';
import meta from './meta.js';

const QUEUE = 'inventory.order-events';
const ORDERS = ['order-1', 'order-2', 'order-3', 'order-4', 'order-5', 'order-6'];
/** Cancelled by the support desk: order-2 twice, order-5 before its OrderCreated was published. */
const CANCELLED = new Set(['order-2', 'order-5']);

type Log = TraceEventOf<'log'>;
type Change = 'reserve' | 'release';

/** The inventory's stock changes, as its log lines (written inside each transaction) record them. */
function stockChanges(run: RunOutcome): (Log & { data: { orderId: string; change: Change } })[] {
  return eventsOf(run, 'log', (e) => {
    if (e.source !== 'inventory-service') return false;
    const d = e.data as { orderId?: unknown; change?: unknown } | undefined;
    return typeof d?.orderId === 'string' && (d.change === 'reserve' || d.change === 'release');
  }) as (Log & { data: { orderId: string; change: Change } })[];
}

/** Changes per order. */
function changesByOrder(run: RunOutcome) {
  const out = new Map<string, ReturnType<typeof stockChanges>>();
  for (const c of stockChanges(run)) out.set(c.data.orderId, [...(out.get(c.data.orderId) ?? []), c]);
  return out;
}

/** Fails when the run failed or the inventory changed no stock at all. */
function precondition(run: RunOutcome): CheckResult | undefined {
  const failed = runFailed(run);
  if (failed) return failed;
  if (stockChanges(run).length === 0) return fail("The inventory logged no stock change. Keep the log lines in reserve() and release(): the checks count them.");
  return undefined;
}

/** The order an event on the queue is about (the message body is the event as JSON). */
function orderOfMessage(run: RunOutcome, messageId: string): string | undefined {
  const published = eventsOf(run, 'mq.publish', (e) => e.messageId === messageId)[0];
  return published ? /order-\d+/.exec(published.body)?.[0] : undefined;
}

const example: Example = {
  ...meta,
  summary: 'An inventory service reserves stock on OrderCreated and releases it on OrderCancelled. A crash before the ack, a double click at the support desk and a cancellation that overtakes its order each leave the stock wrong.',
  objectives: [
    'Record handled event ids in the same transaction as the effect, in a table with the id as its unique key',
    'Say how long to keep those ids, and what a too short or too long retention costs',
    'Tell a duplicate message from a repeated business fact, and decide by the business key and state',
    'Handle events that arrive out of order (a cancellation before its order) with a state check or a version',
  ],
  lesson,
  code,
  seed: 'consumers-1',
  faults: {
    // The inventory's process crashes right after the database committed order-3's reservation, before the ack.
    services: { 'inventory-service': { down: [{ from: 1065, to: 1300 }] } },
  },
  expected: [
    {
      id: 'redelivery-reserves-twice',
      title: "order-3's redelivered OrderCreated reserves its stock a second time",
      check: (run) => {
        const n = changesByOrder(run).get('order-3')?.filter((c) => c.data.change === 'reserve').length ?? 0;
        return n > 1 ? pass(`order-3 reserved ${n} times.`) : fail('Expected order-3 to be reserved twice.');
      },
    },
    {
      id: 'double-cancel-releases-twice',
      title: "the support desk's double click releases order-2's stock twice",
      check: (run) => {
        const n = changesByOrder(run).get('order-2')?.filter((c) => c.data.change === 'release').length ?? 0;
        return n > 1 ? pass(`order-2 released ${n} times.`) : fail('Expected order-2 to be released twice.');
      },
    },
    {
      id: 'early-cancel-keeps-stock',
      title: 'order-5, cancelled before it arrived, ends up holding stock',
      check: (run) => {
        const list = changesByOrder(run).get('order-5') ?? [];
        return list[list.length - 1]?.data.change === 'reserve' ? pass('order-5 was released before it was reserved, and then reserved.') : fail('Expected order-5 to end with a reservation.');
      },
    },
  ],
  exercises: [
    {
      id: 'handled-events',
      title: 'Remember handled events in the same transaction',
      task: [
        "The fault plan crashes the inventory's process right after its database committed the reservation for `order-3`, before the message was acknowledged. The broker, doing its job, delivers it again, and the stock is reserved twice.",
        '',
        'Give the inventory a table of handled events, keyed by the event\'s id, kept in its database and written **in the same transaction** as the stock change. A repeat of a handled event is acknowledged without changing anything. Keep `commit()`, `reserve()` and `release()` and their log lines: the checks count them.',
      ].join('\n'),
      hint: [
        '1. The redelivered message is the same event: same `eventId` in the body (the bus also used it as the AMQP `messageId`). Remembering which ids were handled turns the second delivery into a no-op.',
        "2. Where: the inventory's database (`db`), which survives the crash; a `Set` built in `onStart` is gone exactly when the redelivery comes.",
        '3. When: in the same transaction as the change. With a separate write after it, a crash between the two leaves the change made and the id unrecorded, the very gap you are closing.',
        "4. In `handle`, one `commit((tx) => { … })`: `if (tx.get('handled-events', event.eventId)) return;` then `tx.set('handled-events', event.eventId, { handledAt: now() })` and `reserve(tx, …)` or `release(tx, …)`.",
      ].join('\n'),
      solution: handledEvents,
      checks: [
        {
          id: 'no-double-reservation',
          title: 'no order is reserved more than once',
          check: (run) => {
            const bad = precondition(run);
            if (bad) return bad;
            for (const [orderId, list] of changesByOrder(run)) {
              const reserves = list.filter((c) => c.data.change === 'reserve');
              if (reserves.length > 1) return fail(`${orderId} was reserved ${reserves.length} times: a redelivered OrderCreated was taken for a new one.`, reserves);
            }
            return pass('Every order was reserved at most once.');
          },
        },
        {
          id: 'redelivery-acknowledged',
          title: 'the redelivered message is acknowledged without a stock change',
          check: (run) => {
            const bad = precondition(run);
            if (bad) return bad;
            const redeliveries = eventsOf(run, 'mq.deliver', (e) => e.queue === QUEUE && e.redelivered);
            if (redeliveries.length === 0) return fail("Nothing was redelivered in this run, so there is nothing to judge: keep the fault plan (the inventory's down window).");
            const changes = stockChanges(run);
            for (const d of redeliveries) {
              const ack = eventsOf(run, 'mq.ack', (a) => a.queue === QUEUE && a.messageId === d.messageId && a.seq > d.seq)[0];
              if (!ack) return fail(`The redelivered message ${d.messageId} was never acknowledged.`, [d]);
              const orderId = orderOfMessage(run, d.messageId);
              const between = changes.filter((c) => c.seq > d.seq && c.seq < ack.seq && c.data.orderId === orderId);
              if (between.length > 0) return fail(`${orderId}'s redelivered event changed the stock again before it was acknowledged.`, [d, ...between, ack]);
            }
            return pass(`${redeliveries.length} redelivered message(s) acknowledged without a stock change.`);
          },
        },
      ],
    },
    {
      id: 'order-state',
      title: 'Decide by the order, not only by the message',
      task: [
        'Start from your first solution. Two problems remain, and neither is a duplicate message:',
        '',
        '- A support agent clicked "cancel" twice for `order-2`: two OrderCancelled events with two different ids. The handled-events table lets both through, and the stock is released twice.',
        "- `order-5` was cancelled before the order service's relay published its OrderCreated: the cancellation releases stock that was never reserved, then the late OrderCreated reserves it for an order that no longer exists.",
        '',
        'Make the inventory decide from what it knows about each **order**: an order is reserved at most once, released only while it holds a reservation, and an order cancelled before it was seen must not be reserved when its OrderCreated comes. At the end, every live order holds its reservation and the cancelled ones (`order-2`, `order-5`) hold nothing.',
      ].join('\n'),
      hint: [
        '1. An event id tells copies of one message apart; it says nothing about two messages that mean the same thing. For those, the key is the business one: the order id, and what has already happened to that order.',
        "2. Keep each order's state in the inventory's database (say a table `order-states`: `'reserved'` or `'cancelled'`), read and written in the same transaction as the stock change.",
        "3. OrderCreated: reserve only if the order has no state yet. OrderCancelled: release only if it is `'reserved'`; if the order is unknown, release nothing but record `'cancelled'`, so that its OrderCreated, when it comes, changes nothing. Cancelled is final.",
        '4. With one publisher per order, a version number in each event (ignore anything not newer than what you have) does the same job. Here two services publish about the same order, so nobody can number their events in one sequence: the state check is what works.',
      ].join('\n'),
      solution: orderState,
      checks: [
        {
          id: 'each-order-holds-what-it-should',
          title: 'at the end, each live order holds one reservation and order-2 and order-5 hold none',
          check: (run) => {
            const bad = precondition(run);
            if (bad) return bad;
            const byOrder = changesByOrder(run);
            for (const orderId of ORDERS) {
              const list = byOrder.get(orderId) ?? [];
              const net = list.reduce((n, c) => n + (c.data.change === 'reserve' ? 1 : -1), 0);
              const want = CANCELLED.has(orderId) ? 0 : 1;
              if (net !== want)
                return fail(`${orderId} ${CANCELLED.has(orderId) ? 'is cancelled and should hold nothing' : 'should hold one reservation'}, but it was reserved ${list.filter((c) => c.data.change === 'reserve').length} and released ${list.filter((c) => c.data.change === 'release').length} time(s).`, list);
            }
            return pass('Every live order holds one reservation; the cancelled ones hold nothing.');
          },
        },
        {
          id: 'no-release-without-reservation',
          title: 'stock is released only for an order that holds a reservation at that moment',
          check: (run) => {
            const bad = precondition(run);
            if (bad) return bad;
            const holding = new Map<string, number>();
            for (const c of stockChanges(run)) {
              const n = holding.get(c.data.orderId) ?? 0;
              if (c.data.change === 'release' && n <= 0)
                return fail(`${c.data.orderId}'s stock was released while it held no reservation: stock that was never taken (or was given back already) is added to the shelf.`, [c]);
              holding.set(c.data.orderId, n + (c.data.change === 'reserve' ? 1 : -1));
            }
            return pass('Every release gave back a reservation the order held.');
          },
        },
      ],
    },
  ],
};

export default example;
