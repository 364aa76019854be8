import { describe, expect, it } from 'vitest';
import { Buffer, brokerOf, connect } from '../../../src/messaging/index.js';
import { checkOrderSaga, ORDER_SAGA_INVARIANTS } from '../../../src/patterns/invariants/invariant-checks.js';
import { checkNoMessageLost } from '../../../src/patterns/invariants/invariant-messages.js';
import { normaliseOrderStatus, orderSagaFacts } from '../../../src/patterns/invariants/invariant-order-saga.js';
import { checkSagaLog } from '../../../src/patterns/invariants/invariant-saga-log.js';
import { formatInvariantReport, type InvariantId } from '../../../src/patterns/invariants/invariant-types.js';
import { EffectRecorder } from '../../../src/patterns/sagas/saga-effects.js';
import { SagaTracer } from '../../../src/patterns/sagas/saga-tracer.js';
import type { TraceEvent } from '../../../src/sim/trace.js';
import { createWorld, type World } from '../../../src/sim/world.js';

const book = (qty = 1) => [{ sku: 'book', qty }];

/** A world whose trace is written by hand through the services' recorders. */
function scene() {
  const world = createWorld();
  return {
    world,
    order: new EffectRecorder(world.trace, 'order-service'),
    pay: new EffectRecorder(world.trace, 'payment-service'),
    inv: new EffectRecorder(world.trace, 'inventory-service'),
  };
}

const ids = (events: readonly TraceEvent[], options: Parameters<typeof checkOrderSaga>[1] = {}) => checkOrderSaga(events, options).violations.map((v) => v.invariant);

