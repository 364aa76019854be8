import { describe, expect, it } from 'vitest';
import { checkOrderSaga } from '../../../src/patterns/invariants/invariant-checks.js';
import { DurableStore, MemorySagaLog } from '../../../src/patterns/sagas/saga-log.js';
import { ServiceProcess } from '../../../src/patterns/sagas/saga-process.js';
import { sagaEnvOf } from '../../../src/patterns/sagas/saga-env.js';
import { createWorld } from '../../../src/sim/world.js';
import { runSource } from '../../runner/node-run.js';

describe('ServiceProcess: a process that crashes and restarts', () => {
  it('a crash ends the work in progress: guarded promises and HTTP answers never reach it; onStart runs again at restart', async () => {
    const world = createWorld();
    world.service('slow').post('/work', async () => {
      await world.sleep(100);
      return { done: true };
    });
    const proc = new ServiceProcess(sagaEnvOf(world), 'worker');
    const starts: number[] = [];
    proc.onStart(() => void starts.push(world.now()));
    const seen: string[] = [];
    void proc.http.post('http://slow/work').then(() => seen.push('answer'));
    void proc.sleep(50).then(() => seen.push('slept'));
    void proc.guard(Promise.reject(new Error('x'))).catch(() => seen.push('rejected before the crash'));
    world.scheduler.after(20, () => proc.crash('test', 500));
    await world.run();
    expect(seen).toEqual(['rejected before the crash']);
    expect(starts).toEqual([0, 520]);
    expect(proc.incarnation).toBe(2);
    expect(proc.alive).toBe(true);
    // The request reached the service anyway: only its answer was lost.
    expect(world.events.filter((e) => e.kind === 'http.response').map((e) => e.source)).toEqual(['slow']);
    expect(world.events.filter((e) => e.kind === 'service.status').map((e) => (e as { up: boolean }).up)).toEqual([false, true]);
    expect(world.events.find((e) => e.kind === 'fault')).toMatchObject({ source: 'worker', fault: 'crash' });
  });

  it("the fault plan's down windows are crashes and restarts; whenAlive waits for the restart", async () => {
    const world = createWorld({ faults: { services: { worker: { down: [{ from: 100, to: 400 }] } } } });
    const proc = new ServiceProcess(sagaEnvOf(world), 'worker');
    const log: string[] = [];
    proc.onStart(() => void log.push(`start ${world.now()}`));
    world.scheduler.after(200, () => {
      log.push(`alive at 200: ${proc.alive}`);
      void proc.whenAlive().then(() => log.push(`alive again ${world.now()}`));
      void proc.sleep(10).then(() => log.push('never: slept while down'));
    });
    await world.run();
    expect(log).toEqual(['start 0', 'alive at 200: false', 'start 400', 'alive again 400']);
  });

  it('an onStart that throws is logged, and the process keeps running', async () => {
    const world = createWorld();
    const proc = new ServiceProcess(sagaEnvOf(world), 'worker');
    proc.onStart(() => {
      throw new Error('bad config');
    });
    proc.onStart(() => Promise.reject(new Error('bad async config')));
    await world.run();
    expect(world.events.filter((e) => e.kind === 'log').map((e) => (e as { message: string }).message)).toEqual([
      'worker failed while starting: Error: bad config',
      'worker failed while starting: Error: bad async config',
    ]);
    expect(proc.alive).toBe(true);
  });

  it('durable stores and saga logs are plain tables that outlive the process', () => {
    const table = new DurableStore<number>('t');
    table.set('a', 1).set('b', 2);
    expect(table.entries()).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(table.delete('a')).toBe(true);
    expect([table.size, table.has('a'), table.get('b'), table.keys(), table.values()]).toEqual([1, false, 2, ['b'], [2]]);
    const rows = new DurableStore<import('../../../src/patterns/sagas/saga-log.js').SagaLogRecord[]>('saga-log');
    const log = new MemorySagaLog(rows);
    log.append('s-1', { type: 'started', saga: 's', input: 1 });
    log.append('s-2', { type: 'started', saga: 's', input: 2 });
    log.append('s-2', { type: 'finished', outcome: 'completed' });
    // A new log over the same table (a restarted orchestrator) sees what was written.
    expect(new MemorySagaLog(rows).unfinished()).toEqual(['s-1']);
  });
});

describe('playground: sagas bound to the run', () => {
  it('a learner program with the library orchestrator and a crash of its process completes every order', async () => {
    const code = `
      import { orderOrchestration, sleep } from 'playground';
      const shop = orderOrchestration({ stock: { book: 2 }, creditLimit: 100 });
      export default async function main() {
        const results = [];
        for (const [id, amount, qty] of [['o-1', 40, 1], ['o-2', 500, 1], ['o-3', 40, 5]]) {
          results.push(shop.placeOrder({ orderId: id, amount, items: [{ sku: 'book', qty }] }));
          await sleep(10);
        }
        const done = await Promise.all(results);
        return done.map((r) => r.outcome);
      }`;
    const run = await runSource(code, { seed: 3, faults: { services: { 'order-orchestrator': { down: [{ from: 5, to: 300 }] } } } });
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual(['completed', 'compensated', 'compensated']);
    expect(run.events.some((e) => e.kind === 'saga.resume')).toBe(true);
    const report = checkOrderSaga(run.events);
    expect(report.ok, JSON.stringify(report.violations)).toBe(true);
  });

  it('serviceProcess and durableStore give the same object for the same name within a run', async () => {
    const code = `
      import { serviceProcess, durableStore, effects } from 'playground';
      export default function main() {
        return [serviceProcess('p') === serviceProcess('p'), durableStore('t') === durableStore('t'), effects('s') === effects('s'), durableStore('t') === durableStore('u')];
      }`;
    const run = await runSource(code, { seed: 1 });
    expect(run.result).toEqual([true, true, true, false]);
  });

  it('the reference choreography runs from the playground too', async () => {
    const code = `
      import { orderChoreography } from 'playground';
      const shop = await orderChoreography({ stock: { book: 1 }, creditLimit: 100 });
      export default async function main() {
        await shop.placeOrder({ orderId: 'o-1', amount: 40, items: [{ sku: 'book', qty: 1 }] });
        await shop.placeOrder({ orderId: 'o-2', amount: 40, items: [{ sku: 'book', qty: 1 }] });
      }`;
    const run = await runSource(code, { seed: 1, faults: { queues: { 'payment-service.saga': { duplicateRate: 0.5 } } } });
    expect(run.status).toBe('ok');
    const report = checkOrderSaga(run.events);
    expect(report.ok, JSON.stringify(report.violations)).toBe(true);
    const statuses = run.events.filter((e) => e.kind === 'state' && (e as { component: string }).component.startsWith('order:')).map((e) => (e as { to: string }).to);
    expect(statuses).toContain('completed');
    expect(statuses).toContain('cancelled');
  });
});
