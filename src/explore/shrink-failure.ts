import type { FaultPlan } from '../sim/faults.js';
import { realClock } from './explore.js';
import type { Seed } from './explore-request.js';
import { describePlanDiff, faultItems, planFromItems, type FaultItem } from './fault-items.js';
import { failureOf, judgeRun, type ExploreCheck, type RunProgram } from './judge-run.js';
import type { ExploreFindings } from './explore-tally.js';
import { smallerItems } from './smaller-items.js';

/** Options of {@link shrinkFailure}. */
export interface ShrinkOptions {
  run: RunProgram;
  seed: Seed;
  /** The plan the failure was found with. */
  faults: FaultPlan;
  /** What must keep failing: a key from `targetKey` (`check:<id>`, `invariant:<name>`, `error:<group>`). */
  target: string;
  /** The checks of the explore (a `check:` target needs its check among them). */
  checks?: readonly ExploreCheck[];
  /** Most runs to spend, the first (which confirms the failure) included; default 200. */
  maxRuns?: number;
  /** Most real time to spend, in ms; default 10,000. */
  maxMs?: number;
  signal?: AbortSignal;
  /** Real time in ms; default `performance.now`. */
  clock?: () => number;
  /** Called after each smaller plan that still fails. */
  onSmaller?: (step: { runs: number; faults: FaultPlan }) => void;
}

/**
 * Why shrinking ended: nothing smaller fails (`minimal`), the run or time
 * budget ran out, the signal stopped it, or the failure did not happen again
 * on the original plan (`not-reproduced`: the program is not deterministic).
 */
export type ShrinkEnd = 'minimal' | 'runs' | 'time' | 'stopped' | 'not-reproduced';

/** The smallest failing case found. */
export interface ShrinkResult {
  target: string;
  seed: Seed;
  original: FaultPlan;
  /** The smallest plan found that still fails `target` with `seed` (the original when nothing smaller does). */
  shrunk: FaultPlan;
  /** One line: what shrinking removed and reduced (see `describePlanDiff`). */
  diff: string;
  /** The failure message with the shrunk plan. */
  message?: string;
  runs: number;
  wallMs: number;
  ended: ShrinkEnd;
}

/**
 * Shrinks a failing case to a smaller one that fails the same way with the
 * same seed: first it removes faults (all at once, then halves, quarters, …,
 * one by one, as delta debugging does), then it makes each remaining fault
 * smaller (lower rates, shorter latencies, half a window) for as long as the
 * failure stays. Each try is one run; it stops at its run or time budget and
 * returns the smallest failing plan found so far.
 *
 * @example
 * const { shrunk, diff } = await shrinkFailure({ run, seed: 17, faults, target: 'check:charged-once', checks });
 * diff; // 'removed 2 of 3 faults; payment-service.OrderCreated duplicates 62% → 8%'
 */
export async function shrinkFailure(options: ShrinkOptions): Promise<ShrinkResult> {
  const { run, seed, target, signal } = options;
  const checks = options.checks ?? [];
  const maxRuns = options.maxRuns ?? 200;
  const maxMs = options.maxMs ?? 10_000;
  const clock = options.clock ?? realClock();
  const started = clock();
  let runs = 0;
  let ended: ShrinkEnd | undefined;

  /** The failure message when `plan` still fails the target; undefined when it does not, or when the budget is spent. */
  const failsWith = async (plan: FaultPlan): Promise<string | undefined> => {
    if (signal?.aborted) ended = 'stopped';
    else if (runs >= maxRuns) ended = 'runs';
    else if (clock() - started >= maxMs) ended = 'time';
    if (ended) return undefined;
    runs++;
    const r = await run(seed, plan, signal);
    if (signal?.aborted && r.status === 'stopped') {
      ended = 'stopped';
      return undefined;
    }
    return failureOf(judgeRun(r, checks), target);
  };

  let message = await failsWith(options.faults);
  let current = faultItems(options.faults);
  const result = (end: ShrinkEnd): ShrinkResult => {
    const shrunk = end === 'not-reproduced' ? options.faults : planFromItems(current);
    const out: ShrinkResult = { target, seed, original: options.faults, shrunk, diff: describePlanDiff(options.faults, shrunk), runs, wallMs: clock() - started, ended: end };
    if (message !== undefined) out.message = message;
    return out;
  };
  if (message === undefined) return result(ended ?? 'not-reproduced');

  const accept = async (candidate: FaultItem[]): Promise<boolean> => {
    const m = await failsWith(planFromItems(candidate));
    if (m === undefined) return false;
    current = candidate;
    message = m;
    options.onSmaller?.({ runs, faults: planFromItems(candidate) });
    return true;
  };

  // 1. Remove faults: all of them, then chunks of halving size; one by one until none can go.
  if (current.length > 0 && !(await accept([]))) {
    for (let size = Math.ceil(current.length / 2); size >= 1 && !ended; size = Math.floor(size / 2)) {
      let removedAny = true;
      while (removedAny && !ended) {
        removedAny = false;
        for (let i = 0; i < current.length && !ended; ) {
          if (current.length <= size && size > 1) break; // removing everything was tried first
          if (await accept([...current.slice(0, i), ...current.slice(i + size)])) removedAny = true;
          else i += size;
        }
        if (size > 1) break; // one sweep per chunk size; only single removals repeat until none works
      }
    }
  }
  // 2. Make each remaining fault smaller, for as long as one gets smaller.
  let smaller = true;
  while (smaller && !ended) {
    smaller = false;
    for (let i = 0; i < current.length && !ended; i++) {
      for (const item of smallerItems(current[i]!)) {
        if (await accept([...current.slice(0, i), item, ...current.slice(i + 1)])) {
          smaller = true;
          break;
        }
        if (ended) break;
      }
    }
  }
  return result(ended ?? 'minimal');
}

/** Options of {@link shrinkFindings}: those of {@link shrinkFailure} but the case, which comes from the findings. */
export interface ShrinkFindingsOptions extends Omit<ShrinkOptions, 'seed' | 'faults' | 'target'> {
  /** Called as each target is shrunk, in order. */
  onResult?: (result: ShrinkResult) => void;
}

/**
 * Shrinks the first failing case of every check, invariant and error group
 * that failed in an explore, one after the other, each within the budget of
 * `options`. Stopping the signal ends the one in progress and skips the rest.
 */
export async function shrinkFindings(
  findings: Pick<ExploreFindings, 'checks' | 'errors'>,
  options: ShrinkFindingsOptions,
): Promise<ShrinkResult[]> {
  const cases = [
    ...findings.checks.flatMap((c) => (c.firstFailure ? [{ target: c.key, seed: c.firstFailure.seed, faults: c.firstFailure.faults }] : [])),
    ...findings.errors.map((e) => ({ target: e.key, seed: e.firstSeed, faults: e.firstFaults })),
  ];
  const results: ShrinkResult[] = [];
  for (const c of cases) {
    if (options.signal?.aborted) break;
    const r = await shrinkFailure({ ...options, ...c });
    results.push(r);
    options.onResult?.(r);
  }
  return results;
}
