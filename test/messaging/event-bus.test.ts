import { describe, expect, it } from 'vitest';
import { EventBus, Outbox, OutboxRelay, brokerOf, busEnvOf, connect, type BusEvent } from '../../src/messaging/index.js';
import { drive, events, world } from './helpers.js';

type OrderCreated = BusEvent<'OrderCreated', { orderId: string; total: number }>;
type PaymentCompleted = BusEvent<'PaymentCompleted', { orderId: string; paymentId: string }>;
type ShopEvent = OrderCreated | PaymentCompleted;

describe('event bus', () => {
  it('every subscribing service has its own queue and gets every event it subscribed to', async () => {
    const w = world();
    const got: Record<string, string[]> = { notification: [], inventory: [], analytics: [] };
    let published: ShopEvent | undefined;
    await drive(w, async () => {
      const orders = await EventBus.connect<ShopEvent>(busEnvOf(w), 'orders');
      const notification = await EventBus.connect<ShopEvent>(busEnvOf(w), 'notification');
      const inventory = await EventBus.connect<ShopEvent>(busEnvOf(w), 'inventory');
      const analytics = await EventBus.connect<ShopEvent>(busEnvOf(w), 'analytics');
      await notification.subscribe(['OrderCreated', 'PaymentCompleted'], (e) => void got['notification']!.push(e.eventType));
      await inventory.subscribe('OrderCreated', (e) => {
        // typed: e is OrderCreated here
        const total: number = e.data.total;
        got['inventory']!.push(`${e.eventType}:${total}`);
      });
      await analytics.subscribe('#', (e) => void got['analytics']!.push(e.eventType));
      published = await orders.publish({ eventType: 'OrderCreated', data: { orderId: 'o-1', total: 30 } });
      await orders.publish({ eventType: 'PaymentCompleted', data: { orderId: 'o-1', paymentId: 'p-1' } });
    });
    expect(got).toEqual({
      notification: ['OrderCreated', 'PaymentCompleted'],
      inventory: ['OrderCreated:30'],
      analytics: ['OrderCreated', 'PaymentCompleted'],
    });
    expect(published).toMatchObject({ eventType: 'OrderCreated', timestamp: expect.stringMatching(/^2024-01-01T00:00:00\.\d{3}Z$/), data: { orderId: 'o-1', total: 30 } });
    expect(published!.eventId).toMatch(/^[0-9a-f-]{36}$/);
    // No handler failed, so no parked queue was declared.
    expect(brokerOf(w).snapshot().queues.map((q) => q.name)).toEqual(['analytics.all', 'inventory.OrderCreated', 'notification.OrderCreated+PaymentCompleted']);
    expect(events(w, 'mq.publish')[0]).toMatchObject({ exchange: 'events', routingKey: 'OrderCreated', messageId: published!.eventId, source: 'orders' });
  });

  it('services consuming one shared queue compete: each event reaches only one of them', async () => {
    const w = world();
    const got: Record<string, string[]> = { notification: [], inventory: [] };
    await drive(w, async () => {
      const orders = await EventBus.connect<ShopEvent>(busEnvOf(w), 'orders');
      for (const name of ['notification', 'inventory'] as const) {
        const bus = await EventBus.connect<ShopEvent>(busEnvOf(w), name);
        const types = name === 'notification' ? (['OrderCreated', 'PaymentCompleted'] as const) : (['OrderCreated'] as const);
        await bus.subscribe(types, (e) => void got[name]!.push(`${e.eventType}:${e.data.orderId}`), { queue: 'events' });
      }
      for (let i = 1; i <= 4; i++) await orders.publish({ eventType: 'OrderCreated', data: { orderId: `o-${i}`, total: i } });
      for (let i = 1; i <= 4; i++) await orders.publish({ eventType: 'PaymentCompleted', data: { orderId: `o-${i}`, paymentId: `p-${i}` } });
    });
    const handled = [...got['notification']!, ...got['inventory']!];
    const created = handled.filter((h) => h.startsWith('OrderCreated'));
    // every OrderCreated went to exactly one service, not to both
    expect(created.length).toBe(4);
    expect(got['inventory']!.length).toBeGreaterThan(0);
    expect(got['notification']!.filter((h) => h.startsWith('OrderCreated')).length).toBeLessThan(4);
    // some PaymentCompleted landed at inventory, which ignored them: notification never saw them
    const ignored = events(w, 'log').filter((l) => l.message.includes('does not handle it'));
    expect(ignored.length).toBeGreaterThan(0);
    expect(got['notification']!.filter((h) => h.startsWith('PaymentCompleted')).length).toBe(4 - ignored.length);
  });

  it('a failing handler parks the event by default; drop and requeue are explicit choices', async () => {
    const w = world();
    const attempts: Record<string, number> = { park: 0, drop: 0, requeue: 0 };
    await drive(w, async () => {
      const orders = await EventBus.connect<ShopEvent>(busEnvOf(w), 'orders');
      for (const mode of ['park', 'drop', 'requeue'] as const) {
        const bus = await EventBus.connect<ShopEvent>(busEnvOf(w), `svc-${mode}`);
        await bus.subscribe(
          'OrderCreated',
          () => {
            attempts[mode]!++;
            if (mode !== 'requeue' || attempts[mode]! < 3) throw new Error('boom');
          },
          mode === 'park' ? {} : { onError: mode },
        );
      }
      await orders.publish({ eventType: 'OrderCreated', data: { orderId: 'o-1', total: 1 } });
    });
    expect(attempts).toEqual({ park: 1, drop: 1, requeue: 3 });
    const broker = brokerOf(w);
    expect(broker.queueStats('svc-park.OrderCreated.parked').ready).toBe(1);
    // Only the parking subscriber declared a parked queue, when its first event failed.
    expect(broker.snapshot().queues.map((q) => q.name).filter((n) => n.endsWith('.parked'))).toEqual(['svc-park.OrderCreated.parked']);
    expect(events(w, 'mq.drop').map((d) => [d.reason, d.queue])).toEqual([['rejected', 'svc-drop.OrderCreated']]);
    const parked = await drive(w, async () => {
      const ch = await (await connect(w, 'ops')).createChannel();
      return ch.get('svc-park.OrderCreated.parked');
    });
    expect(parked && parked.properties.headers).toMatchObject({ 'x-error': 'boom', 'x-original-queue': 'svc-park.OrderCreated' });
  });

  it('when its parked queue cannot be declared, a failing event is rejected with a clear log and the subscriber keeps consuming', async () => {
    const w = world();
    const seen: number[] = [];
    await drive(w, async () => {
      // Someone declared the parked queue already, with other arguments: declaring it again is refused.
      await (await (await connect(w, 'ops')).createChannel()).assertQueue('svc.OrderCreated.parked', { durable: false });
      const orders = await EventBus.connect<ShopEvent>(busEnvOf(w), 'orders');
      const svc = await EventBus.connect<ShopEvent>(busEnvOf(w), 'svc');
      await svc.subscribe('OrderCreated', (e) => {
        seen.push(e.data.total);
        if (e.data.total === 2) throw new Error('boom');
      });
      for (const total of [1, 2, 3]) await orders.publish({ eventType: 'OrderCreated', data: { orderId: `o-${total}`, total } });
    });
    expect(seen).toEqual([1, 2, 3]);
    const logs = events(w, 'log').map((l) => l.message);
    expect(logs.some((m) => m.includes("could not declare 'svc.OrderCreated.parked'") && m.includes('PRECONDITION_FAILED') && m.includes('rejected instead'))).toBe(true);
    expect(brokerOf(w).queueStats('svc.OrderCreated')).toMatchObject({ acked: 2, dropped: 1, ready: 0, unacked: 0, consumers: 1 });
    expect(events(w, 'error')).toEqual([]);
  });

  it('an idempotent subscriber handles a duplicated event once', async () => {
    const w = world({ faults: { queues: { 'billing.OrderCreated': { duplicateRate: 1 } } } });
    const charged: string[] = [];
    await drive(w, async () => {
      const orders = await EventBus.connect<ShopEvent>(busEnvOf(w), 'orders');
      const billing = await EventBus.connect<ShopEvent>(busEnvOf(w), 'billing');
      await billing.subscribe('OrderCreated', (e) => void charged.push(e.data.orderId), { idempotent: true });
      await orders.publish({ eventType: 'OrderCreated', data: { orderId: 'o-1', total: 5 } });
    });
    expect(charged).toEqual(['o-1']);
    expect(brokerOf(w).queueStats('billing.OrderCreated')).toMatchObject({ delivered: 2, acked: 2 });
  });
});

