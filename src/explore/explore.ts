import type { ExecutedRun } from '../runner/protocol.js';
import { emptyRun } from '../runner/reports.js';
import type { FaultSpace } from '../sim/fault-space.js';
import { faultPlanFor, type Seed } from './explore-request.js';
import { ExploreTally, type ExploreFindings, type FailingSoFar, type TallyLimits } from './explore-tally.js';
import { checkKeys, judgeRun, type ExploreCheck, type RunProgram } from './judge-run.js';

/** How far an explore has got. */
export interface ExploreProgress {
  done: number;
  total: number;
  /** Runs with a failed check, invariant or error so far. */
  failedRuns: number;
  /** What failed most so far (at most eight), so a long explore shows its findings as they come. */
  failing: FailingSoFar[];
  elapsedMs: number;
  runsPerSecond: number;
}

/** Options of {@link explore}. */
export interface ExploreOptions extends TallyLimits {
  /** Runs the program; several (one per Worker, say) share the seeds between them. */
  run: RunProgram | readonly RunProgram[];
  /** The seeds, in explore order (see `exploreSeeds`). */
  seeds: readonly Seed[];
  /** What may vary; each seed runs with `faultPlanFor(space, seed)`. */
  space: FaultSpace;
  /** Checks judging every run, besides the program's own invariants. */
  checks?: readonly ExploreCheck[];
  /** Stops the explore: no new run starts, the run in progress is asked to stop, and what was found is kept. */
  signal?: AbortSignal;
  /** Called at most every `progressEveryMs` while runs finish, and once at the end. */
  onProgress?: (progress: ExploreProgress) => void;
  /** Default 100. */
  progressEveryMs?: number;
  /** Real time in ms, for progress and speed; default `performance.now`. */
  clock?: () => number;
}

/** What an explore found, and how it went. */
export interface ExploreResult extends ExploreFindings {
  total: number;
  /** True when the signal stopped it before every seed had run. */
  stopped: boolean;
  wallMs: number;
  runsPerSecond: number;
}

/** Real time for progress figures: explore runs beside the simulation, never inside it. */
export const realClock = (): (() => number) => {
  const p = globalThis.performance;
  return p ? () => p.now() : () => Date.now();
};

/**
 * Runs a program over many seeds, each with a fault plan sampled from a
 * fault space, judges every run (checks, invariants, its own status) and
 * keeps what matters in bounded memory: counts per check, grouped messages
 * and errors, the failing seeds with their plans, and distributions.
 *
 * Each runner takes the next seed as soon as it is free, so N runners (N
 * Workers) keep N runs going. The findings do not depend on which runner ran
 * which seed. Stopping keeps what was found; a run that was stopped half-way
 * is not counted.
 *
 * @example
 * const result = await explore({
 *   run: (seed, faults) => sandbox.run({ runId: String(seed), code, seed, faults }),
 *   seeds: exploreSeeds(42, 1000),
 *   space: faultSpaceFrom(example.faults),
 *   checks: example.exercises.flatMap((x) => x.checks),
 *   onProgress: (p) => console.log(`${p.done}/${p.total}, ${p.runsPerSecond} runs/s`),
 * });
 * result.checks.filter((c) => c.failed > 0);
 */
export async function explore(options: ExploreOptions): Promise<ExploreResult> {
  const runners = typeof options.run === 'function' ? [options.run] : [...options.run];
  if (runners.length === 0) throw new RangeError('explore: give at least one runner');
  const { seeds, space, signal } = options;
  const checks = options.checks ?? [];
  const clock = options.clock ?? realClock();
  const tally = new ExploreTally(checkKeys(checks), options);
  const started = clock();
  const every = options.progressEveryMs ?? 100;
  let lastProgress = -Infinity;
  let next = 0;
  let done = 0;
  const progress = (force: boolean) => {
    if (!options.onProgress) return;
    const now = clock();
    if (!force && now - lastProgress < every) return;
    lastProgress = now;
    const elapsedMs = now - started;
    options.onProgress({ done, total: seeds.length, failedRuns: tally.failedRuns, failing: tally.failingSoFar(8), elapsedMs, runsPerSecond: rate(done, elapsedMs) });
  };

  const work = async (runOne: RunProgram) => {
    while (!signal?.aborted && next < seeds.length) {
      const index = next++;
      const seed = seeds[index]!;
      const faults = faultPlanFor(space, seed);
      let run: ExecutedRun;
      try {
        run = await runOne(seed, faults, signal);
      } catch (e) {
        run = emptyRun('error', { kind: 'sandbox', message: `The runner failed: ${e instanceof Error ? e.message : String(e)}` });
      }
      if (run.status === 'stopped' && signal?.aborted) return; // cut short by the stop: it says nothing
      tally.add(index, seed, faults, run, judgeRun(run, checks));
      done++;
      progress(false);
    }
  };
  await Promise.all(runners.map(work));
  progress(true);
  const wallMs = clock() - started;
  return { ...tally.findings(), total: seeds.length, stopped: done < seeds.length, wallMs, runsPerSecond: rate(done, wallMs) };
}

const rate = (runs: number, ms: number) => (ms > 0 ? Math.round((runs / ms) * 10_000) / 10 : 0);
