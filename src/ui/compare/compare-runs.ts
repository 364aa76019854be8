import type { Example } from '../../../examples/types.js';
import { explore, exploreSeeds, judgeRun, sagaInvariantChecks, type ExploreCheck, type ExploreResult } from '../../explore/index.js';
import type { ExecutedRun, RunRequest, SeedRun } from '../../runner/protocol.js';
import { faultSpaceFrom } from '../../sim/fault-space.js';
import type { TraceEvent } from '../../sim/trace.js';
import { queuesIn, servicesIn } from '../app/view-panel.js';
import type { SeedRunners } from '../app/seed-runners.js';
import type { CompareRow } from './compare-rows.js';
import { failingServices, seedRows, singleRunRows, type JudgedRun } from './compare-tables.js';
import type { Variant } from './compare-variants.js';

/** Default number of seeds of a compare over many schedules. */
export const DEFAULT_COMPARE_RUNS = 200;

/** What a compare needs from the page: one run at a time, and runners for one program over many seeds. */
export interface CompareRunner {
  run(request: RunRequest): Promise<ExecutedRun>;
  /** Opens runners for `code` (see `openSeedRunners`). */
  open(code: string): Promise<SeedRunners>;
}

/** A finished (or stopped) compare of one seed. */
export interface SingleCompare {
  kind: 'single';
  a: JudgedRun;
  b: JudgedRun;
  rows: CompareRow[];
}

/** A finished (or stopped) compare over many seeds. */
export interface SeedsCompare {
  kind: 'seeds';
  a: ExploreResult;
  b: ExploreResult;
  rows: CompareRow[];
  /** True when Stop cut it short: the variants may have run different numbers of seeds. */
  stopped: boolean;
}

/** A compare that could not run, with what to do. */
export interface FailedCompare {
  kind: 'failed';
  message: string;
}

/** How far a compare over many seeds has got. */
export interface CompareProgress {
  /** The variant running now. */
  side: 'a' | 'b';
  /** Runs done over both variants, and of how many. */
  done: number;
  total: number;
  runsPerSecond: number;
}

const hasSagas = (events: readonly TraceEvent[]) => events.some((e) => e.kind.startsWith('saga.'));

/**
 * What judges both variants: every check of the example's exercises, and the
 * saga invariants when a run of either variant records saga steps (the
 * program's own invariants are judged anyway).
 */
export function compareChecks(example: Pick<Example, 'exercises'>, ...traces: ReadonlyArray<readonly TraceEvent[]>): ExploreCheck[] {
  // Exercises may share a check (the same object): it is judged, and listed, once.
  const checks: ExploreCheck[] = [...new Set(example.exercises.flatMap((x) => x.checks))];
  return traces.some(hasSagas) ? [...checks, ...sagaInvariantChecks()] : checks;
}

let compares = 0;

/**
 * A run that another run took the sandbox from (the page's own run of an
 * edit) reports `stopped` though nobody stopped the compare: it runs again
 * once, so the compare does not count a run it never saw.
 */
function again<T extends unknown[]>(run: (...args: T) => Promise<ExecutedRun>, aborted: () => boolean): (...args: T) => Promise<ExecutedRun> {
  return async (...args) => {
    const r = await run(...args);
    return r.status === 'stopped' && !aborted() ? run(...args) : r;
  };
}

/**
 * Runs both variants once, each with its own seed and plan, judges both with
 * the same checks and builds the table of differences. A run cut short by
 * Stop gives `undefined`.
 */
export async function compareOneSeed(example: Pick<Example, 'exercises'>, a: Variant, b: Variant, runner: Pick<CompareRunner, 'run'>, signal?: AbortSignal): Promise<SingleCompare | FailedCompare | undefined> {
  const id = ++compares;
  const run = again((request: RunRequest) => runner.run(request), () => signal?.aborted === true);
  const runA = await run({ runId: `compare-${id}-a`, code: a.code, seed: a.seed, faults: a.faults });
  if (signal?.aborted) return undefined;
  const runB = await run({ runId: `compare-${id}-b`, code: b.code, seed: b.seed, faults: b.faults });
  if (signal?.aborted) return undefined;
  if (runA.status === 'stopped' || runB.status === 'stopped') return { kind: 'failed', message: 'A run of the compare was stopped (another run took the sandbox). Press Compare again.' };
  const checks = compareChecks(example, runA.events, runB.events);
  const ja = { run: runA, judgement: judgeRun(runA, checks) };
  const jb = { run: runB, judgement: judgeRun(runB, checks) };
  return { kind: 'single', a: ja, b: jb, rows: singleRunRows(ja, jb, { failing: failingServices(a.faults, b.faults) }) };
}

