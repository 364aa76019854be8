import type { RunOutcome } from '../../sim/scheduler.js';
import type { ErrorDescription, World, WorldRunOptions } from '../../sim/world.js';
import type { RunError, RunErrorKind, StopReason } from '../protocol.js';
import type { WaitExplanation, WaitingIn } from './endless-wait.js';
import type { UncaughtHow } from './host.js';
import { runErrorKind } from './run-errors.js';
import { TraceBudgetError } from './trace-limits.js';

/** What `main` (the module's default export) did. */
export type MainState = { kind: 'absent' } | { kind: 'pending' } | { kind: 'resolved'; value: unknown } | { kind: 'rejected' };

/**
 * How far a run got, in this order: the module is `loading` (its top-level
 * code may await virtual time meanwhile); then it is `loaded` or
 * `load-failed`; then, once `main` has been called (or found absent), the
 * world is `running` until it drains.
 */
export type RunPhase =
  | { kind: 'loading'; /** Real time since which nothing has been scheduled, if so. */ idleSince: number | undefined }
  | { kind: 'load-failed'; error: unknown }
  | { kind: 'loaded'; module: unknown }
  | { kind: 'running'; main: MainState };

/**
 * What ended the run. Several things may happen in one run (a stop, then a
 * failure in the callback it interrupted); the strongest is kept: a failure
 * beats a stop, which beats the world's own `outcome` (quiet, horizon, event
 * budget). The first of equal strength is kept.
 */
export type RunEnd =
  | { kind: 'failed'; error: RunError }
  | { kind: 'stopped'; reason: StopReason }
  | { kind: 'outcome'; outcome: RunOutcome };

const STRENGTH: Record<RunEnd['kind'], number> = { outcome: 0, stopped: 1, failed: 2 };

/** What a {@link RunSession} needs to know besides its world. */
export interface RunSessionOptions {
  /** Describes an error for the trace and the report (positioned in the user's TypeScript). */
  describe: (e: unknown) => ErrorDescription;
  /** Event budget of the whole run, loading included. */
  maxEvents: number;
  /** Virtual time (ms) at which the world stops. */
  horizon: number | undefined;
  /** Real time (ms) a module may stay unfinished while nothing is scheduled. */
  loadIdleLimitMs: number;
  /** Says where the run waits forever, at virtual time `now` (see `explainEndlessWait`). */
  explainWait: (waitingIn: WaitingIn, now: number) => WaitExplanation;
}

/**
 * The state of one run of user code: its {@link RunPhase} and, once something
 * ended it, its {@link RunEnd}. `executeRun` drives it through the phases;
 * callbacks from the host (uncaught errors, an abort, the trace cap) report
 * into it at any time. Every way to end the run also stops the world's
 * scheduler, so the run returns after the current callback.
 *
 * {@link RunSession.runWhileLoading} and {@link RunSession.drain} hand back the world's run through a
 * `.then`, which costs a microtask: harmless, because the world settles its run
 * in a real task of its own, after all promise work of user code has run.
 */
export class RunSession {
  private current: RunPhase = { kind: 'loading', idleSince: undefined };
  private ending: RunEnd | undefined;
  /** Resolves when the run is asked to stop, to wake a load that waits for nothing. */
  readonly stopRequested: Promise<void>;
  private wakeOnStop!: () => void;
  /** Real time, read before the globals are bound to virtual time; only used to give up on a module that never loads. */
  private readonly realNow: () => number =
    typeof performance === 'undefined' ? () => 0 : performance.now.bind(performance);

  constructor(
    readonly world: World,
    private readonly options: RunSessionOptions,
  ) {
    this.stopRequested = new Promise<void>((resolve) => (this.wakeOnStop = resolve));
  }

  /** How far the run got. */
  get phase(): RunPhase {
    return this.current;
  }

  /** What ended the run, once something has. */
  get end(): RunEnd | undefined {
    return this.ending;
  }

  // --- Ending the run -------------------------------------------------------

  /** Ends the run with `error`, unless it has already failed. */
  fail(error: RunError): void {
    if (this.end?.kind === 'failed') return;
    this.endWith({ kind: 'failed', error });
    this.world.scheduler.stop();
  }

  /** Ends the run because it was asked to stop (by the user, or for its wall-clock budget). */
  stop(reason: StopReason): void {
    this.endWith({ kind: 'stopped', reason });
    this.world.scheduler.stop();
    this.wakeOnStop();
  }

  /** An error that escaped user code (an unhandled rejection, an uncaught exception) fails the run. */
  failUncaught(error: unknown, how: UncaughtHow): void {
    if (this.end?.kind === 'failed') return;
    this.fail(this.errorOf(error, 'unhandled', how === 'rejection' ? 'Unhandled promise rejection: ' : 'Uncaught '));
  }

  /** Records an `error` event (unless the trace is full) and returns the run error for it. */
  errorOf(e: unknown, kind: RunErrorKind, prefix = ''): RunError {
    const d = this.options.describe(e);
    const message = prefix + d.message;
    if (!(e instanceof TraceBudgetError)) {
      try {
        this.world.trace.record('error', { source: 'world', ...d, message });
      } catch {
        // The trace is full; the run error still says what happened.
      }
    }
    return { kind: runErrorKind(e, kind), ...d, message };
  }