describe('transactional outbox', () => {
  it('commits state and events together; a failed transaction commits neither', async () => {
    const w = world();
    const db = new Outbox<ShopEvent>(busEnvOf(w), 'orders');
    await db.transaction((tx) => {
      tx.set('orders', 'o-1', { status: 'pending' });
      tx.publish({ eventType: 'OrderCreated', data: { orderId: 'o-1', total: 10 } });
    });
    await expect(
      db.transaction((tx) => {
        tx.set('orders', 'o-2', { status: 'pending' });
        tx.publish({ eventType: 'OrderCreated', data: { orderId: 'o-2', total: 20 } });
        throw new Error('validation failed');
      }),
    ).rejects.toThrow('validation failed');
    expect(db.rows('orders')).toEqual([['o-1', { status: 'pending' }]]);
    expect(db.pending().map((r) => r.event.data.orderId)).toEqual(['o-1']);
    expect(events(w, 'outbox.commit')).toHaveLength(1);
  });

  it('a crash between the state change and the publish loses nothing: the relay publishes when it is back', async () => {
    const w = world();
    const got: string[] = [];
    await drive(w, async () => {
      const bus = await EventBus.connect<ShopEvent>(busEnvOf(w), 'orders');
      const consumer = await EventBus.connect<ShopEvent>(busEnvOf(w), 'shipping');
      await consumer.subscribe('OrderCreated', (e) => void got.push(e.data.orderId));
      const db = new Outbox<ShopEvent>(busEnvOf(w), 'orders');
      // the service commits, then dies before anything is published (no relay running)
      for (const id of ['o-1', 'o-2'])
        await db.transaction((tx) => {
          tx.set('orders', id, { status: 'pending' });
          tx.publish({ eventType: 'OrderCreated', data: { orderId: id, total: 1 } });
        });
      await w.sleep(1000);
      expect(got).toEqual([]);
      // back up: the relay finds the outbox and publishes it, in order
      new OutboxRelay(db, bus).start();
      await w.sleep(100);
      expect(db.pending()).toEqual([]);
    });
    expect(got).toEqual(['o-1', 'o-2']);
  });

  it('a relay crash after publishing republishes the event; an idempotent consumer applies it once', async () => {
    const w = world({ seed: 4 });
    const applied: string[] = [];
    let db!: Outbox<ShopEvent>;
    await drive(w, async () => {
      const bus = await EventBus.connect<ShopEvent>(busEnvOf(w), 'orders');
      const consumer = await EventBus.connect<ShopEvent>(busEnvOf(w), 'shipping');
      await consumer.subscribe('OrderCreated', (e) => void applied.push(e.data.orderId), { idempotent: true });
      db = new Outbox<ShopEvent>(busEnvOf(w), 'orders');
      const relay = new OutboxRelay(db, bus, { crashAfterPublishRate: 0.5, restartDelay: 500 }).start();
      for (let i = 1; i <= 6; i++)
        await db.transaction((tx) => {
          tx.set('orders', `o-${i}`, { status: 'pending' });
          tx.publish({ eventType: 'OrderCreated', data: { orderId: `o-${i}`, total: i } });
        });
      await w.sleep(20_000);
      relay.stop();
    });
    const crashes = events(w, 'fault').filter((f) => f.fault === 'relay-crash');
    expect(crashes.length).toBeGreaterThan(0);
    const publishes = events(w, 'mq.publish').filter((p) => p.exchange === 'events');
    expect(publishes.length).toBe(6 + crashes.length); // each crash published one event twice
    expect(applied).toEqual(['o-1', 'o-2', 'o-3', 'o-4', 'o-5', 'o-6']);
    expect(db.pending()).toEqual([]);
    expect(db.all().reduce((n, r) => n + r.attempts, 0)).toBe(6 + crashes.length);
  });
});
