import { describe, expect, it } from 'vitest';
import type { Exercise } from '../../examples/types.js';
import { exploreSeeds, faultPlanFor } from '../../src/explore/explore-request.js';
import type { RunProgram } from '../../src/explore/judge-run.js';
import type { ExecutedRun } from '../../src/runner/protocol.js';
import { checkOverSchedules, describeFaults, isExploring, type ExploringExercise } from '../../src/ui/exercise-explore.js';

/** Fault plans with duplicates on one queue at some rate; more rarely errors of a service as well. */
const SPACE = {
  queues: { 'pay.orders': { duplicateRate: { chance: 0.4, min: 0.1, max: 0.9 } } },
  services: { payment: { errorRate: { chance: 0.5, min: 0.1, max: 0.5 } } },
};
const example = { id: 'demo', seed: 'demo' };
/** A program that only says which plan it ran with. */
const echo: RunProgram = async (seed, faults) => ({ status: 'ok', events: [], traceHash: '', eventsRun: 0, virtualTime: 10, droppedLogs: 0, result: { seed, faults } });
const dupRate = (r: { result?: unknown }) => (r.result as { faults: ReturnType<typeof faultPlanFor> }).faults.queues?.['pay.orders']?.duplicateRate;

const exercise = (more: Partial<ExploringExercise['explore']> = {}): ExploringExercise => ({
  id: 'dedupe',
  title: 'Deduplicate',
  task: '',
  hint: '',
  solution: '',
  explore: { runs: 60, space: SPACE, ...more },
  checks: [
    { id: 'charged-once', title: 'charged once', check: (r) => (dupRate(r) ? { passed: false, message: 'order-1 charged twice' } : { passed: true, message: 'once' }) },
    { id: 'ends', title: 'the run ends', check: (r) => ({ passed: r.status === 'ok', message: r.status }) },
  ],
});
const seeds = exploreSeeds('demo', 60);
const duplicated = seeds.filter((s) => faultPlanFor(SPACE, s).queues?.['pay.orders']?.duplicateRate);

describe('checking an exercise over schedules', () => {
  it('tells exercises judged over schedules from the others', () => {
    const plain: Exercise = { ...exercise(), explore: undefined };
    expect(isExploring(exercise())).toBe(true);
    expect(isExploring(plain)).toBe(false);
  });

  it('fails a check that failed in some schedules, with the count, the reason and the simplest failing case', async () => {
    expect(duplicated.length).toBeGreaterThan(5);
    const v = await checkOverSchedules(example, exercise(), echo);
    expect(v).toMatchObject({ runs: 60, total: 60, stopped: false, errors: [] });
    const [charged, ends] = v.checks;
    expect(charged).toMatchObject({ key: 'dedupe:charged-once', exerciseId: 'dedupe', passed: false, failedRuns: duplicated.length, runs: 60 });
    // The simplest case: of the failing schedules, one with the fewest faults (duplicates only, no errors).
    const simplest = duplicated.find((s) => !faultPlanFor(SPACE, s).services)!;
    expect(charged!.simplest).toEqual({ seed: simplest, faults: faultPlanFor(SPACE, simplest) });
    expect(charged!.message).toBe(
      `Failed in ${duplicated.length} of 60 schedules: order-1 charged twice. Simplest case found: seed ${simplest} (${describeFaults(faultPlanFor(SPACE, simplest))}).`,
    );
    expect(charged!.message).toMatch(/pay\.orders duplicates \d+%\)\.$/);
    expect(ends).toMatchObject({ passed: true, failedRuns: 0, message: 'Held in 60 of 60 schedules.' });
    expect(ends!.simplest).toBeUndefined();
  });

  it('passes a check that failed in no more schedules than its tolerance, and says so', async () => {
    const v = await checkOverSchedules(example, exercise({ tolerance: { 'charged-once': duplicated.length } }), echo);
    expect(v.checks[0]).toMatchObject({ passed: true, message: `Held in ${60 - duplicated.length} of 60 schedules (failed in ${duplicated.length}, ${duplicated.length} allowed).` });
    const tight = await checkOverSchedules(example, exercise({ tolerance: { 'charged-once': duplicated.length - 1 } }), echo);
    expect(tight.checks[0]!.passed).toBe(false);
    expect(tight.checks[0]!.message).toMatch(new RegExp(`^Failed in ${duplicated.length} of 60 schedules \\(${duplicated.length - 1} allowed\\)`));
  });

  it('reports progress, and a stop keeps what was found as a stopped verdict', async () => {
    const stop = new AbortController();
    let calls = 0;
    const seen: number[] = [];
    const run: RunProgram = async (seed, faults, signal) => {
      if (++calls === 21) stop.abort('user');
      if (signal?.aborted) return { ...(await echo(seed, faults)), status: 'stopped' } as ExecutedRun;
      return echo(seed, faults);
    };
    const v = await checkOverSchedules(example, exercise(), run, { signal: stop.signal, onProgress: (p) => seen.push(p.done) });
    expect(v).toMatchObject({ stopped: true, runs: 20, total: 60 });
    expect(v.checks[1]!.message).toBe('Held in 20 of 20 schedules.');
    expect(seen.at(-1)).toBe(20);
  });

  it('groups runs that failed on their own, and fails every check when no schedule ran', async () => {
    const broken: RunProgram = async () => ({ status: 'error', events: [], traceHash: '', eventsRun: 0, virtualTime: 0, droppedLogs: 0, error: { kind: 'runtime', message: 'Error: boom at 12' } });
    const v = await checkOverSchedules(example, exercise({ runs: 5 }), broken);
    expect(v.errors).toEqual(['5 × Error: boom at 12']);
    expect(v.checks[1]).toMatchObject({ passed: false, failedRuns: 5 });
    const none = await checkOverSchedules(example, exercise({ runs: 0 }), echo);
    expect(none.checks.map((c) => [c.passed, c.message])).toEqual([
      [false, 'No schedule ran.'],
      [false, 'No schedule ran.'],
    ]);
  });
});
