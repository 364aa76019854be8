/**
 * The event bus, the outbox relay, choreography participants, the
 * orchestrator and service processes on the real host: the same code as in
 * the simulation, over amqplib to the suite's RabbitMQ and the real clock.
 */
import { describe, expect, it } from 'vitest';
import * as playground from 'playground';
import type { RealHostOptions } from '../../src/real/real-host.js';
import type { TraceEvent, TraceEventOf, TraceKind } from '../../src/sim/index.js';
import { useRealHost as useHost } from './real-hosts.js';
import { vhostUrl } from './vhosts.js';

/** A real host on this file's virtual host, made current. */
const useRealHost = (options: Partial<RealHostOptions> = {}) => useHost({ amqpUrl: vhostUrl('bus-and-sagas'), seed: 'bus', ...options });

/** A name of its own for each test, so durable queues of the file's earlier tests do not mix in. */
const unique = (name: string) => `${name}-${process.pid}-${Date.now().toString(36)}`;

const ofKind = <K extends TraceKind>(events: readonly TraceEvent[], kind: K) => events.filter((e) => e.kind === kind) as unknown as TraceEventOf<K>[];

/** Resolves once `check()` holds, polling on the real clock (fails after `ms`). */
async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

type Placed = playground.BusEvent<'OrderPlaced', { orderId: string }>;

describe('the event bus in real mode', () => {
  it('publishes with the broker confirm and delivers to each subscribing service, recorded as mq events', async () => {
    const host = useRealHost();
    const exchange = unique('events');
    const orders = await playground.eventBus<Placed>('order-service', { exchange });
    const seen: string[] = [];
    for (const name of ['billing', 'shipping']) {
      const bus = await playground.eventBus<Placed>(name, { exchange });
      await bus.subscribe('OrderPlaced', (e) => void seen.push(`${name} ${e.data.orderId}`), { queue: unique(name) });
    }
    const published = await orders.publish({ eventType: 'OrderPlaced', data: { orderId: 'o-1' } });
    expect(published.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(published.timestamp)).toBeGreaterThanOrEqual(host.epoch);
    await until(() => seen.length === 2);
    expect(seen.sort()).toEqual(['billing o-1', 'shipping o-1']);
    await until(() => ofKind(host.trace.events, 'mq.ack').length === 2);
    const delivered = ofKind(host.trace.events, 'mq.deliver');
    expect(delivered.map((e) => e.messageId)).toEqual([published.eventId, published.eventId]);
    expect(delivered.map((e) => e.source).sort()).toEqual(['billing', 'shipping']);
  });

  it('parks an event whose handler fails on <queue>.parked, with the error in its headers', async () => {
    const host = useRealHost();
    const exchange = unique('events');
    const queue = unique('fragile');
    const bus = await playground.eventBus<Placed>('fragile-service', { exchange });
    await bus.subscribe('OrderPlaced', () => {
      throw new Error('cannot handle it');
    }, { queue });
    await bus.publish({ eventType: 'OrderPlaced', data: { orderId: 'o-2' } });
    await until(() => ofKind(host.trace.events, 'mq.publish').some((e) => e.target === `${queue}.parked`));
    const parked = ofKind(host.trace.events, 'mq.publish').find((e) => e.target === `${queue}.parked`)!;
    expect(parked.body).toContain('o-2');
    expect(ofKind(host.trace.events, 'log').some((e) => e.level === 'error' && e.message.includes('cannot handle it'))).toBe(true);
  });

  it('leaves the events of a service served by another process (--only) on its queue', async () => {
    const exchange = unique('events');
    const queue = unique('elsewhere');
    const here = useRealHost({ only: ['order-service'] });
    const orders = await playground.eventBus<Placed>('order-service', { exchange });
    const elsewhere = await playground.eventBus<Placed>('billing', { exchange });
    let handledHere = 0;
    const sub = await elsewhere.subscribe('OrderPlaced', () => void handledHere++, { queue });
    expect(sub.consumerTag).toBe('');
    expect(here.serviceNames()).toEqual(['order-service', 'billing']);
    await orders.publish({ eventType: 'OrderPlaced', data: { orderId: 'o-3' } });

    // The process that serves billing gets it.
    useRealHost({ seed: 'there', only: ['billing'] });
    const billing = await playground.eventBus<Placed>('billing', { exchange });
    const got: string[] = [];
    await billing.subscribe('OrderPlaced', (e) => void got.push(e.data.orderId), { queue });
    await until(() => got.length === 1);
    expect(got).toEqual(['o-3']);
    expect(handledHere).toBe(0);
  });
});

