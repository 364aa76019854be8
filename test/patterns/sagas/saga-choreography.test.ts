import { describe, expect, it } from 'vitest';
import { brokerOf } from '../../../src/messaging/broker.js';
import type { BusEvent } from '../../../src/messaging/event-bus.js';
import { SagaParticipant } from '../../../src/patterns/sagas/choreography.js';
import { sagaEnvOf } from '../../../src/patterns/sagas/saga-env.js';
import { checkOrderSaga } from '../../../src/patterns/invariants/invariant-checks.js';
import { formatInvariantReport } from '../../../src/patterns/invariants/invariant-types.js';
import { createOrderChoreography, type OrderChoreographyOptions } from '../../../src/patterns/sagas/saga-order-choreography.js';
import type { OrderRequest } from '../../../src/patterns/sagas/saga-order-types.js';
import type { FaultPlan } from '../../../src/sim/faults.js';
import type { TraceEvent, TraceEventOf, TraceKind } from '../../../src/sim/trace.js';
import { createWorld, type World } from '../../../src/sim/world.js';

const order = (id: string, amount = 40, qty = 1): OrderRequest => ({ orderId: id, amount, items: [{ sku: 'book', qty }] });

const of = <K extends TraceKind>(world: World, kind: K, where: (e: TraceEventOf<K>) => boolean = () => true): TraceEventOf<K>[] =>
  world.events.filter((e: TraceEvent) => e.kind === kind && where(e as unknown as TraceEventOf<K>)) as unknown as TraceEventOf<K>[];

/** The order's statuses, in the order they were set. */
const statuses = (world: World, orderId: string) => of(world, 'state', (e) => e.component === `order:${orderId}`).map((e) => e.to);

/** Runs the reference choreography with these orders (placed 20 ms apart) until the world is quiet. */
async function run(orders: OrderRequest[], options: Partial<OrderChoreographyOptions> & { faults?: FaultPlan; seed?: number } = {}) {
  const world = createWorld({ seed: options.seed ?? 1, ...(options.faults ? { faults: options.faults } : {}) });
  let shop: Awaited<ReturnType<typeof createOrderChoreography>> | undefined;
  const work = (async () => {
    shop = await createOrderChoreography(sagaEnvOf(world), { stock: { book: 2 }, creditLimit: 100, ...options });
    await Promise.all(orders.map((o, i) => world.sleep(i * 20).then(() => shop!.placeOrder(o))));
  })();
  const outcome = await world.run();
  await work;
  const report = checkOrderSaga(world.events, { finalStock: shop!.stock(), queues: brokerOf(world).snapshot().queues });
  return { world, shop: shop!, outcome, report };
}

