import { describe, expect, it } from 'vitest';
import type { Example } from '../../examples/types.js';
import type { RunRequest } from '../../src/runner/protocol.js';
import type { FaultSpace } from '../../src/sim/fault-space.js';
import { exploreChecksFor, judgeKind } from '../../src/ui/explore/explore-checks.js';
import { planWords, summaryLine } from '../../src/ui/explore/explore-results.js';
import { ExploreSession } from '../../src/ui/explore/explore-session.js';
import { barsOf, quantileLine } from '../../src/ui/explore/histogram-chart.js';
import { FakeRunner, fakeExamples } from './fake-app-deps.js';

const QUEUE = 'payment.orders';
/** Duplicates on the queue in every sampled plan, and payment errors in every one too. */
const SPACE: FaultSpace = {
  services: { payment: { errorRate: { chance: 1, min: 0.1, max: 0.5 } } },
  queues: { [QUEUE]: { duplicateRate: { chance: 1, min: 0, max: 0.8 } } },
};
const dupRate = (r: RunRequest) => r.faults?.queues?.[QUEUE]?.duplicateRate ?? 0;

/** A program that "charges twice" whenever its queue duplicates more than 30% of deliveries. */
function chargingRunner(): FakeRunner {
  const runner = new FakeRunner();
  runner.answer = (r) => ({ result: dupRate(r) > 0.3 ? 'charged twice' : 'charged once', virtualTime: 1000 + Number(r.seed) });
  return runner;
}

const chargedOnce: Example['exercises'][number] = {
  id: 'idem',
  title: 'Idempotent payment',
  task: '',
  hint: '',
  solution: '',
  checks: [{ id: 'once', title: 'charged once', check: (run) => ({ passed: run.result === 'charged once', message: `the run ${String(run.result)}` }) }],
};

function session(runner: FakeRunner) {
  let changes = 0;
  const s = new ExploreSession({ runner: () => runner, onChange: () => changes++, shrinkMs: 60_000 });
  return { s, changes: () => changes };
}

const request = (runs: number, code = 'program') => ({ code, baseSeed: 1, runs, space: SPACE, exampleId: 'alpha-calls' });
const checks = exploreChecksFor({ exercises: [chargedOnce] }, { sagas: false }).exercise;