describe('the outbox in real mode', () => {
  it('commits rows and events together and relays the events to the bus, each marked sent once confirmed', async () => {
    const host = useRealHost();
    const exchange = unique('events');
    const db = playground.outbox<Placed>('order-service');
    const bus = await playground.eventBus<Placed>('order-service', { exchange });
    const shipped: string[] = [];
    const warehouse = await playground.eventBus<Placed>('warehouse', { exchange });
    await warehouse.subscribe('OrderPlaced', (e) => void shipped.push(e.data.orderId), { queue: unique('warehouse') });
    new playground.OutboxRelay(db, bus).start();
    for (const orderId of ['o-1', 'o-2']) {
      await db.transaction((tx) => {
        tx.set('orders', orderId, { status: 'placed' });
        tx.publish({ eventType: 'OrderPlaced', data: { orderId } });
      });
    }
    await until(() => shipped.length === 2);
    expect(shipped).toEqual(['o-1', 'o-2']);
    expect(db.pending()).toEqual([]);
    expect(ofKind(host.trace.events, 'outbox.sent').map((e) => e.attempts)).toEqual([1, 1]);
  });
});

describe('saga helpers in real mode', () => {
  it('runs the reference choreography over RabbitMQ to the same order states as the simulation', async () => {
    useRealHost();
    const services = { order: unique('order-service'), payment: unique('payment-service'), inventory: unique('inventory-service') };
    const shop = await playground.orderChoreography({ stock: { book: 1 }, creditLimit: 100, services });
    await shop.placeOrder({ orderId: 'o-1', amount: 40, items: [{ sku: 'book', qty: 1 }] });
    await shop.placeOrder({ orderId: 'o-2', amount: 400, items: [{ sku: 'book', qty: 1 }] });
    await shop.placeOrder({ orderId: 'o-3', amount: 30, items: [{ sku: 'book', qty: 1 }] });
    await until(() => [...shop.orderStatuses().values()].every((s) => s === 'completed' || s === 'cancelled') && shop.orderStatuses().size === 3);
    expect(Object.fromEntries(shop.orderStatuses())).toEqual({ 'o-1': 'completed', 'o-2': 'cancelled', 'o-3': 'cancelled' });
    expect(shop.stock()).toEqual({ book: 0 });
  });

  it('crashes a service process in its down window and restarts it: onStart runs again, awaits across the crash never return', async () => {
    // The window leaves the test a few hundred ms to set up, even on a busy machine.
    const host = useRealHost({ faults: { services: { worker: { down: [{ from: 400, to: 800 }] } } } });
    const proc = playground.serviceProcess('worker');
    const starts: number[] = [];
    proc.onStart(() => void starts.push(proc.incarnation));
    let woke = false;
    void proc.sleep(600).then(() => (woke = true));
    await until(() => starts.length === 2);
    expect(starts).toEqual([1, 2]);
    await playground.sleep(300);
    expect(woke).toBe(false);
    expect(ofKind(host.trace.events, 'fault').map((e) => e.fault)).toEqual(['crash']);
  });

  it('leaves the crashes of a process served by another process (--only) to that process', async () => {
    const host = useRealHost({ only: ['orders'], faults: { services: { worker: { down: [{ from: 0, to: 200 }] } } } });
    const proc = playground.serviceProcess('worker');
    await playground.sleep(300);
    expect(proc.incarnation).toBe(1);
    expect(proc.alive).toBe(true);
    expect(ofKind(host.trace.events, 'fault')).toEqual([]);
  });

  it('drives an orchestrated saga over real HTTP, compensating a declined payment', async () => {
    useRealHost();
    const shop = playground.orderOrchestration({ stock: { book: 2 }, creditLimit: 100 });
    const done = await shop.placeOrder({ orderId: 'o-1', amount: 40, items: [{ sku: 'book', qty: 1 }] });
    const declined = await shop.placeOrder({ orderId: 'o-2', amount: 400, items: [{ sku: 'book', qty: 1 }] });
    expect([done.outcome, declined.outcome]).toEqual(['completed', 'compensated']);
    expect(declined.failedStep).toBe('charge-payment');
    expect(Object.fromEntries(shop.orderStatuses())).toEqual({ 'o-1': 'completed', 'o-2': 'cancelled' });
  });
});