describe('choreography: the reference order saga', () => {
  it('happy path: OrderCreated → PaymentCompleted → ItemsReserved → completed, correlated by order id', async () => {
    const { world, shop, report } = await run([order('o-1')]);
    expect(statuses(world, 'o-1')).toEqual(['pending', 'paid', 'completed']);
    const published = of(world, 'mq.publish').map((e) => [e.routingKey, e.source, e.correlationId]);
    expect(published).toEqual([
      ['OrderCreated', 'order-service', 'o-1'],
      ['PaymentCompleted', 'payment-service', 'o-1'],
      ['ItemsReserved', 'inventory-service', 'o-1'],
      ['OrderCompleted', 'order-service', 'o-1'],
    ]);
    expect(of(world, 'saga.effect', (e) => e.orderId === 'o-1').map((e) => [e.source, e.effect])).toEqual([
      ['order-service', 'place'],
      ['payment-service', 'charge'],
      ['inventory-service', 'reserve'],
    ]);
    // Each effect names the event whose handling applied it.
    const charge = of(world, 'saga.effect', (e) => e.effect === 'charge')[0]!;
    expect(of(world, 'mq.deliver', (e) => e.messageId === charge.messageId && e.queue === 'payment-service.saga')).toHaveLength(1);
    expect(shop.stock()).toEqual({ book: 1 });
    expect(report.ok, formatInvariantReport(report)).toBe(true);
  });

  it('out of stock: ItemsUnavailable → refund → PaymentRefunded → cancelled, stock untouched', async () => {
    const { world, shop, report } = await run([order('o-1', 40, 3)]);
    expect(of(world, 'mq.publish').map((e) => e.routingKey)).toEqual(['OrderCreated', 'PaymentCompleted', 'ItemsUnavailable', 'PaymentRefunded', 'OrderCancelled']);
    expect(of(world, 'saga.effect', (e) => e.orderId === 'o-1').map((e) => e.effect)).toEqual(['place', 'charge', 'refund']);
    expect(statuses(world, 'o-1').at(-1)).toBe('cancelled');
    expect(shop.stock()).toEqual({ book: 2 });
    expect(report.ok, formatInvariantReport(report)).toBe(true);
  });

  it('payment failure: PaymentFailed → cancelled, nothing charged or reserved', async () => {
    const { world, report } = await run([order('o-1', 500)]);
    expect(of(world, 'mq.publish').map((e) => e.routingKey)).toEqual(['OrderCreated', 'PaymentFailed', 'OrderCancelled']);
    expect(statuses(world, 'o-1')).toEqual(['pending', 'cancelled']);
    expect(of(world, 'saga.effect', (e) => e.effect !== 'place' && e.effect !== 'restock')).toEqual([]);
    expect(report.ok, formatInvariantReport(report)).toBe(true);
  });

  it('duplicate deliveries are skipped by event id: one charge, one reservation', async () => {
    const faults: FaultPlan = { queues: { 'payment-service.saga': { duplicateRate: 1 }, 'inventory-service.saga': { duplicateRate: 1 } } };
    const { world, report } = await run([order('o-1'), order('o-2')], { faults });
    expect(of(world, 'mq.enqueue', (e) => e.duplicate === true).length).toBeGreaterThanOrEqual(4);
    expect(of(world, 'dedupe.duplicate').map((e) => e.source).sort()).toEqual(['inventory-service', 'inventory-service', 'payment-service', 'payment-service']);
    expect(of(world, 'saga.effect', (e) => e.effect === 'charge')).toHaveLength(2);
    expect(report.ok, formatInvariantReport(report)).toBe(true);
  });

  it('a consumer that crashes before its ack gets the event again and does not apply it twice', async () => {
    // (A rate of 1 would crash on every redelivery too, for ever.)
    const faults: FaultPlan = { queues: { 'payment-service.saga': { crashBeforeAckRate: 0.5 } } };
    const { world, report } = await run([order('o-1'), order('o-2')], { faults, stock: { book: 5 } });
    expect(of(world, 'fault', (e) => e.fault === 'crash-before-ack').length).toBeGreaterThan(0);
    expect(of(world, 'mq.deliver', (e) => e.queue === 'payment-service.saga' && e.redelivered).length).toBeGreaterThan(0);
    expect(of(world, 'dedupe.duplicate', (e) => e.source === 'payment-service').length).toBeGreaterThan(0);
    expect(of(world, 'saga.effect', (e) => e.effect === 'charge')).toHaveLength(2);
    expect(statuses(world, 'o-1').at(-1)).toBe('completed');
    expect(statuses(world, 'o-2').at(-1)).toBe('completed');
    expect(report.ok, formatInvariantReport(report)).toBe(true);
  });

  it('while a service is inside a down window its events wait in the queue', async () => {
    const faults: FaultPlan = { services: { 'inventory-service': { down: [{ from: 0, to: 2_000 }] } } };
    const { world, report } = await run([order('o-1')], { faults });
    const reserve = of(world, 'saga.effect', (e) => e.effect === 'reserve');
    expect(reserve).toHaveLength(1);
    expect(reserve[0]!.time).toBeGreaterThanOrEqual(2_000);
    expect(statuses(world, 'o-1')).toEqual(['pending', 'paid', 'completed']);
    expect(report.ok, formatInvariantReport(report)).toBe(true);
  });

  it("the syllabus's gap: without a PaymentFailed handler the declined order stays pending, and the checker names it", async () => {
    const { world, report } = await run([order('o-1'), order('o-2', 500)], { handlePaymentFailed: false });
    expect(statuses(world, 'o-2')).toEqual(['pending']);
    const pending = report.violations.filter((v) => v.invariant === 'order-finished');
    expect(pending).toMatchObject([{ orderId: 'o-2' }]);
    expect(pending[0]!.message).toMatch(/o-2 is still "pending"/);
    const place = of(world, 'saga.effect', (e) => e.effect === 'place' && e.orderId === 'o-2')[0]!;
    expect(pending[0]!.eventSeqs).toContain(place.seq);
    expect(report.violations.every((v) => v.invariant === 'order-finished')).toBe(true);
  });

  it('a payment consumer that is not idempotent charges twice under redelivery, and the checker names the order and the message', async () => {
    const faults: FaultPlan = { queues: { 'payment-service.saga': { duplicateRate: 1 } } };
    const { world, report } = await run([order('o-1')], { faults, idempotentPayment: false });
    const charges = of(world, 'saga.effect', (e) => e.effect === 'charge');
    expect(charges).toHaveLength(2);
    const twice = report.violations.find((v) => v.invariant === 'charged-once');
    expect(twice).toMatchObject({ orderId: 'o-1', eventSeqs: expect.arrayContaining(charges.map((c) => c.seq)) });
    expect(report.violations.find((v) => v.invariant === 'effect-once-per-message')).toMatchObject({ orderId: 'o-1', messageId: charges[0]!.messageId });
    expect(report.violations.find((v) => v.invariant === 'completed-order-paid-and-reserved')).toMatchObject({ orderId: 'o-1' });
  });
});

