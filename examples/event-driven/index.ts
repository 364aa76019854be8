import type { Example, RunOutcome } from '../types.js';
import { eventsOf, fail, pass, resultObject, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import ownQueues from './solution-own-queues.ts?raw';
import replayStore from './solution-replay-store.ts?raw';
import meta from './meta.js';

/** Services that subscribe to OrderCreated. */
const ORDER_SUBSCRIBERS = ['payment-service', 'inventory-service', 'notification-service'];

/** Published events of one type: message id → order id. */
function published(run: RunOutcome, eventType: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of eventsOf(run, 'mq.publish', (p) => p.routingKey === eventType)) out.set(e.messageId, /"orderId":"([^"]+)"/.exec(e.body)?.[1] ?? e.messageId);
  return out;
}

/** Deliveries of those events, by receiving service. */
function receivers(run: RunOutcome, events: Map<string, string>) {
  const deliveries = eventsOf(run, 'mq.deliver', (d) => events.has(d.messageId));
  const byService = new Map<string, Set<string>>();
  for (const d of deliveries) {
    let set = byService.get(d.source ?? '?');
    if (!set) byService.set(d.source ?? '?', (set = new Set()));
    set.add(d.messageId);
  }
  return { deliveries, byService };
}

/** What the event store holds, as the checks of the late analytics service need it. */
function storedTruth(run: RunOutcome) {
  const appended = eventsOf(run, 'es.append');
  const orders = appended.filter((e) => e.eventType === 'OrderCreated').length;
  const bodies = new Map(eventsOf(run, 'mq.publish', (p) => p.routingKey === 'PaymentProcessed').map((p) => [p.messageId, p.body]));
  let paidOrders = 0;
  let revenue = 0;
  for (const e of appended) {
    if (e.eventType !== 'PaymentProcessed') continue;
    const body = bodies.get(e.eventId) ?? '';
    if (!/"status":"completed"/.test(body)) continue;
    paidOrders++;
    revenue += Number(/"amount":(\d+(?:\.\d+)?)/.exec(body)?.[1] ?? 0);
  }
  return { orders, paidOrders, revenue, appended };
}

function analyticsOf(run: RunOutcome): { orders?: unknown; paidOrders?: unknown; revenue?: unknown } | undefined {
  const a = resultObject(run)?.['analytics'];
  return typeof a === 'object' && a !== null ? (a as Record<string, unknown>) : undefined;
}

