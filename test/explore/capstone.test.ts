/**
 * The capstone, graded over schedules as the page grades it: every
 * requirement fails on the skeleton and holds on the reference solution in
 * all 200 schedules of the quick check, and each cheat is rejected by the
 * requirement it names. The final grade (1,000 schedules) of the reference
 * solution takes about a minute in Node, so it runs only with
 * SPP_FINAL_GRADE=1.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadExample } from '../../examples/index.js';
import type { RunOutcome } from '../../examples/types.js';
import type { RunProgram } from '../../src/explore/judge-run.js';
import { checkOverSchedules, isExploring } from '../../src/ui/exercise-explore.js';
import { nodeProgram, type NodeProgram } from './node-program.js';

const example = await loadExample('capstone');
const exercise = example.exercises.find(isExploring)!;
const cheats = Object.entries(import.meta.glob<string>('../../examples/capstone/cheats/order-system/*.ts', { query: '?raw', import: 'default', eager: true })).map(([path, code]) => ({
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

/** A runner that stops the check once `done` says every run so far has shown enough. */
function stopping(run: RunProgram, done: (r: RunOutcome) => boolean) {
  const stop = new AbortController();
  const watched: RunProgram = async (seed, faults, signal) => {
    const r = await run(seed, faults, signal);
    if (done(r as RunOutcome)) stop.abort('enough');
    return r;
  };
  return { watched, signal: stop.signal };
}

describe('capstone', () => {
  it('is last in the course, with six requirements, a quick check of 200 and a final grade of 1,000 schedules', async () => {
    const { catalog } = await import('../../examples/index.js');
    expect(catalog.at(-1)!.id).toBe('capstone');
    expect(exercise.checks.map((c) => c.id)).toEqual(['accepted-202', 'payment-protected', 'bus-per-subscriber', 'saga-compensates', 'charged-once', 'nothing-pending']);
    expect(exercise.explore).toMatchObject({ runs: 200, finalRuns: 1000 });
    for (const c of exercise.checks) expect(example.lesson, c.id).toMatch(new RegExp(c.title.split(' ')[0]!, 'i'));
  });

  it('every requirement fails on the skeleton, each with its count and simplest case', { timeout: 180_000 }, async () => {
    const failing = new Set<string>();
    const { watched, signal } = stopping(program(example.code), (r) => {
      for (const c of exercise.checks) if (!c.check(r).passed) failing.add(c.id);
      return failing.size === exercise.checks.length;
    });
    const v = await checkOverSchedules(example, exercise, watched, { signal });
    expect(v.errors).toEqual([]);
    for (const c of v.checks) {
      expect(c.passed, c.id).toBe(false);
      expect(c.message).toMatch(/^Failed in \d+ of \d+ schedules: .+ Simplest case found: seed /);
    }
  });

  it('every requirement holds on the reference solution in all 200 schedules of the quick check', { timeout: 180_000 }, async () => {
    const v = await checkOverSchedules(example, exercise, program(exercise.solution));
    expect(v.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${c.message}`)).toEqual([]);
    expect(v).toMatchObject({ runs: 200, stopped: false, errors: [] });
  });

  it.runIf(process.env['SPP_FINAL_GRADE'] === '1')('the reference solution passes the final grade of 1,000 schedules', { timeout: 600_000 }, async () => {
    const v = await checkOverSchedules(example, { ...exercise, explore: { ...exercise.explore, runs: exercise.explore.finalRuns! } }, program(exercise.solution));
    expect(v.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${c.message}`)).toEqual([]);
    expect(v.runs).toBe(1000);
  });

  it('has cheats, each naming requirements it has', () => {
    expect(cheats.length).toBeGreaterThanOrEqual(3);
    for (const c of cheats) {
      expect(c.rejectedBy.length, c.name).toBeGreaterThan(0);
      for (const id of c.rejectedBy) expect(exercise.checks.map((k) => k.id)).toContain(id);
    }
  });

  it.each(cheats.map((c) => [c.name, c] as const))('cheat %s runs cleanly and is rejected by the requirement it names', { timeout: 180_000 }, async (_n, cheat) => {
    const named = exercise.checks.filter((c) => cheat.rejectedBy.includes(c.id));
    const { watched, signal } = stopping(program(cheat.code), (r) => named.every((c) => !c.check(r).passed));
    let clean = 0;
    const counted: RunProgram = async (...a) => {
      const r = await watched(...a);
      if (r.status === 'ok') clean++;
      return r;
    };
    const v = await checkOverSchedules(example, exercise, counted, { signal });
    expect(v.errors).toEqual([]);
    expect(clean).toBe(v.runs);
    for (const id of cheat.rejectedBy) expect(v.checks.find((c) => c.id === id), id).toMatchObject({ passed: false });
  });
});
