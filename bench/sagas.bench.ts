/**
 * Sagas: (1) 10,000 orders through the reference choreography in one world
 * (order, payment and inventory services on the event bus), next to the
 * broker alone delivering the same number of messages (publish → deliver →
 * ack, prefetch 10, one world); (2) 1,000 seeded runs of a 20-order saga
 * with a random fault plan (down windows, duplicates, crashes before ack,
 * delays) and every invariant checked, next to the broker alone delivering
 * the same number of messages in 1,000 fresh worlds. Figures are wall time
 * and trace events per second. `scheduler.run()` is used rather than
 * `world.run()`, which would add hashing the whole trace.
 */
import { Buffer, brokerOf, connect } from '../src/messaging/index.js';
import { checkOrderSaga } from '../src/patterns/invariants/invariant-checks.js';
import { createOrderChoreography } from '../src/patterns/sagas/saga-order-choreography.js';
import { sagaEnvOf } from '../src/patterns/sagas/saga-env.js';
import { randomSagaScenario, runSagaScenario } from '../src/patterns/sagas/saga-scenario.js';
import { Rng } from '../src/sim/rng.js';
import { createWorld } from '../src/sim/world.js';
import { measure, report } from './util.js';

const ORDERS = 10_000;
const RUNS = 1_000;
const RUN_ORDERS = 20;

interface Counts {
  traceEvents: number;
  published: number;
  delivered: number;
}

/** 10,000 orders placed at once; returns what moved. */
async function choreography(check: boolean): Promise<Counts> {
  const world = createWorld({ seed: 1 });
  const work = (async () => {
    const shop = await createOrderChoreography(sagaEnvOf(world), { stock: { book: ORDERS, pen: ORDERS / 4 }, creditLimit: 950 });
    const placing: Promise<void>[] = [];
    for (let i = 0; i < ORDERS; i++) placing.push(shop.placeOrder({ orderId: `o-${i}`, amount: 10 + (i % 1000), items: [{ sku: i % 3 === 0 ? 'pen' : 'book', qty: 1 }] }));
    await Promise.all(placing);
    return shop;
  })();
  await world.scheduler.run();
  const shop = await work;
  const counts = countMessages(world.trace.events);
  if (check) {
    const r = checkOrderSaga(world.trace.events, { finalStock: shop.stock(), queues: brokerOf(world).snapshot().queues });
    if (!r.ok) throw new Error(`bench: the choreography broke an invariant: ${r.violations[0]!.message}`);
    const statuses = [...shop.orderStatuses().values()];
    if (statuses.length !== ORDERS || statuses.some((s) => s !== 'completed' && s !== 'cancelled')) throw new Error('bench: not every order finished');
  }
  return counts;
}

function countMessages(events: readonly { kind: string }[]): Counts {
  let published = 0;
  let delivered = 0;
  for (const e of events) {
    if (e.kind === 'mq.publish') published++;
    else if (e.kind === 'mq.deliver') delivered++;
  }
  return { traceEvents: events.length, published, delivered };
}

/** The broker alone: `n` messages published at once to a queue whose consumer acks each (prefetch 10). */
async function brokerAlone(n: number): Promise<number> {
  const world = createWorld({ seed: 1 });
  const main = async () => {
    const conn = await connect(world, 'bench');
    const ch = await conn.createChannel();
    await ch.assertQueue('q');
    await ch.prefetch(10);
    await ch.consume('q', (msg) => {
      if (msg) ch.ack(msg);
    });
    const payload = Buffer.from('{"eventType":"OrderCreated","data":{"orderId":"o-1","amount":42}}');
    for (let i = 0; i < n; i++) ch.sendToQueue('q', payload, { persistent: true });
  };
  const p = main();
  await world.scheduler.run();
  await p;
  if (brokerOf(world).queueStats('q').acked !== n) throw new Error('bench: the broker lost messages');
  return world.trace.length;
}

/** 1,000 seeded 20-order runs with random faults, every invariant checked; counts what moved when asked. */
async function checkedRuns(count?: Counts & { runs: number[] }): Promise<void> {
  for (let i = 0; i < RUNS; i++) {
    const run = await runSagaScenario(randomSagaScenario(new Rng(`bench-${i}`), 'choreography', RUN_ORDERS));
    if (!run.report.ok) throw new Error(`bench: run ${i} broke an invariant: ${run.report.violations[0]!.message}`);
    if (!count) continue;
    const c = countMessages(run.world.trace.events);
    count.traceEvents += c.traceEvents;
    count.published += c.published;
    count.delivered += c.delivered;
    count.runs.push(c.delivered);
  }
}

/** Two sections, each run in a process of its own by bench/index.ts. */
export const sections = { tenThousandOrders, thousandCheckedRuns };

/** 10,000 orders in one world. */
async function tenThousandOrders(): Promise<void> {
  const counts = await choreography(true);
  const sagaMs = await measure(() => choreography(false), 3);
  let brokerEvents = 0;
  const brokerMs = await measure(async () => void (brokerEvents = await brokerAlone(counts.delivered)), 3);
  console.log(`10,000 orders: ${counts.published.toLocaleString('en-US')} messages published, ${counts.delivered.toLocaleString('en-US')} delivered, ${counts.traceEvents.toLocaleString('en-US')} trace events; every invariant holds`);
  report(`choreography saga, ${ORDERS.toLocaleString('en-US')} orders in one world (wall time)`, sagaMs, 'ms', brokerMs, `broker alone delivering the same ${counts.delivered.toLocaleString('en-US')} messages`, '< 1,000 ms');
  report('choreography saga, 10,000 orders: trace events per second', counts.traceEvents / (sagaMs / 1000), 'events/s', brokerEvents / (brokerMs / 1000), 'broker alone');
}

/** 1,000 checked runs of 20 orders with random faults. */
async function thousandCheckedRuns(): Promise<void> {
  // The warm-up pass counts what moved; the timed passes only run and check.
  const t: Counts & { runs: number[] } = { traceEvents: 0, published: 0, delivered: 0, runs: [] };
  let first = true;
  const runsMs = await measure(() => {
    const counting = first;
    first = false;
    return checkedRuns(counting ? t : undefined);
  }, 3);
  let baseEvents = 0;
  const baseMs = await measure(async () => {
    baseEvents = 0;
    for (const n of t.runs) baseEvents += await brokerAlone(n);
  }, 3);
  console.log(`1,000 runs × 20 orders: ${t.published.toLocaleString('en-US')} messages published, ${t.delivered.toLocaleString('en-US')} delivered, ${t.traceEvents.toLocaleString('en-US')} trace events; every invariant checked in every run`);
  report(`${RUNS.toLocaleString('en-US')} seeded runs of a ${RUN_ORDERS}-order saga with random faults and all invariant checks (wall time)`, runsMs, 'ms', baseMs, '1,000 fresh worlds, broker alone delivering the same messages', '< 2,000 ms');
  report('1,000 checked runs: trace events per second', t.traceEvents / (runsMs / 1000), 'events/s', baseEvents / (baseMs / 1000), 'broker alone');
}