/** Options of {@link compareSeeds}. */
export interface CompareSeedsOptions {
  runs: number;
  signal?: AbortSignal;
  onProgress?: (progress: CompareProgress) => void;
  /** Real time for progress figures (tests pass a fake). */
  clock?: () => number;
}

/**
 * Runs both variants over the same `runs` seeds (from each variant's seed,
 * so they are the same seeds unless the variants differ in seed) with fault
 * plans drawn from the fault space around each variant's plan, through
 * `explore`, and builds one table of the differences. The space varies
 * what the plans name (or, without plans, the services and queues the
 * first variant's run shows), so both variants face the same schedules
 * when their plans agree. Stop keeps what both variants found so far.
 *
 * @example
 * const result = await compareSeeds(example, a, b, runner, { runs: 200, onProgress: show });
 * if (result.kind === 'seeds') render(result.rows);
 */
export async function compareSeeds(example: Pick<Example, 'exercises'>, a: Variant, b: Variant, runner: CompareRunner, options: CompareSeedsOptions): Promise<SeedsCompare | FailedCompare | undefined> {
  const { runs, signal } = options;
  const probe = await runner.run({ runId: `compare-${++compares}-probe`, code: a.code, seed: a.seed, faults: a.faults });
  if (signal?.aborted) return undefined;
  // A plan that names what fails keeps the schedules about that (a client that meets injected errors
  // of its own would only add noise to both sides); a program without a plan gets faults everywhere.
  const planned = Object.keys(a.faults).length > 0 || Object.keys(b.faults).length > 0;
  const services = planned ? [] : servicesIn(probe.events);
  const queues = planned ? [] : queuesIn(probe.events);
  const checks = compareChecks(example, probe.events);
  const total = 2 * runs;
  const results: ExploreResult[] = [];
  for (const [side, v] of [['a', a] as const, ['b', b] as const]) {
    const opened = await runner.open(v.code);
    if (!opened.ok) {
      const error = opened.report.error;
      return { kind: 'failed', message: `The ${side === 'a' ? 'first' : 'second'} variant (${v.label}) does not run: ${error?.message ?? opened.report.status}${error?.line ? ` (line ${error.line})` : ''}.` };
    }
    const offset = side === 'a' ? 0 : runs;
    try {
      const progressOptions = options.onProgress
        ? { onProgress: (p: { done: number; runsPerSecond: number }) => options.onProgress!({ side, done: offset + p.done, total, runsPerSecond: p.runsPerSecond }) }
        : {};
      results.push(
        await explore({
          run: opened.runners.map((r: SeedRun) => again(r, () => signal?.aborted === true)),
          seeds: exploreSeeds(v.seed, runs),
          space: faultSpaceFrom(v.faults, { services, queues }),
          checks,
          ...(signal ? { signal } : {}),
          ...(options.clock ? { clock: options.clock } : {}),
          ...progressOptions,
        }),
      );
    } finally {
      opened.close();
    }
    if (signal?.aborted) break;
  }
  const [ra, rb] = results;
  if (!ra || ra.runs === 0) return undefined;
  const empty: ExploreResult = { ...ra, runs: 0, passedRuns: 0, failedRuns: 0, checks: [], errors: [], otherErrors: 0, failures: [], omittedFailures: 0, distributions: emptyDistributions(), stopped: true, wallMs: 0, runsPerSecond: 0 };
  const rB = rb ?? empty;
  return { kind: 'seeds', a: ra, b: rB, rows: seedRows(ra, rB, { failing: failingServices(a.faults, b.faults) }), stopped: ra.stopped || rB.stopped || rB.runs < ra.runs };
}

function emptyDistributions(): ExploreResult['distributions'] {
  const none = { count: 0, min: 0, max: 0, mean: 0, p50: 0, p95: 0, p99: 0, buckets: [] };
  return { clientLatencyMs: none, serviceCalls: {}, virtualTimeMs: none };
}