describe('order saga invariants over effects and statuses', () => {
  it('a well-behaved run breaks nothing', () => {
    const { world, order, pay, inv } = scene();
    inv.restock(book(3));
    order.place('o-1', 40, book());
    order.status('o-1', 'pending');
    pay.charge('o-1', 40, { messageId: 'm1' });
    inv.reserve('o-1', book(), { messageId: 'm2' });
    order.status('o-1', 'completed');
    order.place('o-2', 30, book(5));
    order.status('o-2', 'pending');
    pay.charge('o-2', 30, { messageId: 'm3' });
    pay.refund('o-2', 30, { messageId: 'm4' });
    order.status('o-2', 'canceled');
    const report = checkOrderSaga(world.events, { finalStock: { book: 2 } });
    expect(report.ok, formatInvariantReport(report)).toBe(true);
    expect(report.checked).toEqual(ORDER_SAGA_INVARIANTS.map((i) => i.id));
  });

  it('completed but paid the wrong amount, or holding the wrong items', () => {
    const { world, order, pay, inv } = scene();
    order.place('o-1', 40, book(2));
    pay.charge('o-1', 30);
    inv.reserve('o-1', book(1));
    order.status('o-1', 'completed');
    const v = checkOrderSaga(world.events).violations.filter((x) => x.invariant === 'completed-order-paid-and-reserved');
    expect(v.map((x) => x.message)).toEqual([
      'order o-1 is completed but was paid 30 (charged 30) for an amount of 40',
      'order o-1 is completed but holds 1 book instead of 2 book',
    ]);
    const charge = world.events.find((e) => e.kind === 'saga.effect' && e.effect === 'charge')!;
    expect(v[0]!.eventSeqs).toContain(charge.seq);
    expect(v[0]!.orderId).toBe('o-1');
  });

  it('cancelled but keeping money or stock, and refunds that were never charged', () => {
    const { world, order, pay, inv } = scene();
    inv.restock(book(5));
    order.place('o-1', 40, book());
    pay.charge('o-1', 40);
    inv.reserve('o-1', book());
    order.status('o-1', 'cancelled');
    order.place('o-2', 10, book());
    pay.refund('o-2', 10);
    inv.release('o-2', book());
    order.status('o-2', 'cancelled');
    const v = checkOrderSaga(world.events).violations;
    expect(v.filter((x) => x.invariant === 'cancelled-order-refunded-and-released').map((x) => [x.orderId, x.message])).toEqual([
      ['o-1', "order o-1 is cancelled but keeps 40 of the customer's money (charged 40, refunded 0)"],
      ['o-1', 'order o-1 is cancelled but still holds stock: 1 book'],
      ['o-2', 'order o-2 was refunded 10 but only charged 0: money paid out that was never taken'],
      ['o-2', 'order o-2 is cancelled but released more than it reserved: -1 book'],
    ]);
    expect(v.filter((x) => x.invariant === 'stock-conserved').map((x) => x.message)).toEqual(['1 book released for order o-2, which held 0: stock appeared from nowhere']);
  });

  it('judges final states only at quiescence', () => {
    const { world, order, pay } = scene();
    order.place('o-1', 40, book());
    order.status('o-1', 'pending');
    pay.charge('o-1', 40);
    order.place('o-2', 40, book());
    order.status('o-2', 'cancelled');
    pay.charge('o-2', 40);
    expect(ids(world.events)).toEqual(['cancelled-order-refunded-and-released', 'order-finished']);
    const running = checkOrderSaga(world.events, { quiescent: false });
    expect(running.ok).toBe(true);
    expect(running.checked).not.toContain('order-finished');
    expect(running.checked).not.toContain('saga-finished');
    const pending = checkOrderSaga(world.events).violations.find((v) => v.invariant === 'order-finished')!;
    expect(pending.message).toBe('order o-1 is still "pending" when nothing more happens: it is neither completed nor cancelled');
  });

  it('names an order whose id already says "order" by its id alone', () => {
    const { world, order, pay } = scene();
    order.place('order-7', 40, book());
    order.status('order-7', 'completed');
    pay.charge('order-7', 40);
    pay.charge('order-7', 40);
    const charged = checkOrderSaga(world.events).violations.find((v) => v.invariant === 'charged-once')!;
    expect(charged.message).toBe('order-7 was charged 2 times (40 + 40)');
  });

  it('charged twice, and one message applied twice by the same consumer', () => {
    const { world, order, pay, inv } = scene();
    inv.restock(book(2));
    order.place('o-1', 40, book());
    pay.charge('o-1', 40, { messageId: 'evt-1' });
    pay.charge('o-1', 40, { messageId: 'evt-1' });
    pay.refund('o-1', 40, { messageId: 'evt-9' });
    inv.reserve('o-1', book(), { messageId: 'evt-2' });
    // Another service applying an effect for the same message is fine.
    new EffectRecorder(world.trace, 'ledger').charge('o-3', 1, { messageId: 'evt-1' });
    order.status('o-1', 'completed');
    const v = checkOrderSaga(world.events).violations;
    expect(v.map((x) => x.invariant)).toEqual(['charged-once', 'effect-once-per-message']);
    expect(v[0]).toMatchObject({ orderId: 'o-1', message: 'order o-1 was charged 2 times (40 + 40)' });
    expect(v[1]).toMatchObject({ orderId: 'o-1', messageId: 'evt-1' });
    expect(v[1]!.eventSeqs).toHaveLength(2);
  });

  it('stock never negative, and the final stock must match the effects', () => {
    const { world, inv } = scene();
    inv.restock(book(1));
    inv.reserve('o-1', book(1));
    inv.reserve('o-2', book(1));
    const v = checkOrderSaga(world.events, { finalStock: { book: 3 } }).violations.filter((x) => x.invariant === 'stock-conserved');
    expect(v.map((x) => x.message)).toEqual([
      'stock of book went negative (-1) when inventory-service reserved it for o-2',
      'the inventory holds 3 book at the end, but its effects add up to -1',
    ]);
  });

  it('reads statuses from order:<id> state events in any spelling', () => {
    expect(normaliseOrderStatus('CANCELED')).toBe('cancelled');
    expect(normaliseOrderStatus('Completed')).toBe('completed');
    const { world, order } = scene();
    order.place('o-1', 1, []);
    order.status('o-1', 'payment_completed');
    expect(orderSagaFacts(world.events).orders.get('o-1')).toMatchObject({ status: 'payment_completed', amount: 1 });
  });

  it('can check a chosen subset', () => {
    const { world, order } = scene();
    order.place('o-1', 1, []);
    const only: InvariantId[] = ['charged-once'];
    expect(checkOrderSaga(world.events, { only })).toMatchObject({ ok: true, checked: only });
  });
});

