/**
 * Kernel figures: timer events per second and 100,000 HTTP calls between ten
 * services, each next to a baseline measured in this same run.
 */
import { performance } from 'node:perf_hooks';
import { TimerHeap } from '../src/sim/timer-heap.js';
import { VirtualScheduler } from '../src/sim/scheduler.js';
import { createWorld } from '../src/sim/world.js';
import { measure, report } from './util.js';

const N = 1_000_000;

/** Baseline: a bare binary-heap loop doing the same scheduling (each event schedules its successor). */
function bareHeapLoop(n: number): number {
  const heap = new TimerHeap<{ time: number; seq: number; index: number; fn: () => void }>();
  let seq = 0;
  let now = 0;
  let count = 0;
  const tick = () => {
    if (++count < n) heap.push({ time: now + 1 + (count % 7), seq: seq++, index: -1, fn: tick });
  };
  for (let i = 0; i < 64; i++) heap.push({ time: i, seq: seq++, index: -1, fn: tick });
  for (let e = heap.pop(); e; e = heap.pop()) {
    now = e.time;
    e.fn();
  }
  return count;
}

async function kernelLoop(n: number, sync: boolean): Promise<number> {
  const s = new VirtualScheduler();
  let count = 0;
  const opts = { sync };
  const tick = () => {
    if (++count < n) s.after(1 + (count % 7), tick, opts);
  };
  for (let i = 0; i < 64; i++) s.at(i, tick, opts);
  await s.run();
  return count;
}

async function httpCalls(calls: number): Promise<number> {
  const world = createWorld({ seed: 1 });
  const names = Array.from({ length: 10 }, (_, i) => `svc${i}`);
  for (const name of names) world.service(name).post('/work', (req) => ({ ok: true, n: req.body.n }));
  let done = 0;
  const perCaller = calls / names.length;
  names.forEach((from, i) => {
    const client = world.service(from).http;
    const target = `http://${names[(i + 1) % names.length]}/work`;
    const loop = async () => {
      for (let k = 0; k < perCaller / 50; k++) {
        // 50 calls in flight per caller
        await Promise.all(Array.from({ length: 50 }, (_, j) => client.post(target, { n: j }, { timeout: 1000 }).then(() => done++)));
      }
    };
    void loop();
  });
  await world.run();
  if (done !== calls) throw new Error(`only ${done} of ${calls} calls completed`);
  return world.scheduler.eventsRun;
}

export async function run(): Promise<void> {
  const perSec = (n: number, ms: number) => (n / ms) * 1000;
  const base = await measure(() => bareHeapLoop(N), 3);
  const syncMs = await measure(() => kernelLoop(N, true), 3);
  report('kernel timer events (bookkeeping callbacks)', perSec(N, syncMs), 'events/s', perSec(N, base), 'bare binary-heap loop', '≥ 1,000,000 events/s');
  const asyncN = 200_000;
  const asyncMs = await measure(() => kernelLoop(asyncN, false), 3);
  report('kernel timer events (callbacks that may start promises, one real-task hop each)', perSec(asyncN, asyncMs), 'events/s', perSec(N, base), 'bare binary-heap loop');

  const CALLS = 100_000;
  let events = 0;
  const httpMs = await measure(async () => {
    events = await httpCalls(CALLS);
  }, 3);
  const t0 = performance.now();
  bareHeapLoop(events);
  const baseEvents = performance.now() - t0;
  report(`10 services, ${CALLS.toLocaleString('en-US')} HTTP calls (${events.toLocaleString('en-US')} scheduler events)`, httpMs, 'ms', baseEvents, 'bare heap loop, same event count', '< 1000 ms');
}
