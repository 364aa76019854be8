import type { CheckResult, Example, RunOutcome } from '../../examples/types.js';

/** One check's verdict on a run, with where it came from. */
export interface EvaluatedCheck extends CheckResult {
  /** Unique within the example: `exerciseId:checkId`, or `example/checkId`. */
  key: string;
  id: string;
  title: string;
  /** The exercise's title, or undefined for the example's own expectations. */
  group?: string;
  exerciseId?: string;
}

/**
 * Runs every exercise check of `example` over a run. A check that throws
 * fails with the error's message instead of breaking the page. Exercises
 * judged over many schedules (`explore`) are left out: one run that passes
 * says nothing about them, so they are checked on request instead.
 */
export function evaluateChecks(example: Example, run: RunOutcome): EvaluatedCheck[] {
  const out: EvaluatedCheck[] = [];
  for (const ex of example.exercises) {
    if (ex.explore) continue;
    for (const c of ex.checks) {
      let r: CheckResult;
      try {
        r = c.check(run);
      } catch (e) {
        r = { passed: false, message: `The check itself failed: ${e instanceof Error ? e.message : String(e)}` };
      }
      out.push({ ...r, key: `${ex.id}:${c.id}`, id: c.id, title: c.title, group: ex.title, exerciseId: ex.id });
    }
  }
  return out;
}

/** Runs the example's own expectations (what its original code shows) over a run. */
export function evaluateExpected(example: Example, run: RunOutcome): EvaluatedCheck[] {
  return example.expected.map((c) => {
    let r: CheckResult;
    try {
      r = c.check(run);
    } catch (e) {
      r = { passed: false, message: `The check itself failed: ${e instanceof Error ? e.message : String(e)}` };
    }
    return { ...r, key: `example:${c.id}`, id: c.id, title: c.title };
  });
}