describe('saga log invariants over saga.* events', () => {
  const ref = (step: string, index: number) => ({ step, service: `${step}-svc`, index });

  it('a clean compensation breaks nothing', () => {
    const world = createWorld();
    const t = new SagaTracer(world.trace, 'orch', 's');
    t.started('s-1', ['a', 'b', 'c']);
    t.step('s-1', ref('a', 0));
    t.stepDone('s-1', ref('a', 0));
    t.step('s-1', ref('b', 1));
    t.stepDone('s-1', ref('b', 1));
    t.step('s-1', ref('c', 2));
    t.stepFailed('s-1', ref('c', 2), 'out of stock');
    t.compensation('s-1', ref('b', 1));
    t.compensationDone('s-1', ref('b', 1));
    t.compensation('s-1', ref('a', 0));
    t.compensationDone('s-1', ref('a', 0));
    t.finished('s-1', 'compensated', { step: 'c', error: 'out of stock' });
    expect(checkSagaLog(world.events)).toEqual([]);
  });

  it('the syllabus-style orchestrator: compensates a failed step and runs them forward', () => {
    const world = createWorld();
    const t = new SagaTracer(world.trace, 'orch', 's');
    t.started('s-1');
    t.step('s-1', ref('a', 0));
    t.stepDone('s-1', ref('a', 0));
    t.step('s-1', ref('b', 1));
    t.stepFailed('s-1', ref('b', 1), 'declined');
    t.compensation('s-1', ref('a', 0));
    t.compensationDone('s-1', ref('a', 0));
    t.compensation('s-1', ref('b', 1));
    t.compensationDone('s-1', ref('b', 1));
    t.compensation('s-1', ref('c', 2));
    t.compensationDone('s-1', ref('c', 2));
    t.compensation('s-1', ref('c', 2));
    t.compensationDone('s-1', ref('c', 2));
    t.step('s-1', ref('d', 3));
    const v = checkSagaLog(world.events);
    expect(v.map((x) => [x.invariant, x.message])).toEqual([
      ['saga-compensation-reverse-order', 'saga s-1 compensated "b" after "a", but "b" came later in the saga: compensations must run in reverse order'],
      ['saga-compensates-started-steps-only', 'saga s-1 compensated "b", which failed without taking effect: there is nothing to undo'],
      ['saga-compensation-reverse-order', 'saga s-1 compensated "c" after "b", but "c" came later in the saga: compensations must run in reverse order'],
      ['saga-compensates-started-steps-only', 'saga s-1 compensated "c", a step that never ran'],
      ['saga-compensates-once', 'saga s-1 compensated "c" twice'],
      ['saga-no-step-after-compensation', 'saga s-1 started step "d" after its compensation had begun'],
      ['saga-finished', 'saga s-1 never ended: it was left half-done'],
    ]);
    expect(v.every((x) => x.sagaId === 's-1' && x.eventSeqs.length > 0)).toBe(true);
  });

  it('a step that timed out or was left by a crash may be compensated; a completed step must not run again', () => {
    const world = createWorld();
    const t = new SagaTracer(world.trace, 'orch', 's');
    t.started('s-1');
    t.step('s-1', ref('a', 0));
    t.stepFailed('s-1', ref('a', 0), 'timeout', { outcome: 'unknown' });
    t.compensation('s-1', ref('a', 0), 1, 'outcome-unknown');
    t.finished('s-1', 'compensated');
    t.started('s-2');
    t.step('s-2', ref('a', 0));
    t.stepDone('s-2', ref('a', 0));
    t.step('s-2', ref('b', 1));
    t.resumed('s-2', 'compensate', ['a'], ref('b', 1));
    t.compensation('s-2', ref('b', 1), 1, 'outcome-unknown');
    t.compensation('s-2', ref('a', 0));
    t.step('s-2', ref('a', 0));
    t.finished('s-2', 'compensated');
    expect(checkSagaLog(world.events).map((x) => x.invariant)).toEqual(['saga-no-step-after-compensation', 'saga-completed-step-not-redone']);
  });
});

