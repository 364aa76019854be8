/**
 * Every example of the course runs unchanged in real mode: its services on
 * real HTTP, its broker work on the suite's RabbitMQ (a virtual host of its
 * own), each with its own seed and fault plan, and each well within a minute
 * of wall-clock time. The checks of what an example shows
 * (`example.expected`) hold in real mode too, except the few listed below
 * with the reason.
 *
 * Time scales: `--time-scale` runs the program's clock faster (above 1) or
 * slower (below 1) than the wall clock; real network and processing time is
 * not scaled. Long waits (seconds to an hour) are played faster; where a
 * check compares program times with real round trips, a scale below 1 makes
 * those round trips small in the program's time, so the check holds on a
 * machine whose scheduler delays each of them by tens of milliseconds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type ExpectStatic } from 'vitest';
import { catalog, loadExample } from '../../examples/index.js';
import type { Example, RunOutcome } from '../../examples/types.js';
import { traceFromJSON, type TraceEvent, type TraceEventOf, type TraceKind } from '../../src/sim/index.js';
import { mainResult, runSpp, scratch } from './spp.js';
import { vhostUrl } from './vhosts.js';

/** How an example is run in real mode, and which of its checks cannot hold there. */
interface RealSettings {
  /** See the header. */
  timeScale: number;
  /** Ids of `expected` checks that depend on something only the simulation does, with why. */
  notInRealMode?: Record<string, string>;
}

/**
 * Why some checks hold only in the simulation. None of the examples' checks
 * depends on a broker fault (real mode ignores those: the duplicates of the
 * choreography and the broker latency of sync-vs-async change no check).
 * Three depend on a crash that the fault plan places, to the millisecond,
 * between two steps of the simulated timeline.
 */
const CRASH_BETWEEN_STEPS =
  'The fault plan crashes a process between two steps a few milliseconds apart in the simulated timeline; ' +
  'real round trips and scheduling delays move those steps by more than that, whatever the time scale that keeps the run under a minute.';

const SETTINGS: Record<string, RealSettings> = {
  // 9 s of payment latency; the client waits up to 30 s.
  'sync-rest-timeout': { timeScale: 10 },
  // A 1.2 s chain against a 300 ms answer: the check needs the async path's round trips (an HTTP call and a
  // publisher confirm, the first ones on new connections) well under 100 ms of program time.
  'sync-vs-async': { timeScale: 0.2 },
  'service-tokens': { timeScale: 1000 },
  'message-queue': { timeScale: 1 },
  'event-driven': { timeScale: 1 },
  'choreography-saga': { timeScale: 1 },
  // The orchestrator crashes at 230 ms: the sagas of order-1 and order-2 (70 ms of work and eight round trips each,
  // the second starting at 100 ms) must be over by then, so round trips must stay well under 20 ms of program time.
  'orchestration-saga': {
    timeScale: 0.15,
    notInRealMode: {
      'crash-strands-order': CRASH_BETWEEN_STEPS + " Here the crash at 230 ms must fall inside order-3's 50 ms payment call, after six round trips.",
    },
  },
  'circuit-breaker': { timeScale: 2 },
  // 50 orders 1 ms apart, then retries after the same delays: the herd check wants 40 of them within a second,
  // and each of the 50 sleeps is late by the machine's scheduling delay (in program time).
  'retry-backoff': { timeScale: 1 },
  // Orders every 200 ms pile up during an 8 s lock: each late timer (a busy machine's scheduling delay, in
  // program time) means fewer orders in the lock, and the check wants 30 of the simulation's 41.
  timeouts: { timeScale: 1 },
  deadlines: { timeScale: 2 },
  'graceful-failure': { timeScale: 10 },
  idempotency: { timeScale: 5 },
  'publisher-reliability': {
    timeScale: 1,
    notInRealMode: {
      'saved-never-shipped': CRASH_BETWEEN_STEPS + " Here the crash opens 1 ms after order-3's commit, within its 10 ms acknowledgement.",
      'customer-told-error': CRASH_BETWEEN_STEPS + ' Here the crash opens within the 10 ms between the commit of order-3 and its publish.',
    },
  },
  // The support desk's cancellation of order-5 comes 100 ms before the relay publishes the order.
  'durable-consumers': {
    timeScale: 0.25,
    notInRealMode: {
      'redelivery-reserves-twice': CRASH_BETWEEN_STEPS + " Here the crash opens 9 ms after order-3's commit and 2 ms before its ack.",
    },
  },
  // 30 searches a second for 8 s on real HTTP; the storm needs no more precision than a busy machine gives.
  'retry-storm': { timeScale: 1 },
  // 70 calls a second for 6 s; the stuck calls take 5 s of program time.
  'cascading-failure': { timeScale: 1 },
  // The skeleton of the order system: a few orders over HTTP and the bus.
  capstone: { timeScale: 1 },
};

