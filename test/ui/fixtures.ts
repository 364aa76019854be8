import { createWorld } from '../../src/sim/world.js';
import type { TraceEvent, TraceEventOf, TraceKind } from '../../src/sim/trace.js';

/**
 * A small world: the client orders twice; orders calls payment (with a 50 ms
 * timeout). The second payment is slow and times out; a third order is
 * refused by payment with 402. Orders logs what happens.
 */
export async function orderWorldTrace(): Promise<TraceEvent[]> {
  const world = createWorld({ seed: 3 });
  const orders = world.service('orders');
  const payment = world.service('payment');
  payment.post('/payments', async (req, res) => {
    const amount = (req.body as { amount: number }).amount;
    await world.sleep(amount === 2 ? 200 : 10);
    if (amount > 100) res.status(402).json({ error: 'card declined' });
    else res.status(201).json({ id: `pay-${amount}` });
  });
  orders.post('/orders', async (req, res) => {
    const amount = (req.body as { amount: number }).amount;
    try {
      await orders.http.post('http://payment/payments', { amount }, { timeout: 50 });
      orders.log.info(`order for ${amount} paid`);
      res.status(201).json({ ok: true });
    } catch (e) {
      orders.log.warn(`payment failed for ${amount}`, { reason: (e as Error).message });
      res.status(502).json({ ok: false });
    }
  });
  const go = async () => {
    for (const amount of [1, 2, 500]) {
      await world.http.post('http://orders/orders', { amount }).catch(() => undefined);
      await world.sleep(100);
    }
  };
  void go();
  await world.run();
  return [...world.events];
}

/**
 * Two orders at once, each with its own correlation id (`order-1`, `order-2`)
 * that orders carries on to payment in the `x-correlation-id` header and logs
 * in its data; a health check without an id of its own runs alongside.
 */
export async function correlatedTrace(): Promise<TraceEvent[]> {
  const world = createWorld({ seed: 4 });
  const orders = world.service('orders');
  world.service('payment').post('/payments', () => ({ ok: true }));
  world.service('health').get('/ping', () => ({ ok: true }));
  orders.post('/orders', async (req, res) => {
    orders.log.info('order received', { correlationId: req.correlationId });
    await orders.http.post('http://payment/payments', {}, { headers: { 'x-correlation-id': req.correlationId } });
    res.status(201).json({ ok: true });
  });
  for (const id of ['order-1', 'order-2']) void world.http.post('http://orders/orders', {}, { headers: { 'x-correlation-id': id } });
  void world.http.get('http://health/ping');
  await world.run();
  return [...world.events];
}

/** Polls `health` `n` times, each 10 ms apart: n identical request/response pairs. */
export async function pollingTrace(n: number): Promise<TraceEvent[]> {
  const world = createWorld({ seed: 1 });
  world.service('health').get('/ping', () => ({ ok: true }));
  void (async () => {
    for (let i = 0; i < n; i++) {
      await world.http.get('http://health/ping');
      await world.sleep(10);
    }
  })();
  await world.run();
  return [...world.events];
}

let seq = 0;
/**
 * Builds a hand-written event of `kind` with consecutive seq numbers (reset
 * with `resetSeq`). Fields are checked against the kind's type, but may be left
 * out where a test does not need them.
 */
export function ev<K extends TraceKind>(time: number, kind: K, fields: Partial<Omit<TraceEventOf<K>, 'seq' | 'time' | 'kind'>> = {}): TraceEvent {
  return { seq: seq++, time, kind, ...fields } as unknown as TraceEvent;
}

/** Starts hand-written seq numbers at 0 again. */
export function resetSeq(): void {
  seq = 0;
}

/**
 * A hand-written broker trace shaped like the broker's (src/messaging):
 * orders publishes two messages to exchange `shop`, routed to queue `emails`;
 * mailer gets both, acks one and rejects the other without requeue, which
 * goes to the dead-letter exchange `dlx` and on to queue `emails.dead`.
 */