describe('no message lost', () => {
  async function brokerRun(world: World, body: () => Promise<void>): Promise<void> {
    const p = body();
    await world.run();
    await p;
  }

  it('acked, dropped on purpose and still-queued messages are all accounted for', async () => {
    const world = createWorld();
    await brokerRun(world, async () => {
      const ch = await (await connect(world, 'svc')).createChannel();
      await ch.assertQueue('work');
      await ch.assertQueue('idle');
      let n = 0;
      await ch.consume('work', (msg) => {
        if (!msg) return;
        n++;
        if (n === 1) ch.ack(msg);
        else if (n === 2) ch.nack(msg, false, false); // dropped on purpose (no dead-letter exchange): traced
        else if (n === 3) ch.nack(msg, false, true); // requeued, then acked as n = 4
        else if (n === 4) ch.ack(msg);
        // n = 5: never acked, stays unacked
      });
      for (let i = 0; i < 4; i++) ch.sendToQueue('work', Buffer.from(`m${i}`));
      ch.sendToQueue('idle', Buffer.from('waits'));
      ch.publish('amq.direct', 'nowhere', Buffer.from('unroutable'));
    });
    const queues = brokerOf(world).snapshot().queues;
    expect(queues.find((q) => q.name === 'work')).toMatchObject({ acked: 2, dropped: 1, unacked: 1 });
    expect(checkNoMessageLost(world.events, queues)).toEqual([]);
  });

  it('finds a message whose ack or route is missing from the trace, or that the figures do not account for', async () => {
    const world = createWorld();
    await brokerRun(world, async () => {
      const ch = await (await connect(world, 'svc')).createChannel();
      await ch.assertQueue('work');
      await ch.consume('work', (msg) => msg && ch.ack(msg));
      ch.sendToQueue('work', Buffer.from('a'), { messageId: 'a' });
      ch.sendToQueue('work', Buffer.from('b'), { messageId: 'b' });
    });
    const queues = brokerOf(world).snapshot().queues;
    const withoutAckOfA = world.events.filter((e) => !(e.kind === 'mq.ack' && e.messageId === 'a'));
    const v = checkNoMessageLost(withoutAckOfA, queues);
    expect(v.map((x) => x.message)).toEqual(["queue 'work' holds 0 ready and 0 unacked messages, but the trace leaves 0 ready and 1 unacked there"]);
    const withoutRouteOfB = world.events.filter((e) => !(e.kind === 'mq.route' && e.messageId === 'b'));
    const w = checkNoMessageLost(withoutRouteOfB);
    expect(w.map((x) => [x.messageId, x.message])).toEqual([['b', 'message b was published but never reached an exchange and was not dropped']]);
    const withoutEnqueueOfB = world.events.filter((e) => !(e.kind === 'mq.enqueue' && e.messageId === 'b'));
    expect(checkNoMessageLost(withoutEnqueueOfB).map((x) => x.message)).toEqual([
      "message b delivered from 'work' with no copy there",
      "message b was routed to 'work' but never entered it and was not dropped",
    ]);
    expect(w[0]!.eventSeqs.length).toBeGreaterThan(0);
    const books = [{ ...queues[0]!, acked: queues[0]!.acked - 1 }];
    expect(checkNoMessageLost(world.events, books).map((x) => x.message)).toEqual([
      "queue 'work' took in 2 messages but accounts for 1 (1 acked, 0 dead-lettered, 0 dropped, 0 ready, 0 unacked)",
    ]);
  });
});