describe('ExploreSession', () => {
  it('runs every seed once, with its own sampled plan, and counts each check', async () => {
    const runner = chargingRunner();
    const { s, changes } = session(runner);
    await s.start(request(60), checks);
    expect(runner.requests.map((r) => r.seed)).toEqual(Array.from({ length: 60 }, (_, i) => 1 + i));
    expect(new Set(runner.requests.map((r) => JSON.stringify(r.faults))).size).toBeGreaterThan(50);
    expect(s.phase.kind).toBe('done');
    if (s.phase.kind !== 'done') return;
    const tally = s.phase.result.checks.find((c) => c.key === 'check:idem/once')!;
    const failing = runner.requests.filter((r) => dupRate(r) > 0.3).length;
    expect([tally.failed, tally.passed]).toEqual([failing, 60 - failing]);
    expect(failing).toBeGreaterThan(10);
    expect(tally.messages[0]).toMatchObject({ message: 'the run charged twice', count: failing });
    expect(tally.firstFailure?.faults.queues?.[QUEUE]?.duplicateRate).toBeGreaterThan(0.3);
    expect(s.busy).toBe(false);
    expect(changes()).toBeGreaterThan(1);
  });

  it('gives the same counts for the same request (seeds and plans follow from it)', async () => {
    const a = session(chargingRunner()).s;
    const b = session(chargingRunner()).s;
    await a.start(request(40), checks);
    await b.start(request(40), checks);
    const counts = (s: ExploreSession) => (s.phase.kind === 'done' ? s.phase.result.checks.map((c) => [c.key, c.passed, c.failed]) : []);
    expect(counts(a)).toEqual(counts(b));
  });

  it('groups a program that fails on every seed into one error with its count', async () => {
    const runner = new FakeRunner();
    runner.answer = (r) => ({ status: 'error', error: { kind: 'runtime', message: `boom at ${String(r.seed)} ms`, line: 3 } });
    const { s } = session(runner);
    await s.start(request(25), []);
    if (s.phase.kind !== 'done') throw new Error('not done');
    expect(s.phase.result.errors).toHaveLength(1);
    expect(s.phase.result.errors[0]).toMatchObject({ kind: 'runtime', count: 25, firstSeed: 1 });
    expect(s.phase.result.failedRuns).toBe(25);
  });

  it('counts a run that spent its budget as a failure, with the reason', async () => {
    const runner = new FakeRunner();
    runner.answer = (r) => (Number(r.seed) % 5 === 0 ? { status: 'budget', error: { kind: 'budget', message: 'The run used its event budget of 200,000 callbacks' } } : {});
    const { s } = session(runner);
    await s.start(request(20), []);
    if (s.phase.kind !== 'done') throw new Error('not done');
    expect(s.phase.result.errors).toEqual([expect.objectContaining({ kind: 'budget', count: 4, message: 'The run used its event budget of 200,000 callbacks' })]);
    expect(s.phase.result.failedRuns).toBe(4);
  });

  it('stops on request and keeps what the finished runs found', async () => {
    const runner = chargingRunner();
    const { s } = session(runner);
    runner.hold = true;
    const started = s.start(request(1000), checks);
    for (let i = 0; i < 30; i++) {
      await new Promise((r) => setTimeout(r, 0));
      runner.release();
    }
    s.stop();
    runner.answer = () => ({ status: 'stopped', error: { kind: 'stopped', message: 'You stopped the run.' } });
    runner.release();
    await started;
    expect(runner.stops).toBeGreaterThan(0);
    if (s.phase.kind !== 'done') throw new Error('not done');
    const r = s.phase.result;
    expect(r.stopped).toBe(true);
    expect(r.runs).toBeGreaterThan(5);
    expect(r.runs).toBeLessThan(1000);
    expect(r.checks[0]!.passed + r.checks[0]!.failed).toBe(r.runs);
    expect(summaryLine(r)).toMatch(new RegExp(`Stopped after ${r.runs} of 1,000 runs`));
    expect(s.busy).toBe(false);
  });

  it('runs a seed again when something else stopped its run (a single Run on the same sandbox)', async () => {
    const runner = chargingRunner();
    let replaced = 2;
    const normal = runner.answer;
    runner.answer = (r) => (r.seed === 3 && replaced-- > 0 ? { status: 'stopped', error: { kind: 'stopped', message: 'Stopped: a newer run replaced it.' } } : normal(r));
    const { s } = session(runner);
    await s.start(request(5), checks);
    if (s.phase.kind !== 'done') throw new Error('not done');
    expect(s.phase.result.errors).toEqual([]);
    expect(runner.requests.filter((r) => r.seed === 3)).toHaveLength(3);
  });

  it('shrinks a failure to fewer and smaller faults that still fail, with a one-line diff', async () => {
    const runner = chargingRunner();
    const { s } = session(runner);
    await s.start(request(40), checks);
    if (s.phase.kind !== 'done') throw new Error('not done');
    const first = s.phase.result.checks[0]!.firstFailure!;
    await s.shrink('check:idem/once', first);
    const shrink = s.shrinks.get('check:idem/once');
    if (shrink?.kind !== 'done') throw new Error(`shrink: ${JSON.stringify(shrink)}`);
    const { shrunk, diff, seed, ended } = shrink.result;
    expect(seed).toBe(first.seed);
    expect(ended).toBe('minimal');
    expect(shrunk.services).toBeUndefined(); // the payment errors had nothing to do with it
    const rate = shrunk.queues?.[QUEUE]?.duplicateRate ?? 0;
    expect(rate).toBeGreaterThan(0.3);
    expect(rate).toBeLessThan(first.faults.queues![QUEUE]!.duplicateRate!);
    expect(diff).toMatch(/^removed 1 of 2 faults; payment\.orders duplicates \d+(\.\d)?% → \d+(\.\d)?%$/);
    expect(planWords(shrunk)).toMatch(/^payment\.orders duplicates \d/);
  });

  it('reports a program that cannot start as a failed explore, not as a thousand failed runs', async () => {
    const runner = new FakeRunner();
    const opening = Object.assign(runner, {
      openPool: () => Promise.resolve({ ok: false as const, report: { runId: 'p', status: 'error' as const, error: { kind: 'syntax' as const, message: 'Unexpected token', line: 2 }, events: [], traceHash: '', eventsRun: 0, virtualTime: 0, droppedLogs: 0, wallMs: 1 } }),
    });
    const { s } = session(opening);
    await s.start(request(10), []);
    expect(s.phase).toEqual({ kind: 'failed', message: 'The explore failed: Unexpected token (line 2)' });
    expect(s.busy).toBe(false);
  });
});

describe('explore checks and words', () => {
  it("judges by every exercise check of the example, and by the saga invariants where a saga runs", () => {
    const [alpha] = fakeExamples();
    const withSagas = exploreChecksFor(alpha, { sagas: true });
    expect(withSagas.exercise.map((c) => [c.id, c.title])).toEqual([['return-two/two', 'Return two: main returns 2']]);
    expect(withSagas.saga.length).toBeGreaterThan(5);
    expect(withSagas.saga.every((c) => c.id.startsWith('saga/'))).toBe(true);
    expect(exploreChecksFor(alpha, { sagas: false }).saga).toEqual([]);
    expect(['check:saga/charged-once', 'check:x/y', 'invariant:mine', 'error:runtime'].map(judgeKind)).toEqual(['saga invariant', 'exercise check', 'your invariant', 'run error']);
  });

  it('draws at most 24 bars and writes the quantiles out', () => {
    const buckets = Array.from({ length: 50 }, (_, i) => ({ from: i, to: i + 1, count: 1 }));
    const bars = barsOf(buckets);
    expect(bars.length).toBeLessThanOrEqual(24);
    expect(bars.reduce((n, b) => n + b.count, 0)).toBe(50);
    expect([bars[0]!.from, bars[bars.length - 1]!.to]).toEqual([0, 50]);
    expect(quantileLine({ count: 3, min: 1, max: 90, mean: 30, p50: 12, p95: 40.25, p99: 88, buckets: [] }, 'ms')).toBe('p50 12 ms · p95 40 ms · p99 88 ms');
    // Every run the same: said in words, not as three equal quantiles.
    expect(quantileLine({ count: 1000, min: 2588, max: 2588, mean: 2588, p50: 2588, p95: 2588, p99: 2588, buckets: [] }, 'ms')).toBe('all 1,000 are 2,588 ms');
    expect(quantileLine({ count: 1, min: 7, max: 7, mean: 7, p50: 7, p95: 7, p99: 7, buckets: [] })).toBe('one value: 7');
  });
});