export function brokerTrace(): TraceEvent[] {
  resetSeq();
  const pub = (t: number, id: string) => [
    ev(t, 'mq.publish', { source: 'orders', target: 'shop', exchange: 'shop', routingKey: 'order.created', messageId: id, channel: 'orders#1/1', persistent: true, size: 10, body: '{}' }),
    ev(t + 1, 'mq.route', { source: 'orders', target: 'shop', exchange: 'shop', routingKey: 'order.created', queues: ['emails'], messageId: id }),
    ev(t + 1, 'mq.enqueue', { source: 'orders', target: 'emails', queue: 'emails', messageId: id, ready: t === 0 ? 1 : 2 }),
  ];
  return [
    ev(0, 'mq.topology', { source: 'mailer', target: 'emails', action: 'queue.declare', name: 'emails' }),
    ev(0, 'mq.topology', { source: 'mailer', target: 'emails', action: 'queue.bind', name: 'emails', detail: { exchange: 'shop', routingKey: 'order.*' } }),
    ev(0, 'mq.consumer', { source: 'mailer', target: 'emails', queue: 'emails', action: 'consume', consumerTag: 'ctag-1' }),
    ...pub(0, 'm-1'),
    ...pub(2, 'm-2'),
    ev(5, 'mq.deliver', { source: 'mailer', target: 'emails', queue: 'emails', messageId: 'm-1', deliveryTag: 1, redelivered: false }),
    ev(6, 'mq.deliver', { source: 'mailer', target: 'emails', queue: 'emails', messageId: 'm-2', deliveryTag: 2, redelivered: false }),
    ev(8, 'mq.ack', { source: 'mailer', target: 'emails', queue: 'emails', messageId: 'm-1', deliveryTag: 1 }),
    ev(9, 'mq.nack', { source: 'mailer', target: 'emails', queue: 'emails', messageId: 'm-2', deliveryTag: 2, requeue: false, method: 'reject' }),
    ev(9, 'mq.dead-letter', { source: 'mailer', target: 'emails', queue: 'emails', messageId: 'm-2', reason: 'rejected', exchange: 'dlx', routingKeys: ['order.created'] }),
    ev(9, 'mq.enqueue', { source: 'broker', target: 'emails.dead', queue: 'emails.dead', messageId: 'm-2', ready: 1, deadLettered: true }),
  ];
}

/** The queues of a choreography, named after their consumer and their event, with the service that publishes it. */
export const CHOREOGRAPHY_QUEUES: ReadonlyArray<readonly [consumer: string, event: string, publisher: string]> = [
  ['order-service', 'PaymentCompleted', 'payment-service'],
  ['order-service', 'ItemsReserved', 'inventory-service'],
  ['order-service', 'PaymentRefunded', 'payment-service'],
  ['payment-service', 'OrderCreated', 'order-service'],
  ['payment-service', 'ItemsUnavailable', 'inventory-service'],
  ['inventory-service', 'PaymentCompleted', 'payment-service'],
];

/**
 * The broker side of a choreography saga, as the choreography example builds it: one exchange, a
 * queue per consumer and event, and one message through each queue (published, delivered, acked).
 */
