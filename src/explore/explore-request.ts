import type { ExecutedRun, RunRequest } from '../runner/protocol.js';
import { checkFaultSpace } from '../sim/fault-space-check.js';
import { sampleFaultPlan, type FaultSpace, type FaultSpaceIssue } from '../sim/fault-space.js';
import type { FaultPlan } from '../sim/faults.js';
import { Rng } from '../sim/rng.js';
import type { RunProgram, Seed } from './run-program.js';

export type { Seed } from './run-program.js';

/** Runs an explore does when nothing says otherwise. */
export const DEFAULT_EXPLORE_RUNS = 1_000;
/** Most runs one explore may ask for. */
export const MAX_EXPLORE_RUNS = 100_000;

/**
 * Everything that decides an explore, as plain data a share link can carry:
 * the same request gives the same seeds, the same sampled plans, and so the
 * same runs and counts.
 */
export interface ExploreRequest {
  /** The program (TypeScript). */
  code: string;
  /** The seeds are `exploreSeeds(baseSeed, runs)`. */
  baseSeed: Seed;
  runs: number;
  /** What may vary; each seed's plan is `faultPlanFor(space, seed)`. */
  space: FaultSpace;
  /** The example whose checks judge the runs (the program's own invariants always do). */
  exampleId?: string;
  /** Event budget of each run (see the runner's limits). */
  maxEvents?: number;
  /** Wall-clock budget of each run in ms. */
  budgetMs?: number;
  /** Virtual time (ms) at which each run stops. */
  horizon?: number;
}

/** A failing run, reproducible on its own: run `code` with `seed` and `faults`. */
export interface Counterexample {
  code: string;
  seed: Seed;
  faults: FaultPlan;
}

const SEED_TEXT = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * The `n` seeds of an explore from its base seed. A number gives the numbers
 * from it upwards (downwards where they would leave the safe integers); text
 * gives `base-0`, `base-1`, … (the base cut so each stays a 32-character seed
 * a link can carry). Distinct, and the same for the same arguments.
 *
 * @example
 * exploreSeeds(42, 3);        // [42, 43, 44]
 * exploreSeeds('choreo-1', 2); // ['choreo-1-0', 'choreo-1-1']
 */
export function exploreSeeds(baseSeed: Seed, n: number): Seed[] {
  const count = Math.max(0, Math.floor(n));
  if (typeof baseSeed === 'number') {
    const up = Number.isSafeInteger(baseSeed + count);
    return Array.from({ length: count }, (_, i) => (up ? baseSeed + i : baseSeed - i));
  }
  return Array.from({ length: count }, (_, i) => {
    const suffix = `-${i}`;
    return `${baseSeed.slice(0, 32 - suffix.length)}${suffix}`;
  });
}

/**
 * The fault plan an explore runs `seed` with: drawn from `space` by a stream
 * of its own under the seed, so it depends on nothing else.
 */
export function faultPlanFor(space: FaultSpace, seed: Seed): FaultPlan {
  return sampleFaultPlan(space, new Rng(seed, 'explore/faults'));
}

/**
 * Checks a request read from a link: every problem with the path it is at,
 * the fault space's included (under `space.`). Empty when it is valid.
 */
export function checkExploreRequest(value: unknown): FaultSpaceIssue[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ path: 'request', message: 'must be an object' }];
  const r = value as Record<string, unknown>;
  const issues: FaultSpaceIssue[] = [];
  const bad = (path: string, message: string) => void issues.push({ path, message });
  if (typeof r['code'] !== 'string') bad('code', 'must be the program text');
  const seed = r['baseSeed'];
  if (!(typeof seed === 'number' ? Number.isSafeInteger(seed) : typeof seed === 'string' && SEED_TEXT.test(seed)))
    bad('baseSeed', 'must be a whole number or 1–32 letters, digits, "_" or "-"');
  const runs = r['runs'];
  if (typeof runs !== 'number' || !Number.isInteger(runs) || runs < 1 || runs > MAX_EXPLORE_RUNS)
    bad('runs', `must be a whole number between 1 and ${MAX_EXPLORE_RUNS.toLocaleString('en-US')} (got ${JSON.stringify(runs) ?? 'nothing'})`);
  for (const i of checkFaultSpace(r['space'])) bad(i.path === 'space' ? 'space' : `space.${i.path}`, i.message);
  if (r['exampleId'] !== undefined && typeof r['exampleId'] !== 'string') bad('exampleId', 'must be an example id');
  for (const k of ['maxEvents', 'budgetMs', 'horizon'] as const) {
    const v = r[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)) bad(k, `must be a positive number (got ${JSON.stringify(v)})`);
  }
  return issues;
}

/** What runs one request: the page's sandbox has this shape. */
export interface RequestRunner {
  run(request: RunRequest): Promise<ExecutedRun>;
  /** Stops the run in progress. */
  stop(): void;
}

/**
 * The program of an explore request, run by a sandbox: each run sends the
 * request's code and budgets with the seed and plan of the moment, and an
 * aborted signal stops the run in progress. One per sandbox: give `explore`
 * one for each sandbox (Worker) it may keep busy.
 *
 * @example
 * const run = requestProgram(request, sandbox);
 * await explore({ run, seeds: exploreSeeds(request.baseSeed, request.runs), space: request.space, checks });
 */
export function requestProgram(request: ExploreRequest, runner: RequestRunner, runIdPrefix = 'explore'): RunProgram {
  let runs = 0;
  return async (seed, faults, signal) => {
    const stop = () => runner.stop();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      const r: RunRequest = { runId: `${runIdPrefix}-${++runs}`, code: request.code, seed, faults };
      if (request.budgetMs !== undefined) r.budgetMs = request.budgetMs;
      if (request.maxEvents !== undefined) r.maxEvents = request.maxEvents;
      if (request.horizon !== undefined) r.horizon = request.horizon;
      return await runner.run(r);
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  };
}

/** The counterexample of a failing case of an explore: its code with the case's seed and plan. */
export function counterexampleOf(request: Pick<ExploreRequest, 'code'>, failing: { seed: Seed; faults: FaultPlan }): Counterexample {
  return { code: request.code, seed: failing.seed, faults: failing.faults };
}
