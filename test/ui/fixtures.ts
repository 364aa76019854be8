import { createWorld } from '../../src/sim/world.js';
import type { TraceEvent } from '../../src/sim/trace.js';

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
/** Builds hand-written events with consecutive seq numbers (reset with `resetSeq`). */
export function ev(time: number, kind: string, fields: Record<string, unknown> = {}): TraceEvent {
  return { seq: seq++, time, kind, ...fields } as unknown as TraceEvent;
}

/** Starts hand-written seq numbers at 0 again. */
export function resetSeq(): void {
  seq = 0;
}

/**
 * A hand-written broker trace: orders publishes two messages to exchange
 * `shop`, routed to queue `emails`; mailer gets both, acks one, nacks the
 * other without requeue, which goes to the dead-letter exchange `dlx`.
 */
export function brokerTrace(): TraceEvent[] {
  resetSeq();
  return [
    ev(0, 'mq.publish', { source: 'orders', target: 'shop', exchange: 'shop', routingKey: 'order.created', messageId: 'm-1' }),
    ev(1, 'mq.route', { source: 'shop', target: 'emails', exchange: 'shop', queue: 'emails', messageId: 'm-1' }),
    ev(2, 'mq.publish', { source: 'orders', target: 'shop', exchange: 'shop', routingKey: 'order.created', messageId: 'm-2' }),
    ev(3, 'mq.route', { source: 'shop', target: 'emails', exchange: 'shop', queue: 'emails', messageId: 'm-2' }),
    ev(5, 'mq.deliver', { source: 'emails', target: 'mailer', queue: 'emails', messageId: 'm-1' }),
    ev(6, 'mq.deliver', { source: 'emails', target: 'mailer', queue: 'emails', messageId: 'm-2' }),
    ev(8, 'mq.ack', { source: 'mailer', target: 'emails', queue: 'emails', messageId: 'm-1' }),
    ev(9, 'mq.nack', { source: 'mailer', target: 'emails', queue: 'emails', messageId: 'm-2', requeue: false }),
    ev(9, 'mq.deadLetter', { source: 'emails', target: 'dlx', queue: 'emails', exchange: 'dlx', messageId: 'm-2', reason: 'rejected' }),
  ];
}