export function choreographyBrokerTrace(): TraceEvent[] {
  resetSeq();
  const events: TraceEvent[] = [ev(0, 'mq.topology', { source: 'order-service', target: 'events', action: 'exchange.declare', name: 'events' })];
  for (const [consumer, event] of CHOREOGRAPHY_QUEUES) {
    const queue = `${consumer}.${event}`;
    events.push(ev(0, 'mq.topology', { source: consumer, target: queue, action: 'queue.declare', name: queue }));
    events.push(ev(0, 'mq.topology', { source: consumer, target: queue, action: 'queue.bind', name: queue, detail: { exchange: 'events', routingKey: event } }));
    events.push(ev(0, 'mq.consumer', { source: consumer, target: queue, queue, action: 'consume', consumerTag: `ctag-${queue}` }));
  }
  CHOREOGRAPHY_QUEUES.forEach(([consumer, event, publisher], i) => {
    const queue = `${consumer}.${event}`;
    const messageId = `m-${i}`;
    events.push(ev(10 + i, 'mq.publish', { source: publisher, target: 'events', exchange: 'events', routingKey: event, messageId, channel: `${publisher}#1/1`, persistent: true, size: 10, body: '{}' }));
    events.push(ev(10 + i, 'mq.route', { source: publisher, target: 'events', exchange: 'events', routingKey: event, queues: [queue], messageId }));
    events.push(ev(10 + i, 'mq.enqueue', { source: publisher, target: queue, queue, messageId, ready: 1 }));
    events.push(ev(20 + i, 'mq.deliver', { source: consumer, target: queue, queue, messageId, deliveryTag: 1, redelivered: false }));
    events.push(ev(30 + i, 'mq.ack', { source: consumer, target: queue, queue, messageId, deliveryTag: 1 }));
  });
  return events;
}

/**
 * Calls and events of an order flow, as the first example builds it: the client calls the order
 * service, which calls payment, inventory and notification and publishes an event; events go round
 * through three queues, one of them back to the order service.
 */
export function callsAndEventsTrace(): TraceEvent[] {
  resetSeq();
  const events: TraceEvent[] = [];
  let t = 0;
  const call = (source: string, target: string, i: number) => {
    const requestId = `${source}-${target}-${i}`;
    events.push(ev(t++, 'http.request', { source, target, requestId, method: 'POST', path: '/x', url: `http://${target}/x` }));
    events.push(ev(t++, 'http.response', { source: target, target: source, requestId, method: 'POST', path: '/x', status: 200, sentAt: t, durationMs: 1 }));
  };
  const flow: Array<[publisher: string, event: string, consumer: string]> = [
    ['order-service', 'OrderPaid', 'inventory-service'],
    ['inventory-service', 'InventoryReserved', 'notification-service'],
    ['notification-service', 'CustomerNotified', 'order-service'],
  ];
  events.push(ev(t++, 'mq.topology', { source: 'order-service', target: 'events', action: 'exchange.declare', name: 'events' }));
  for (const [, event, consumer] of flow) {
    const queue = `${consumer}.${event}`;
    events.push(ev(t++, 'mq.topology', { source: consumer, target: queue, action: 'queue.declare', name: queue }));
    events.push(ev(t++, 'mq.topology', { source: consumer, target: queue, action: 'queue.bind', name: queue, detail: { exchange: 'events', routingKey: event } }));
    events.push(ev(t++, 'mq.consumer', { source: consumer, target: queue, queue, action: 'consume', consumerTag: `ctag-${queue}` }));
  }
  for (let i = 0; i < 3; i++) {
    call('client', 'order-service', i);
    call('order-service', 'payment-service', i);
    call('order-service', 'inventory-service', i);
    call('order-service', 'notification-service', i);
  }
  flow.forEach(([publisher, event, consumer], i) => {
    const queue = `${consumer}.${event}`;
    const messageId = `m-${i}`;
    events.push(ev(t++, 'mq.publish', { source: publisher, target: 'events', exchange: 'events', routingKey: event, messageId, channel: `${publisher}#1/1`, persistent: true, size: 10, body: '{}' }));
    events.push(ev(t, 'mq.route', { source: publisher, target: 'events', exchange: 'events', routingKey: event, queues: [queue], messageId }));
    events.push(ev(t++, 'mq.enqueue', { source: publisher, target: queue, queue, messageId, ready: 1 }));
    events.push(ev(t++, 'mq.deliver', { source: consumer, target: queue, queue, messageId, deliveryTag: 1, redelivered: false }));
    events.push(ev(t++, 'mq.ack', { source: consumer, target: queue, queue, messageId, deliveryTag: 1 }));
  });
  return events;
}