describe('choreography: SagaParticipant', () => {
  type Ping = BusEvent<'Ping', { id: string; n: number }> | BusEvent<'Pong', { id: string }>;

  async function participant(world: World, options: Parameters<typeof SagaParticipant.connect<Ping>>[2] = {}) {
    const p = await SagaParticipant.connect<Ping>(sagaEnvOf(world), 'pinger', { key: (e) => e.data.id, entity: 'ping', ...options });
    const sender = await SagaParticipant.connect<Ping>(sagaEnvOf(world), 'sender', { key: (e) => e.data.id });
    return { p, sender };
  }

  it('correlates by the key function, keeps per-key state in the trace and publishes with the key as correlation id', async () => {
    const world = createWorld();
    const seen: Array<[string, string | undefined, boolean]> = [];
    const work = (async () => {
      const { p, sender } = await participant(world);
      p.on('Ping', async (e, ctx) => {
        seen.push([ctx.key, ctx.state, ctx.redelivered]);
        ctx.setState(`n=${e.data.n}`);
        expect(ctx.setState(`n=${e.data.n}`)).toBe(false);
        await ctx.publish({ eventType: 'Pong', data: { id: ctx.key } });
      });
      await p.start();
      expect(() => p.on('Pong', () => undefined)).toThrow(/before start/);
      await sender.publish({ eventType: 'Ping', data: { id: 'a', n: 1 } }, 'a');
      await sender.publish({ eventType: 'Ping', data: { id: 'a', n: 2 } }, 'a');
      return p;
    })();
    await world.run();
    const p = await work;
    expect(seen).toEqual([
      ['a', undefined, false],
      ['a', 'n=1', false],
    ]);
    expect(p.stateOf('a')).toBe('n=2');
    expect(of(world, 'state', (e) => e.component === 'ping:a').map((e) => [e.from, e.to])).toEqual([
      ['none', 'n=1'],
      ['n=1', 'n=2'],
    ]);
    expect(of(world, 'mq.publish', (e) => e.routingKey === 'Pong').map((e) => [e.correlationId, e.messageId])).toEqual([
      ['a', expect.stringMatching(/^evt-\d+$/)],
      ['a', expect.stringMatching(/^evt-\d+$/)],
    ]);
  });

  it('a handler that throws is not remembered: the event is parked, and a later copy is handled', async () => {
    const world = createWorld({ faults: { queues: { 'pinger.saga': { duplicateRate: 1 } } } });
    let calls = 0;
    const work = (async () => {
      const { p, sender } = await participant(world);
      p.on('Ping', () => {
        calls++;
        if (calls === 1) throw new Error('first copy fails');
      });
      await p.start();
      await sender.publish({ eventType: 'Ping', data: { id: 'a', n: 1 } }, 'a');
    })();
    await world.run();
    await work;
    expect(calls).toBe(2);
    expect(brokerOf(world).queueStats('pinger.saga.parked').ready).toBe(1);
    expect(of(world, 'dedupe.duplicate')).toEqual([]);
  });

  it('without idempotency every copy is handled', async () => {
    const world = createWorld({ faults: { queues: { 'pinger.saga': { duplicateRate: 1 } } } });
    let calls = 0;
    const work = (async () => {
      const { p, sender } = await participant(world, { idempotent: false });
      p.on('Ping', () => void calls++);
      await p.start();
      await sender.publish({ eventType: 'Ping', data: { id: 'a', n: 1 } }, 'a');
    })();
    await world.run();
    await work;
    expect(calls).toBe(2);
  });

  it('without a key function an event without data.orderId is refused with a clear message', async () => {
    const world = createWorld();
    const work = (async () => {
      const p = await SagaParticipant.connect<Ping>(sagaEnvOf(world), 'pinger');
      const sender = await SagaParticipant.connect<Ping>(sagaEnvOf(world), 'sender', { key: (e) => e.data.id });
      p.on('Ping', () => undefined);
      await p.start();
      await sender.publish({ eventType: 'Ping', data: { id: 'a', n: 1 } });
    })();
    await world.run();
    await work;
    expect(of(world, 'log', (e) => e.level === 'error').map((e) => e.message)).toEqual([expect.stringMatching(/no data\.orderId: give the participant a key function/)]);
  });
});
