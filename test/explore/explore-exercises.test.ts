/**
 * Exercises judged over many schedules: each one's flaw does not show in the
 * example's own run of its starting code, but it fails the exercise over its
 * 200 schedules; its reference solution passes all of them; and each cheat in
 * its `cheats/` folder is rejected by the checks it names, in some schedule.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadAllExamples } from '../../examples/index.js';
import type { Example, RunOutcome } from '../../examples/types.js';
import type { RunProgram } from '../../src/explore/judge-run.js';
import { checkOverSchedules, isExploring, type ExploringExercise } from '../../src/ui/exercise-explore.js';
import { nodeProgram, type NodeProgram } from './node-program.js';

const examples = await loadAllExamples();
// The capstone is an assignment whose skeleton fails everywhere: capstone.test.ts tests it.
const exercises = examples
  .filter((e) => e.id !== 'capstone')
  .flatMap((example) => example.exercises.filter(isExploring).map((exercise) => ({ example, exercise })));
const files = import.meta.glob<string>('../../examples/*/cheats/*/*.ts', { query: '?raw', import: 'default', eager: true });
const cheatsOf = (example: Example, exercise: ExploringExercise) =>
  Object.entries(files)
    .filter(([path]) => path.includes(`/examples/${example.id}/cheats/${exercise.id}/`))
    .map(([path, code]) => ({
      name: path.split('/').at(-1)!.replace(/\.ts$/, ''),
      code,
      rejectedBy: /^\/\/ rejected by: (.+)$/m.exec(code)?.[1]?.split(',').map((s) => s.trim()) ?? [],
    }));

const programs: NodeProgram[] = [];
const program = (code: string): RunProgram => {
  const p = nodeProgram(code);
  programs.push(p);
  return p.run;
};
afterAll(() => programs.forEach((p) => p.dispose()));

const starterOf = (example: Example, exercise: ExploringExercise) => exercise.starter ?? example.code;
const failures = (v: Awaited<ReturnType<typeof checkOverSchedules>>) => v.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${c.message}`);

describe('exercises checked over many schedules', () => {
  it('there are at least three, across the saga, idempotency and retry examples', () => {
    const where = new Set(exercises.map((x) => x.example.id));
    expect(exercises.length).toBeGreaterThanOrEqual(3);
    expect(where.has('choreography-saga') || where.has('orchestration-saga')).toBe(true);
    expect(where).toContain('idempotency');
    expect(where).toContain('retry-backoff');
    for (const { exercise } of exercises) expect(exercise.explore.runs).toBe(200);
  });
});

describe.each(exercises.map((x) => [`${x.example.id}/${x.exercise.id}`, x] as const))('%s', (_name, { example, exercise }) => {
  it('the flaw does not show in the example\'s own run of the starting code', { timeout: 60_000 }, async () => {
    const run = (await program(starterOf(example, exercise))(example.seed, example.faults ?? {})) as RunOutcome;
    expect(run.status, JSON.stringify(run.error)).toBe('ok');
    for (const c of exercise.checks) expect(c.check(run), c.id).toMatchObject({ passed: true });
  });

  it('the starting code fails over its schedules, naming how often and the simplest case', { timeout: 180_000 }, async () => {
    const v = await checkOverSchedules(example, exercise, program(starterOf(example, exercise)));
    expect(v).toMatchObject({ runs: 200, total: 200, stopped: false, errors: [] });
    const failed = v.checks.filter((c) => !c.passed);
    expect(failed.length).toBeGreaterThan(0);
    for (const c of failed) {
      // Only in some schedules: that is why one run does not show it.
      expect(c.failedRuns).toBeGreaterThan(0);
      expect(c.failedRuns).toBeLessThan(200);
      expect(c.message).toMatch(new RegExp(`^Failed in ${c.failedRuns} of 200 schedules: .+ Simplest case found: seed \\S+ \\(.+\\)\\.$`));
      expect(c.simplest).toBeDefined();
    }
    // The simplest case reproduces the failure on its own, as Replay runs it.
    const [first] = failed;
    const again = (await program(starterOf(example, exercise))(first!.simplest!.seed, first!.simplest!.faults)) as RunOutcome;
    expect(exercise.checks.find((c) => c.id === first!.id)!.check(again).passed).toBe(false);
  });

  it('the reference solution passes in all 200 schedules', { timeout: 180_000 }, async () => {
    const v = await checkOverSchedules(example, exercise, program(exercise.solution));
    expect(failures(v)).toEqual([]);
    expect(v).toMatchObject({ runs: 200, stopped: false, errors: [] });
    for (const c of v.checks) expect(c.message).toBe('Held in 200 of 200 schedules.');
  });

  const cheats = cheatsOf(example, exercise);
  it('has at least two cheats', () => expect(cheats.length).toBeGreaterThanOrEqual(2));

  it.each(cheats.map((c) => [c.name, c] as const))('cheat %s is rejected by the checks it names', { timeout: 180_000 }, async (_n, cheat) => {
    expect(cheat.rejectedBy.length).toBeGreaterThan(0);
    // Stops at the first schedule that rejects it: how often it fails is not the point.
    const stop = new AbortController();
    const run = program(cheat.code);
    const named = exercise.checks.filter((c) => cheat.rejectedBy.includes(c.id));
    let clean = 0;
    const watched: RunProgram = async (seed, faults, signal) => {
      const r = await run(seed, faults, signal);
      if (r.status === 'ok') clean++;
      if (named.some((c) => !c.check(r as RunOutcome).passed)) stop.abort('rejected');
      return r;
    };
    const v = await checkOverSchedules(example, exercise, watched, { signal: stop.signal });
    // A cheat is a working program, rejected for what it skips.
    expect(v.errors).toEqual([]);
    expect(clean).toBe(v.runs);
    for (const id of cheat.rejectedBy) expect(v.checks.find((c) => c.id === id), id).toMatchObject({ passed: false });
  });
});
