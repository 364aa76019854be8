import { describe, expect, it } from 'vitest';
import { createOrderChoreography } from '../../src/patterns/sagas/saga-order-choreography.js';
import { createOrderOrchestration } from '../../src/patterns/sagas/saga-order-orchestration.js';
import { sagaEnvOf } from '../../src/patterns/sagas/saga-env.js';
import type { OrderRequest } from '../../src/patterns/sagas/saga-order-types.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { createWorld } from '../../src/sim/world.js';
import { sagaBoard, stateTone } from '../../src/ui/views/saga-model.js';

const order = (orderId: string, amount: number, qty = 1): OrderRequest => ({ orderId, amount, items: [{ sku: 'book', qty }] });

describe('saga board', () => {
  it('choreography: each order with the state every service holds for it and its effects; a missing PaymentFailed handler leaves one open', async () => {
    const world = createWorld({ seed: 2 });
    const work = (async () => {
      const shop = await createOrderChoreography(sagaEnvOf(world), { stock: { book: 1 }, creditLimit: 100, handlePaymentFailed: false });
      await shop.placeOrder(order('o-1', 40)); // completed
      await shop.placeOrder(order('o-2', 30)); // paid, but no stock left: refunded and cancelled
      await shop.placeOrder(order('o-3', 500)); // declined: nobody handles PaymentFailed
    })();
    await world.run();
    await work;
    const board = sagaBoard(world.events);
    expect(board.orchestrated).toEqual([]);
    expect(board.entities).toEqual(['order', 'payment-service', 'inventory-service']);
    const row = (key: string) => board.flows.find((f) => f.key === key)!;
    const states = (key: string) => Object.fromEntries([...row(key).states].map(([entity, s]) => [entity, s.state]));
    expect(states('o-1')).toEqual({ order: 'completed', 'payment-service': 'charged', 'inventory-service': 'reserved' });
    expect(states('o-2')).toEqual({ order: 'cancelled', 'payment-service': 'refunded', 'inventory-service': 'unavailable' });
    expect(states('o-3')).toEqual({ order: 'pending', 'payment-service': 'declined' });
    expect(board.flows.map((f) => [f.key, f.tone])).toEqual([
      ['o-1', 'ok'],
      ['o-2', 'bad'],
      ['o-3', 'open'],
    ]);
    expect(row('o-1').states.get('order')!.history.map((h) => h.state)).toEqual(['pending', 'paid', 'completed']);
    expect(row('o-2').effects.map((e) => [e.service, e.effect, e.warning])).toEqual([
      ['order-service', 'place', undefined],
      ['payment-service', 'charge', undefined],
      ['payment-service', 'refund', undefined],
    ]);
    // Every state and effect points at its event.
    for (const f of board.flows) {
      for (const s of f.states.values()) for (const h of s.history) expect(world.events[h.seq]).toMatchObject({ kind: 'state', to: h.state, correlationId: f.key });
      for (const e of f.effects) expect(world.events[e.seq]).toMatchObject({ kind: 'saga.effect', orderId: f.key });
    }
  });

  it('marks an effect a service applies to the same order again (a double charge under redelivery)', async () => {
    const world = createWorld({ seed: 5, faults: { queues: { 'payment-service.saga': { duplicateRate: 1 } } } });
    const work = (async () => {
      const shop = await createOrderChoreography(sagaEnvOf(world), { stock: { book: 5 }, creditLimit: 100, idempotentPayment: false });
      await shop.placeOrder(order('o-1', 40));
    })();
    await world.run();
    await work;
    const charges = sagaBoard(world.events).flows[0]!.effects.filter((e) => e.effect === 'charge');
    expect(charges.map((e) => e.warning)).toEqual([undefined, 'payment-service already did this for o-1']);
  });

  it('scrubbing back shows the states as they were then', async () => {
    const world = createWorld({ seed: 2 });
    const work = (async () => {
      const shop = await createOrderChoreography(sagaEnvOf(world), { stock: { book: 5 }, creditLimit: 100 });
      await shop.placeOrder(order('o-1', 40));
    })();
    await world.run();
    await work;
    const placed = world.events.find((e) => e.kind === 'state' && e.to === 'pending')!;
    const early = sagaBoard(world.events, placed.time);
    expect(early.flows.map((f) => [f.key, f.states.get('order')?.state])).toEqual([['o-1', 'pending']]);
    expect(sagaBoard(world.events, -1).flows).toEqual([]);
  });

  it('orchestration: steps done, compensated or retried, the outcome, and resumes after a crash of the orchestrator', async () => {
    const world = createWorld({ seed: 4 });
    const shop = createOrderOrchestration(sagaEnvOf(world), { stock: { book: 1 }, creditLimit: 100, orchestrator: 'orchestrator' });
    // The orchestrator crashes while o-1 reserves its items; it resumes both sagas from its log.
    world.scheduler.at(5, () => shop.orchestrator.process.crash('test', 50));
    const placing = Promise.allSettled([shop.placeOrder(order('o-1', 40)), shop.placeOrder(order('o-2', 500))]);
    await world.run();
    await placing;
    const board = sagaBoard(world.events);
    const saga = (id: string) => board.orchestrated.find((s) => s.sagaId === id)!;
    const steps = (id: string) => saga(id).steps.map((s) => [s.name, s.status]);
    expect(saga('saga-o-1')).toMatchObject({ saga: 'create-order', orchestrator: 'orchestrator', status: 'completed' });
    expect(steps('saga-o-1')).toEqual([
      ['create-order', 'done'],
      ['charge-payment', 'done'],
      ['reserve-items', 'done'],
      ['complete-order', 'done'],
    ]);
    expect(saga('saga-o-1').steps.map((s) => s.attempts)).toEqual([1, 1, 2, 1]); // the interrupted step ran again
    expect([saga('saga-o-1').resumes, saga('saga-o-2').resumes]).toEqual([1, 1]);
    expect(saga('saga-o-2')).toMatchObject({ status: 'compensated', failedStep: 'charge-payment' });
    expect(steps('saga-o-2')).toEqual([
      ['create-order', 'compensated'],
      ['charge-payment', 'failed'],
      ['reserve-items', 'waiting'],
      ['complete-order', 'waiting'],
    ]);
    expect(world.events[saga('saga-o-2').statusSeq]).toMatchObject({ kind: 'saga.end', outcome: 'compensated' });
    expect(board.flows.flatMap((f) => f.effects).filter((e) => e.warning)).toEqual([]);
    // The order service's statuses show up per order next to the sagas.
    expect(board.flows.map((f) => [f.key, f.states.get('order')?.state])).toEqual([
      ['o-1', 'completed'],
      ['o-2', 'cancelled'],
    ]);
  });

  it('marks a refund or a release with nothing before it to undo', () => {
    let seq = 0;
    const fx = (orderId: string, source: string, effect: string) => ({ seq: seq++, time: seq, kind: 'saga.effect', source, orderId, correlationId: orderId, effect }) as unknown as TraceEvent;
    const board = sagaBoard([fx('o-1', 'payment', 'refund'), fx('o-1', 'inventory', 'reserve'), fx('o-1', 'inventory', 'release'), fx('o-2', 'inventory', 'release')]);
    expect(board.flows.map((f) => f.effects.map((e) => e.warning ?? 'fine'))).toEqual([
      ['nothing to undo: no charge for o-1 before it', 'fine', 'fine'],
      ['nothing to undo: no reserve for o-2 before it'],
    ]);
  });

  it('copes with numeric keys and odd effect names', () => {
    let seq = 0;
    const at = (fields: Record<string, unknown>) => ({ seq: seq++, time: seq, ...fields }) as unknown as TraceEvent;
    const board = sagaBoard([
      at({ kind: 'state', source: 'orders', correlationId: 42, component: 'order:42', from: 'none', to: 'paid' }),
      at({ kind: 'saga.effect', source: 'pay', correlationId: 42, orderId: 42, effect: 'constructor' }),
      at({ kind: 'state', source: 'orders', correlationId: 'x', component: 'x', from: 'none', to: 'odd' }),
    ]);
    expect(board.entities).toEqual(['order']);
    expect(board.flows.map((f) => [f.key, f.states.get('order')?.state, f.effects.map((e) => e.warning)])).toEqual([['42', 'paid', [undefined]]]);
  });

  it('reads states at a glance', () => {
    expect(['completed', 'reserved', 'charged', 'paid'].map(stateTone)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(['cancelled', 'canceled', 'refunded', 'declined', 'failed'].map(stateTone)).toEqual(['bad', 'bad', 'bad', 'bad', 'bad']);
    expect(['pending', 'none', 'awaiting-payment'].map(stateTone)).toEqual(['open', 'open', 'open']);
  });
});