interface RealRun {
  outcome: RunOutcome;
  stdout: string;
}

async function runExample(expect: ExpectStatic, example: Example, settings: RealSettings): Promise<RealRun> {
  const dir = scratch({ 'faults.json': JSON.stringify(example.faults ?? {}) });
  const trace = join(dir, 'trace.json');
  const args = ['run', `examples/${example.id}/main.ts`, '--seed', String(example.seed), '--faults', join(dir, 'faults.json'), '--time-scale', String(settings.timeScale), '--trace', trace];
  const run = await runSpp([...args, '--amqp', vhostUrl(example.id)]);
  expect(run.stderr + run.stdout, 'exit code').toContain('main() returned');
  expect(run.code, run.stderr).toBe(0);
  expect(run.ms, 'wall-clock time').toBeLessThan(60_000);
  const events = traceFromJSON(readFileSync(trace, 'utf8'));
  expect(events.filter((e) => e.kind === 'error')).toEqual([]);
  return { outcome: { status: 'ok', events, result: mainResult(run.stdout) }, stdout: run.stdout };
}

const ofKind = <K extends TraceKind>(events: readonly TraceEvent[], kind: K) => events.filter((e) => e.kind === kind) as unknown as TraceEventOf<K>[];

// Several at a time: most of a run is waiting (on the program's sleeps, slowed or not), so the runs
// share the machine well, and the suite stays within a few minutes on a busy one.
describe.concurrent('the examples in real mode', () => {
  it('has settings for every example', ({ expect }) => {
    expect(Object.keys(SETTINGS).sort()).toEqual(catalog.map((m) => m.id).sort());
  });

  for (const { id } of catalog) {
    const settings = SETTINGS[id];
    if (!settings) continue;
    it(`${id}: runs to the end and shows what it shows in the page`, async ({ expect }) => {
      const example = await loadExample(id);
      const { outcome } = await runExample(expect, example, settings);
      const skipped = settings.notInRealMode ?? {};
      const verdicts = example.expected.filter((c) => !(c.id in skipped)).map((c) => ({ id: c.id, ...c.check(outcome) }));
      expect(verdicts.filter((v) => !v.passed).map((v) => `${v.id}: ${v.message}`)).toEqual([]);
      EXTRA[id]?.(expect, outcome);
    });
  }
});

/** What the trace of a real run shows beyond the example's own checks. */
const EXTRA: Record<string, (expect: ExpectStatic, run: RunOutcome) => void> = {
  'message-queue': (expect, { events }) => {
    // Each delivery points at its publish: the sequence diagram draws the arrow between them.
    const publishSeqs = new Set(ofKind(events, 'mq.publish').map((e) => e.seq));
    const delivered = ofKind(events, 'mq.deliver');
    expect(delivered.length).toBeGreaterThanOrEqual(6);
    expect(delivered.every((e) => e.causationId !== undefined && publishSeqs.has(e.causationId))).toBe(true);
  },
  'publisher-reliability': (expect, { events, result }) => {
    // The fault plan's crash happens wherever it lands; the process comes back, and every order whose
    // customer was told "placed" was announced and shipped (the publish is awaited before the answer).
    expect(ofKind(events, 'fault').filter((e) => e.fault === 'crash').map((e) => e.source)).toEqual(['order-service']);
    const { told, shipped } = result as { told: Record<string, number | string>; shipped: string[] };
    const placed = Object.keys(told).filter((id) => told[id] === 201);
    expect(placed.length).toBeGreaterThanOrEqual(4);
    expect(shipped).toEqual(expect.arrayContaining(placed));
  },
};
