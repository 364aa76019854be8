/**
 * Broker throughput: publish → route → enqueue → deliver → ack, in messages
 * per second of wall time, next to a bare RxJS Subject pipeline doing the same
 * steps (route by name, enqueue, hand to a consumer, ack) in the same run.
 * Every broker message also records its trace events (publish, route,
 * enqueue, deliver, ack). `scheduler.run()` is used rather than `world.run()`,
 * which would add hashing the whole trace to the figure.
 */
import { Subject, filter, map } from 'rxjs';
import { Buffer, brokerOf, connect } from '../src/messaging/index.js';
import { createWorld } from '../src/sim/world.js';
import { measure, report } from './util.js';

const N = 20_000;

/** Runs N messages through the broker; `paced` publishes one message per virtual ms instead of a burst. */
async function brokerRun(prefetch: number, paced: boolean): Promise<void> {
  const world = createWorld({ seed: 1 });
  const main = async () => {
    const conn = await connect(world, 'bench');
    const ch = await conn.createChannel();
    await ch.assertQueue('q', { durable: false });
    await ch.prefetch(prefetch);
    await ch.consume('q', (msg) => {
      if (msg) ch.ack(msg);
    });
    const payload = Buffer.from('{"orderId":1,"total":42}');
    if (!paced) for (let i = 0; i < N; i++) ch.sendToQueue('q', payload);
    else for (let i = 0; i < N; i++) world.scheduler.after(i, () => ch.sendToQueue('q', payload), { sync: true });
  };
  const p = main();
  await world.scheduler.run();
  await p;
  const s = brokerOf(world).queueStats('q');
  if (s.acked !== N) throw new Error(`bench: expected ${N} acks, got ${s.acked}`);
}

/** The same steps with a bare RxJS Subject: route by name, enqueue, deliver to a consumer, ack. */
async function subjectRun(): Promise<void> {
  interface M {
    id: number;
    routingKey: string;
    content: Uint8Array;
  }
  const published = new Subject<M>();
  const queues = new Map<string, M[]>([['q', []]]);
  const unacked = new Map<number, M>();
  let acked = 0;
  const ack = (m: M) => {
    if (unacked.delete(m.id)) acked++;
  };
  published
    .pipe(
      filter((m) => queues.has(m.routingKey)),
      map((m) => {
        const q = queues.get(m.routingKey)!;
        q.push(m);
        return q.shift()!;
      }),
    )
    .subscribe((m) => {
      unacked.set(m.id, m);
      ack(m);
    });
  const payload = Buffer.from('{"orderId":1,"total":42}');
  for (let i = 0; i < N; i++) published.next({ id: i, routingKey: 'q', content: payload.slice() });
  if (acked !== N) throw new Error('subject bench lost messages');
}

/**
 * The kernel alone, with the paced pattern's scheduling and no broker: per
 * message a sync publish, a sync broker step, an async delivery (one real-task
 * hop, as every user callback needs) and a sync ack. The ceiling for paced runs.
 */
async function kernelOnlyPaced(): Promise<void> {
  const world = createWorld({ seed: 1 });
  const s = world.scheduler;
  let n = 0;
  for (let i = 0; i < N; i++)
    s.after(i, () => s.after(1, () => s.after(1, () => s.after(1, () => void n++, { sync: true })), { sync: true }), { sync: true });
  await s.run();
  if (n !== N) throw new Error('kernel bench lost callbacks');
}

export async function run(): Promise<void> {
  const base = await measure(subjectRun, 7);
  const baseRate = N / (base / 1000);
  const cases: Array<[string, number, boolean]> = [
    ['burst, prefetch 0 (unlimited)', 0, false],
    ['burst, prefetch 100', 100, false],
    ['paced 1 msg/ms, prefetch 0', 0, true],
    ['burst, prefetch 1 (one round trip per message)', 1, false],
  ];
  for (const [name, prefetch, paced] of cases) {
    const ms = await measure(() => brokerRun(prefetch, paced), 5);
    report(`broker publish→route→deliver→ack, ${name}`, N / (ms / 1000), 'msg/s', baseRate, 'RxJS Subject pipeline', '≥ 200,000 msg/s');
  }
  const kernel = await measure(kernelOnlyPaced, 5);
  const paced = await measure(() => brokerRun(0, true), 5);
  report('broker paced 1 msg/ms vs the kernel alone on the same schedule', N / (paced / 1000), 'msg/s', N / (kernel / 1000), 'kernel only, 1 hop per message');
}
