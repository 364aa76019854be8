import {
  explore,
  exploreSeeds,
  shrinkFailure,
  type ExploreCheck,
  type ExploreProgress,
  type ExploreRequest,
  type ExploreResult,
  type RunProgram,
  type Seed,
  type ShrinkResult,
} from '../../explore/index.js';
import type { SeedRun } from '../../runner/protocol.js';
import type { FaultPlan } from '../../sim/faults.js';
import type { AppRunner } from '../app-deps.js';
import { openSeedRunners } from '../app/seed-runners.js';

/** Where the explore stands. */
export type ExplorePhase =
  | { kind: 'idle' }
  | { kind: 'running'; progress: ExploreProgress }
  | { kind: 'done'; result: ExploreResult }
  /** The runs could not start (the program does not transpile, the sandbox failed). */
  | { kind: 'failed'; message: string };

/** Where shrinking one failure stands. */
export type ShrinkPhase = { kind: 'running'; runs: number } | { kind: 'done'; result: ShrinkResult } | { kind: 'failed'; message: string };

/** What the last explore ran: its links and its shrinking use the same. */
export interface ExploredWith {
  request: ExploreRequest;
  checks: readonly ExploreCheck[];
}

/** Options of {@link ExploreSession}. */
export interface ExploreSessionOptions {
  runner: () => AppRunner;
  /** Something changed: draw again. */
  onChange: () => void;
  /** Runs one shrink may spend; default 200. */
  shrinkRuns?: number;
  /** Real time one shrink may spend (ms); default 10,000. */
  shrinkMs?: number;
}

/** A run that came back stopped although nobody stopped the explore was cut short by something else: run it again, a few times. */
const FOREIGN_STOP_RETRIES = 3;

/**
 * One explore at a time and the shrinking of its failures: opens runners for
 * the program (the sandbox's pool, or seed after seed), runs `explore`, keeps
 * its findings (counts and cases, never traces) and stops on request, keeping
 * what was found. The panel draws `phase` and `shrinks`.
 *
 * @example
 * const session = new ExploreSession({ runner: () => host.runner, onChange: () => this.requestUpdate() });
 * await session.start(request, checks);
 * session.phase; // { kind: 'done', result }
 */
export class ExploreSession {
  phase: ExplorePhase = { kind: 'idle' };
  /** Shrinks by tally key. */
  readonly shrinks = new Map<string, ShrinkPhase>();
  explored: ExploredWith | undefined;
  private controller: AbortController | undefined;

  constructor(private readonly options: ExploreSessionOptions) {}

  /** An explore or a shrink is under way. */
  get busy(): boolean {
    return this.controller !== undefined;
  }

  /** Runs an explore; resolves when it has ended (finished, stopped or failed). Does nothing while busy. */
  async start(request: ExploreRequest, checks: readonly ExploreCheck[]): Promise<void> {
    if (this.busy) return;
    const controller = (this.controller = new AbortController());
    this.explored = { request, checks };
    this.shrinks.clear();
    this.phase = { kind: 'running', progress: { done: 0, total: request.runs, failedRuns: 0, failing: [], elapsedMs: 0, runsPerSecond: 0 } };
    this.changed();
    try {
      await this.withRunners(request, controller.signal, async (runners) => {
        const result = await explore({
          run: runners,
          seeds: exploreSeeds(request.baseSeed, request.runs),
          space: request.space,
          checks,
          signal: controller.signal,
          onProgress: (progress) => {
            this.phase = { kind: 'running', progress };
            this.changed();
          },
        });
        this.phase = { kind: 'done', result };
      });
    } catch (e) {
      this.phase = { kind: 'failed', message: `The explore failed: ${e instanceof Error ? e.message : String(e)}` };
    } finally {
      this.controller = undefined;
      this.changed();
    }
  }

  /** Stops the explore or shrink under way; what it found so far is kept. */
  stop(): void {
    this.controller?.abort();
  }

  /** Forgets the findings (a new example). Stops anything under way first. */
  reset(): void {
    this.stop();
    this.phase = { kind: 'idle' };
    this.explored = undefined;
    this.shrinks.clear();
    this.changed();
  }

  /** Shrinks the failing case `failing` of `target` (a tally key) to the smallest that still fails it. */
  async shrink(target: string, failing: { seed: Seed; faults: FaultPlan }): Promise<void> {
    const explored = this.explored;
    if (this.busy || !explored) return;
    const controller = (this.controller = new AbortController());
    this.shrinks.set(target, { kind: 'running', runs: 0 });
    this.changed();
    try {
      await this.withRunners(explored.request, controller.signal, async ([run]) => {
        const result = await shrinkFailure({
          run: run!,
          seed: failing.seed,
          faults: failing.faults,
          target,
          checks: explored.checks,
          maxRuns: this.options.shrinkRuns ?? 200,
          maxMs: this.options.shrinkMs ?? 10_000,
          signal: controller.signal,
          onSmaller: ({ runs }) => {
            this.shrinks.set(target, { kind: 'running', runs });
            this.changed();
          },
        });
        this.shrinks.set(target, { kind: 'done', result });
      });
    } catch (e) {
      this.shrinks.set(target, { kind: 'failed', message: `Shrinking failed: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      this.controller = undefined;
      this.changed();
    }
  }

  /** Opens runners for the request's program, hands them to `use`, and closes them; a program that cannot start fails the phase. */
  private async withRunners(request: ExploreRequest, signal: AbortSignal, use: (runners: RunProgram[]) => Promise<void>): Promise<void> {
    const budgets = { ...(request.budgetMs !== undefined ? { budgetMs: request.budgetMs } : {}), ...(request.maxEvents !== undefined ? { maxEvents: request.maxEvents } : {}) };
    const opened = await openSeedRunners(this.options.runner(), request.code, budgets);
    if (!opened.ok) {
      const error = opened.report.error;
      throw new Error(error ? `${error.message}${error.line ? ` (line ${error.line})` : ''}` : 'the program could not start');
    }
    try {
      await use(opened.runners.map((r) => keepGoing(r, signal)));
    } finally {
      opened.close();
    }
  }

  private changed(): void {
    this.options.onChange();
  }
}

/**
 * A seed runner that runs a seed again when its run came back stopped while
 * the explore was not (another run on the same sandbox replaced it: a single
 * Run of the page, with the run-after-run fallback). Such a run says nothing
 * about the program.
 */
function keepGoing(run: SeedRun, signal: AbortSignal): RunProgram {
  return async (seed, faults) => {
    let result = await run(seed, faults, signal);
    for (let i = 0; i < FOREIGN_STOP_RETRIES && result.status === 'stopped' && !signal.aborted; i++) result = await run(seed, faults, signal);
    return result;
  };
}