const example: Example = {
  ...meta,
  summary: 'Order and payment events on a topic exchange, kept in an event store too. Three services read one shared queue and take turns with the events, so each order reaches only one of them.',
  objectives: [
    'Publish facts as events (OrderCreated, PaymentProcessed) and let subscribers decide what to do with them',
    'Tell competing consumers (one queue, work shared) apart from publish/subscribe (one queue per subscriber)',
    'Explain why a subscriber that starts late misses what a queue delivered before it existed',
    'Rebuild state by replaying and folding the events of an event store',
  ],
  lesson,
  code,
  seed: 'events-1',
  expected: [
    {
      id: 'each-order-once',
      title: 'on the shared queue each OrderCreated reaches only one service',
      check: (run) => {
        const failed = runFailed(run);
        if (failed) return failed;
        const created = published(run, 'OrderCreated');
        const { deliveries } = receivers(run, created);
        const perMessage = new Map<string, Set<string>>();
        for (const d of deliveries) (perMessage.get(d.messageId) ?? perMessage.set(d.messageId, new Set()).get(d.messageId)!).add(d.source ?? '?');
        const shared = [...perMessage.values()].filter((s) => s.size > 1).length;
        return created.size > 0 && shared === 0
          ? pass(`${created.size} OrderCreated events, each delivered to one service only.`)
          : fail(`Expected every OrderCreated to go to one consumer of the shared queue; ${shared} went to several.`, deliveries);
      },
    },
    {
      id: 'payments-ignored',
      title: 'PaymentProcessed events are taken by services that ignore them',
      check: (run) => {
        const payments = published(run, 'PaymentProcessed');
        const wrong = receivers(run, payments).deliveries.filter((d) => d.source !== 'notification-service');
        return wrong.length > 0
          ? pass(`${wrong.length} of ${payments.size} PaymentProcessed events went to ${[...new Set(wrong.map((d) => d.source))].join(', ')}, which acked and ignored them.`)
          : fail('Expected some PaymentProcessed events to be taken by a service that does not handle them.');
      },
    },
  ],
  exercises: [
    {
      id: 'own-queues',
      title: 'Give every subscriber its own queue',
      task: [
        'Inventory must reserve stock for **every** order, notification must mail about **every** order and every payment, and payment must charge **every** order. Today they share the queue `events`, so RabbitMQ deals the events out among them like cards.',
        '',
        'Change the subscriptions so that every subscriber receives every event of the types it subscribed to, and no service receives events it does not handle.',
      ].join('\n'),
      hint: [
        '1. On a topic exchange every *queue* bound to a routing key gets its own copy of a message; the consumers of *one* queue take turns with that copy.',
        '2. So for every subscriber to get every event, each needs a queue of its own, bound to the event types it handles, and to nothing else.',
        "3. `subscribe(types, handler)` without a `queue` option gives the service its own queue (`<service>.<types>`); the `{ queue: 'events' }` option is what makes them share one.",
        "4. Remove `{ queue: 'events' }` from each subscription.",
      ].join('\n'),
      solution: ownQueues,
      checks: [
        {
          id: 'every-subscriber-every-order',
          title: 'payment, inventory and notification each receive every OrderCreated',
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            const created = published(run, 'OrderCreated');
            if (created.size === 0) return fail('No OrderCreated event was published.');
            const { byService, deliveries } = receivers(run, created);
            const gaps = ORDER_SUBSCRIBERS.map((s) => ({ s, missing: [...created.keys()].filter((id) => !byService.get(s)?.has(id)).map((id) => created.get(id)!) })).filter((g) => g.missing.length > 0);
            return gaps.length === 0
              ? pass(`Each of ${ORDER_SUBSCRIBERS.length} services received all ${created.size} OrderCreated events.`)
              : fail(`Missing OrderCreated deliveries: ${gaps.map((g) => `${g.s} never got ${g.missing.join(', ')}`).join('; ')} (see the mq.deliver events).`, deliveries);
          },
        },
        {
          id: 'payments-reach-notification',
          title: 'every PaymentProcessed reaches the notification service, and only services that handle it',
          check: (run) => {
            const payments = published(run, 'PaymentProcessed');
            if (payments.size === 0) return fail('No PaymentProcessed event was published.');
            const { byService, deliveries } = receivers(run, payments);
            const missing = [...payments.keys()].filter((id) => !byService.get('notification-service')?.has(id)).map((id) => payments.get(id)!);
            const stray = deliveries.filter((d) => d.source !== 'notification-service' && d.source !== 'analytics-service');
            if (missing.length > 0) return fail(`The notification service never got PaymentProcessed for ${missing.join(', ')}.`, deliveries);
            return stray.length === 0
              ? pass(`All ${payments.size} PaymentProcessed events reached the notification service.`)
              : fail(`${stray.length} PaymentProcessed event(s) went to ${[...new Set(stray.map((d) => d.source))].join(', ')}, which does not handle them.`, stray);
          },
        },
      ],
    },
    {
      id: 'replay-store',
      title: 'Let the late analytics service catch up from the event store',
      task: [
        'The analytics service is deployed after the orders were placed (see `startAnalytics`, called near the end of `main`). It subscribes to the bus, gets a brand-new queue, and that queue receives nothing: the events were routed before it existed. So it reports 0 orders and 0 revenue.',
        '',
        'Every event is also in the event store. Make `startAnalytics` build `orders`, `paidOrders` and `revenue` (completed payments only) from the **whole history** in the store, so the figures `main` returns match what happened.',
      ].join('\n'),
      hint: [
        '1. A queue only receives what is routed after it exists, so a service that subscribes late hears only the future. The past is in the event store: every event, in order, with a position.',
        '2. So `startAnalytics` should read the store from its first position, and (to stay current) keep following the events appended after that.',
        '3. The store has both in one call: a catch-up subscription, `store.subscribe(handler, { fromPosition: 1 })`, which replays the history and then delivers new events as they are appended. (`store.project({ initial, apply })` folds the history into a value once.)',
        "4. A stored event has `eventType` and `data`; cast `{ eventType, data }` to `ShopEvent` and count as before. Keep `startAnalytics()` where it is, after the orders.",
      ].join('\n'),
      solution: replayStore,
      checks: [
        {
          id: 'late-orders-counted',
          title: 'analytics, started after the orders, counts every order from the event store',
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            const orderIds = published(run, 'OrderCreated');
            const busCopies = eventsOf(run, 'mq.deliver', (e) => e.source === 'analytics-service' && orderIds.has(e.messageId));
            if (busCopies.length > 0)
              return fail(
                `analytics-service received ${busCopies.length} OrderCreated event(s) from the bus as they happened: it subscribed before the orders were placed. The exercise is about a service that starts late (keep \`startAnalytics()\` after the orders): feed it from the event store.`,
                busCopies,
              );
            const truth = storedTruth(run);
            const a = analyticsOf(run);
            if (!a) return fail('main() should return { analytics: { orders, paidOrders, revenue } }.');
            return a.orders === truth.orders && truth.orders > 0
              ? pass(`analytics counted ${truth.orders} orders.`)
              : fail(`The event store holds ${truth.orders} OrderCreated events, but analytics counted ${JSON.stringify(a.orders)}.`, truth.appended.filter((e) => e.eventType === 'OrderCreated'));
          },
        },
        {
          id: 'late-revenue',
          title: 'analytics revenue is the sum of the completed payments in the store',
          check: (run) => {
            const truth = storedTruth(run);
            const a = analyticsOf(run);
            if (!a) return fail('main() should return { analytics: { orders, paidOrders, revenue } }.');
            if (truth.paidOrders === 0) return fail('No completed PaymentProcessed event is in the event store.');
            return a.revenue === truth.revenue && a.paidOrders === truth.paidOrders
              ? pass(`analytics: ${truth.paidOrders} paid orders, revenue ${truth.revenue}.`)
              : fail(`The store holds ${truth.paidOrders} completed payments worth ${truth.revenue}; analytics reported ${JSON.stringify(a.paidOrders)} paid orders and revenue ${JSON.stringify(a.revenue)} (a declined payment does not count).`, truth.appended.filter((e) => e.eventType === 'PaymentProcessed'));
          },
        },
      ],
    },
  ],
};

export default example;
