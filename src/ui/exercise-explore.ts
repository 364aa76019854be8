import type { Example, Exercise, ExploreExercise } from '../../examples/types.js';
import { explore, type ExploreProgress, type ExploreResult } from '../explore/explore.js';
import { exploreSeeds, type Seed } from '../explore/explore-request.js';
import { describeItem, faultItems } from '../explore/fault-items.js';
import type { ExploreCheck, RunProgram } from '../explore/judge-run.js';
import type { FailingCase } from '../explore/explore-tally.js';
import type { FaultPlan } from '../sim/faults.js';
import type { EvaluatedCheck } from './checks.js';

/** An exercise that is judged over many schedules. */
export type ExploringExercise = Exercise & { explore: ExploreExercise };

/** Whether an exercise is judged over many schedules rather than on the learner's run. */
export const isExploring = (exercise: Exercise): exercise is ExploringExercise => exercise.explore !== undefined;

/** A failing schedule, to replay as a normal run. */
export interface ScheduleCase {
  seed: Seed;
  faults: FaultPlan;
}

/** One check's verdict over the schedules, with the simplest failing one found. */
export interface ScheduleCheck extends EvaluatedCheck {
  failedRuns: number;
  runs: number;
  /** The failing schedule with the fewest faults among those kept. */
  simplest?: ScheduleCase;
}

/** What checking an exercise over its schedules found. */
export interface ScheduleVerdict {
  checks: ScheduleCheck[];
  runs: number;
  total: number;
  /** Stopped before every schedule ran: the verdict is not final and is not saved. */
  stopped: boolean;
  /** The runs that failed for themselves (errors, budgets), grouped: `count × message`. */
  errors: string[];
}

/** Where checking one exercise over its schedules stands. */
export type ScheduleCheckState =
  | { kind: 'running'; done: number; total: number; failedRuns: number }
  | { kind: 'done'; verdict: ScheduleVerdict }
  | { kind: 'error'; message: string };

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The failing case among `cases` with the fewest faults (the first in seed order on a tie). */
function simplestOf(cases: readonly FailingCase[]): FailingCase | undefined {
  let best: FailingCase | undefined;
  let fewest = Infinity;
  for (const c of cases) {
    const n = faultItems(c.faults).length;
    if (n < fewest) [best, fewest] = [c, n];
  }
  return best;
}

/** The faults of a plan in a few words: `payment-service.OrderCreated duplicates 30%, …`. */
export function describeFaults(plan: FaultPlan): string {
  const items = faultItems(plan).map(describeItem);
  if (items.length === 0) return 'no faults';
  return items.map((d) => `${d.label} ${d.value}`).join(', ');
}

/**
 * Judges an exploring exercise over what an explore found: each check passes
 * when it failed in no more runs than its tolerance. A failing check says in
 * how many schedules it failed, the most frequent reason, and the simplest
 * failing schedule found (fewest faults), which the learner can replay or
 * shrink in the Explore view.
 *
 * @example
 * judgeOverSchedules(exercise, result).checks[0].message;
 * // 'Failed in 7 of 200 schedules: order-1 charged 2 times. Simplest case: seed choreo-1-12 (payment-service.OrderCreated duplicates 31%).'
 */
export function judgeOverSchedules(exercise: ExploringExercise, result: ExploreResult): ScheduleVerdict {
  const runs = result.runs;
  const errors = result.errors.map((e) => `${e.count} × ${e.message}`);
  const checks = exercise.checks.map((c, i): ScheduleCheck => {
    const tally = result.checks.find((t) => t.key === `check:${c.id}`) ?? result.checks[i];
    const failedRuns = tally?.failed ?? 0;
    const allowed = exercise.explore.tolerance?.[c.id] ?? 0;
    const base = { key: `${exercise.id}:${c.id}`, id: c.id, title: c.title, group: exercise.title, exerciseId: exercise.id, failedRuns, runs };
    if (runs === 0) return { ...base, passed: false, message: 'No schedule ran.' };
    if (failedRuns <= allowed) {
      const spare = failedRuns > 0 ? ` (failed in ${failedRuns}, ${allowed} allowed)` : '';
      return { ...base, passed: true, message: `Held in ${runs - failedRuns} of ${plural(runs, 'schedule')}${spare}.` };
    }
    const said = tally?.messages[0]?.message ?? 'failed';
    const reason = /[.!?…]$/.test(said) ? said : `${said}.`;
    const key = tally?.key ?? `check:${c.id}`;
    const simplest = simplestOf(result.failures.filter((f) => f.failed.includes(key))) ?? tally?.firstFailure;
    const where = simplest ? ` Simplest case found: seed ${String(simplest.seed)} (${describeFaults(simplest.faults)}).` : '';
    const check: ScheduleCheck = {
      ...base,
      passed: false,
      message: `Failed in ${failedRuns} of ${plural(runs, 'schedule')}${allowed > 0 ? ` (${allowed} allowed)` : ''}: ${reason}${where}`,
    };
    if (simplest) check.simplest = { seed: simplest.seed, faults: simplest.faults };
    return check;
  });
  return { checks, runs, total: result.total, stopped: result.stopped, errors };
}

/** Options of {@link checkOverSchedules}. */
export interface CheckOverSchedulesOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ExploreProgress) => void;
}

/**
 * Checks an exploring exercise: runs the program over the exercise's
 * schedules (`exploreSeeds(example.seed, runs)`, each with a plan drawn from
 * its space) with `run` (one per Worker), judges every run with the
 * exercise's checks, and the checks over the runs.
 */
export async function checkOverSchedules(
  example: Pick<Example, 'id' | 'seed'>,
  exercise: ExploringExercise,
  run: RunProgram | readonly RunProgram[],
  options: CheckOverSchedulesOptions = {},
): Promise<ScheduleVerdict> {
  const checks: ExploreCheck[] = exercise.checks.map((c) => ({ id: c.id, title: c.title, check: (r) => c.check(r) }));
  const result = await explore({
    run,
    seeds: exploreSeeds(example.seed, exercise.explore.runs),
    space: exercise.explore.space,
    checks,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return judgeOverSchedules(exercise, result);
}