  // --- Loading --------------------------------------------------------------

  /** Starts loading the module; the phase follows the import. Returns the promise of the import settling. */
  startLoading(loadModule: () => Promise<unknown>): Promise<void> {
    return loadModule().then(
      (module) => this.leaveLoading({ kind: 'loaded', module }),
      (error: unknown) => this.leaveLoading({ kind: 'load-failed', error }),
    );
  }

  /** True while the module's top-level code has not finished and nothing has ended the run. */
  isLoading(): boolean {
    return this.phase.kind === 'loading' && !this.end;
  }

  /**
   * Runs the world while the module loads: its top-level code awaits virtual
   * time (top-level await), so the world must go on for it to finish. The
   * world stops after the callback in whose promise work the import settled
   * (see {@link startLoading}), or when nothing is left to run. Reaching the
   * horizon or the event budget here ends the run.
   */
  runWhileLoading(): Promise<void> {
    const maxEvents = Math.max(0, this.options.maxEvents - this.world.scheduler.eventsRun);
    return this.world.run({ maxEvents, ...this.horizon() }).then((outcome) => {
      if (outcome.events > 0 && this.current.kind === 'loading') this.current.idleSince = undefined;
      this.failOnCallbackError(outcome);
      if (outcome.reason === 'horizon' || outcome.reason === 'budget') this.endWith({ kind: 'outcome', outcome });
    });
  }

  /**
   * While nothing is scheduled: true once the module has been waiting longer
   * than the idle limit for something that never happens, which fails the run.
   */
  idleTooLong(): boolean {
    const phase = this.current;
    if (phase.kind !== 'loading') return false;
    phase.idleSince ??= this.realNow();
    if (this.realNow() - phase.idleSince <= this.options.loadIdleLimitMs) return false;
    this.fail({ kind: 'unfinished', ...this.explainWait('top-level') });
    return true;
  }

  /** Where the run waits forever, now. */
  explainWait(waitingIn: WaitingIn): WaitExplanation {
    return this.options.explainWait(waitingIn, this.world.now());
  }

  // --- main and the world ---------------------------------------------------

  /**
   * Once the module is in and nothing has ended the run, calls its default
   * export if it is a function, and moves to `running`. A module that failed
   * to load fails the run here instead.
   */
  startMain(): void {
    const phase = this.phase;
    if (phase.kind === 'load-failed') {
      this.fail(this.errorOf(phase.error, phase.error instanceof SyntaxError ? 'syntax' : 'runtime'));
      return;
    }
    if (phase.kind !== 'loaded' || this.end) return;
    const entry = (phase.module as { default?: unknown } | null)?.default;
    if (typeof entry !== 'function') {
      this.current = { kind: 'running', main: { kind: 'absent' } };
      return;
    }
    const settle = (main: MainState) => (this.current = { kind: 'running', main });
    const reject = (error: unknown) => {
      settle({ kind: 'rejected' });
      this.fail(this.errorOf(error, 'runtime'));
    };
    settle({ kind: 'pending' });
    try {
      Promise.resolve(entry()).then((value: unknown) => settle({ kind: 'resolved', value }), reject);
    } catch (error) {
      reject(error);
    }
  }

  /** True once `main` is going (or absent) and nothing has ended the run: the world should run on. */
  mayDrain(): boolean {
    return this.phase.kind === 'running' && !this.end;
  }

  /** Runs the world with what is left of the event budget, until it is quiet or something ends the run. */
  drain(): Promise<void> {
    const maxEvents = Math.max(0, this.options.maxEvents - this.world.scheduler.eventsRun);
    return this.world.run({ maxEvents, ...this.horizon() }).then((outcome) => {
      this.endWith({ kind: 'outcome', outcome });
      this.failOnCallbackError(outcome);
    });
  }

  // --- Internals ------------------------------------------------------------

  /**
   * The import settled. A world running for the load is stopped: it returns
   * in the next real task, after the promise work of the callback that let the
   * module finish, which is where running one callback at a time would have
   * seen the module done (one real task fewer per callback of the load).
   */
  private leaveLoading(next: Extract<RunPhase, { kind: 'loaded' | 'load-failed' }>): void {
    if (this.current.kind !== 'loading') return;
    this.current = next;
    if (this.world.scheduler.isRunning) this.world.scheduler.stop();
  }

  private horizon(): WorldRunOptions {
    return this.options.horizon !== undefined ? { horizon: this.options.horizon } : {};
  }

  /** A callback that threw ends the run (the world has already written its `error` event). */
  private failOnCallbackError(o: RunOutcome): void {
    if (o.reason === 'error' && this.end?.kind !== 'failed') this.fail({ kind: runErrorKind(o.error, 'runtime'), ...this.options.describe(o.error) });
  }

  private endWith(next: RunEnd): void {
    if (!this.ending || STRENGTH[next.kind] > STRENGTH[this.ending.kind]) this.ending = next;
  }
}
