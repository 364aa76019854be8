import { checkInvariants } from '../../playground/invariants.js';
import { FaultPlanError, type FaultPlan } from '../../sim/faults.js';
import type { Hop } from '../../sim/scheduler.js';
import { createWorld, type ErrorDescription, type World } from '../../sim/world.js';
import { DEFAULT_MAX_EVENTS } from '../limits.js';
import type { ExecutedRun } from '../protocol.js';
import { emptyRun } from '../reports.js';
import { explainEndlessWait } from './endless-wait.js';
import { describeRunError } from './run-errors.js';
import { reportRun } from './run-report.js';
import { RunSession } from './run-session.js';
import type { UserSource } from './stack.js';
import { takeOverHost, type HostTakeoverOptions } from './take-over-host.js';

/** Options of {@link executeRun}. */
export interface ExecuteRunOptions extends HostTakeoverOptions {
  seed?: string | number;
  faults?: FaultPlan;
  /** Event budget (scheduled callbacks); default `DEFAULT_MAX_EVENTS` (limits.ts). */
  maxEvents?: number;
  /** Virtual time (ms) at which the world stops. */
  horizon?: number;
  /** The host's real-task hop for the scheduler; found on the global object when absent. */
  hop?: Hop;
  /** Where the user's module came from, to point errors at the TypeScript. */
  source?: UserSource;
  /** Only used in the timeout message. */
  budgetMs?: number;
  /**
   * Real time (ms) a module may stay unfinished while nothing is scheduled
   * before its run is ended as `unfinished`; default 5,000.
   */
  loadIdleLimitMs?: number;
  /** Called with the run's events as one JSON string, serialised together with the trace hash (the sandbox sends this). */
  onTraceJson?: (json: string) => void;
  /** False to report no trace hash (`traceHash` is `''`); see `WorkerRunOptions.pooled`. */
  traceHash?: boolean;
}

/**
 * Runs one user program in a fresh world and reports what happened. The same
 * function runs in the sandbox's Worker and in Node, so a program gives the
 * same trace (and trace hash) in both.
 *
 * The steps, in order: create the world from `seed` and `faults`; take over
 * the host (current world, trace caps, `console`, timers, `Date` and
 * `Math.random`, uncaught errors, the abort signal); load the module, whose
 * top-level code registers services; call its default export if it is a
 * function; run the world until it is quiet (or the horizon, the event budget,
 * an error or an abort); give the host back; report.
 *
 * @example
 * const run = await executeRun(() => import('./user-module.js'), { seed: 42 });
 * run.status;    // 'ok'
 * run.result;    // what main() resolved to
 * run.traceHash; // equal for equal (code, seed, faults)
 */
export async function executeRun(loadModule: () => Promise<unknown>, options: ExecuteRunOptions = {}): Promise<ExecutedRun> {
  const describe = (e: unknown): ErrorDescription => describeRunError(e, options.source);
  let world: World;
  try {
    world = createWorld({
      seed: options.seed ?? 1,
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.hop ? { hop: options.hop } : {}),
      describeError: describe,
    });
  } catch (e) {
    return emptyRun('error', { kind: 'runtime', message: `Invalid fault plan: ${e instanceof Error ? e.message : String(e)}` });
  }
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  const session = new RunSession(world, {
    describe,
    maxEvents,
    horizon: options.horizon,
    loadIdleLimitMs: options.loadIdleLimitMs ?? 5_000,
    explainWait: (waitingIn, now) => explainEndlessWait(waitingIn, now, options.source),
  });

  // 1. Take over the host for this run.
  const host = takeOverHost(session, options);
  try {
    // 2. Load the module. While its top-level code awaits virtual time, the world runs until the
    //    import settles; while nothing is scheduled, wait for the import, a real task or a stop.
    //    (The race is awaited right here, not inside a helper: main must start in the same microtask
    //    in which the import is seen to finish, or promise chains the top-level code left running
    //    would get further before main starts, and the trace would change.)
    const importing = session.startLoading(loadModule);
    while (session.isLoading()) {
      if (world.scheduler.pending > 0) await session.runWhileLoading();
      else if (!session.idleTooLong()) await Promise.race([importing, world.scheduler.settle(), session.stopRequested]);
    }
    // 3. Call main, the module's default export (or fail the run if the module did not load).
    session.startMain();
    // 4. Run the world until it is quiet, reaches the horizon, spends the event budget, fails or is stopped.
    if (session.mayDrain()) await session.drain();
  } catch (e) {
    session.fail(e instanceof FaultPlanError ? { kind: 'runtime', message: `Invalid fault plan: ${e.message}` } : session.errorOf(e, 'runtime'));
  } finally {
    // 5. Give the host back. This and the report happen in the same microtask as the last step,
    //    so promise work the program left pending cannot slip anything in between.
    host.release();
  }
  // 6. Report how the run ended, with the verdicts of the program's invariants on its final trace.
  const run = reportRun(session, { maxEvents, budgetMs: options.budgetMs, droppedLogs: host.traceLimits.droppedLogs, onTraceJson: options.onTraceJson, traceHash: options.traceHash });
  const invariants = checkInvariants(world, run.events);
  if (invariants.length > 0) run.invariants = invariants;
  return run;
}
