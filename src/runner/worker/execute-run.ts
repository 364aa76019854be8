import { setCurrentWorld } from '../../playground/current-world.js';
import { FaultPlanError, type FaultPlan } from '../../sim/faults.js';
import { bindGlobals } from '../../sim/globals.js';
import { jsonSafe } from '../../sim/network.js';
import type { Hop, RunOutcome } from '../../sim/scheduler.js';
import { createWorld, type ErrorDescription, type World } from '../../sim/world.js';
import { captureConsole } from './console-capture.js';
import { hostWatcher, type UncaughtWatcher } from './host.js';
import { DEFAULT_MAX_EVENTS, DEFAULT_MAX_LOG_EVENTS, DEFAULT_MAX_TRACE_EVENTS } from '../limits.js';
import { type ExecutedRun, type RunError, type RunErrorKind, type RunStatus, type StopReason } from '../protocol.js';
import { emptyRun } from '../reports.js';
import { cleanStack, errorHeadline, userFrames, type UserSource } from './stack.js';
import { limitTrace, TraceBudgetError } from './trace-limits.js';

/** Options of {@link executeRun}. */
export interface ExecuteRunOptions {
  seed?: string | number;
  faults?: FaultPlan;
  /** Event budget (scheduled callbacks); default {@link DEFAULT_MAX_EVENTS}. */
  maxEvents?: number;
  /** Virtual time (ms) at which the world stops. */
  horizon?: number;
  /** The host's real-task hop for the scheduler; found on the global object when absent. */
  hop?: Hop;
  /** The global object whose timers, `Date`, `Math.random` and `console` the run takes over; default `globalThis`. */
  global?: typeof globalThis;
  /** Watches for unhandled rejections and uncaught exceptions; default {@link hostWatcher}. */
  watchUncaught?: UncaughtWatcher;
  /** Where the user's module came from, to point errors at the TypeScript. */
  source?: UserSource;
  /** Aborting it stops the run after the current callback; `signal.reason` `'user'` means Stop, anything else a timeout. */
  signal?: AbortSignal;
  /** Only used in the timeout message. */
  budgetMs?: number;
  /** Log lines kept; default 5,000. */
  maxLogEvents?: number;
  /** Trace events allowed before the run is stopped; default 250,000. */
  maxTraceEvents?: number;
  /**
   * Real time (ms) a module may stay unfinished while nothing is scheduled
   * before its run is ended as `unfinished`; default 5,000.
   */
  loadIdleLimitMs?: number;
}

/** What `main` did. */
type MainState = { kind: 'absent' } | { kind: 'pending' } | { kind: 'resolved'; value: unknown } | { kind: 'rejected' };

const fmt = (n: number) => n.toLocaleString('en-US');

/** True for the engine's "too much recursion" errors. */
export function isStackOverflow(e: unknown): boolean {
  return (
    (e instanceof RangeError && /call stack/i.test(e.message)) ||
    (e instanceof Error && e.name === 'InternalError' && /recursion/i.test(e.message))
  );
}

/**
 * Runs one user program in a fresh world and reports what happened. The same
 * function runs in the sandbox's Worker and in Node, so a program gives the
 * same trace (and trace hash) in both.
 *
 * Per run it creates the world from `seed` and `faults`, makes it the current
 * world of the `playground` module, binds the global timers, `Date` and
 * `Math.random` to virtual time, routes `console.*` to `log` events (source
 * `console`), loads the module (top-level code registers services), calls its
 * default export if it is a function, runs the world until it is quiet (or the
 * horizon, the event budget, an error or an abort), and puts every global back.
 *
 * @example
 * const run = await executeRun(() => import('./user-module.js'), { seed: 42 });
 * run.status;    // 'ok'
 * run.result;    // what main() resolved to
 * run.traceHash; // equal for equal (code, seed, faults)
 */
export async function executeRun(loadModule: () => Promise<unknown>, options: ExecuteRunOptions = {}): Promise<ExecutedRun> {
  const source = options.source;
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  const describe = (e: unknown): ErrorDescription => describeRunError(e, source);
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
  const g = options.global ?? globalThis;
  // Real time, read before the globals are bound to virtual time; only used to give up on a module that never loads.
  const realNow = typeof performance === 'undefined' ? () => 0 : performance.now.bind(performance);

  let failure: RunError | undefined;
  const fail = (error: RunError) => {
    if (failure) return;
    failure = error;
    world.scheduler.stop();
  };
  /** Records an `error` event (unless the trace is full) and returns the run error for it. */
  const errorOf = (e: unknown, kind: RunErrorKind, prefix = ''): RunError => {
    const d = describe(e);
    const message = prefix + d.message;
    if (!(e instanceof TraceBudgetError)) {
      try {
        world.trace.record('error', { source: 'world', ...d, message });
      } catch {
        // The trace is full; the run error still says what happened.
      }
    }
    return { kind: e instanceof TraceBudgetError ? 'budget' : isStackOverflow(e) ? 'stack-overflow' : kind, ...d, message };
  };

  setCurrentWorld(world);
  const limits = limitTrace(world.trace, {
    maxLogEvents: options.maxLogEvents ?? DEFAULT_MAX_LOG_EVENTS,
    maxTraceEvents: options.maxTraceEvents ?? DEFAULT_MAX_TRACE_EVENTS,
    onFull: () =>
      fail({
        kind: 'budget',
        message: `The run produced more than ${fmt(options.maxTraceEvents ?? DEFAULT_MAX_TRACE_EVENTS)} trace events and was stopped.`,
      }),
  });
  const restoreConsole = captureConsole(g.console as unknown as Record<string, unknown>, (level, message) =>
    world.trace.record('log', { source: 'console', level, message }),
  );
  const watch = options.watchUncaught ?? hostWatcher(g); // made before the globals are bound: it may keep real timers
  const restoreGlobals = bindGlobals(world, g);
  const stopWatching = watch((error, how) => {
    if (failure) return;
    fail(errorOf(error, 'unhandled', how === 'rejection' ? 'Unhandled promise rejection: ' : 'Uncaught '));
  });

  let stopReason: StopReason | undefined;
  let onAborted: () => void = () => undefined;
  const aborted = new Promise<void>((resolve) => (onAborted = resolve));
  const onAbort = () => {
    stopReason = options.signal?.reason === 'user' ? 'user' : 'timeout';
    world.scheduler.stop();
    onAborted();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort);

  const horizon = options.horizon !== undefined ? { horizon: options.horizon } : {};
  /** After a run of the world: a callback that threw ends the run (the world already wrote its `error` event). */
  const checkOutcome = (o: RunOutcome) => {
    if (o.reason === 'error' && !failure) {
      const e = o.error;
      const kind: RunErrorKind = e instanceof TraceBudgetError ? 'budget' : isStackOverflow(e) ? 'stack-overflow' : 'runtime';
      fail({ kind, ...describe(e) });
    }
  };
  // A holder, so that the state set in callbacks is read back without narrowing.
  const main: { state: MainState } = { state: { kind: 'absent' } };
  let outcome: RunOutcome | undefined;
  let loaded: { ok: true; mod: unknown } | { ok: false; error: unknown } | undefined;
  try {
    const importing = loadModule().then(
      (mod) => (loaded = { ok: true, mod }),
      (error: unknown) => (loaded = { ok: false, error }),
    );
    // While the module loads, its top-level code may `await` virtual time (top-level await):
    // then it has scheduled work, and the world runs one callback at a time until the module is in.
    let idleSince: number | undefined;
    while (!loaded && !failure && !stopReason) {
      if (world.scheduler.pending > 0) {
        idleSince = undefined;
        const step = await world.run({ maxEvents: 1, ...horizon });
        checkOutcome(step);
        if (step.reason === 'horizon' || world.scheduler.eventsRun >= maxEvents) {
          outcome = step.reason === 'horizon' ? step : { ...step, reason: 'budget' };
          break;
        }
      } else {
        idleSince ??= realNow();
        if (realNow() - idleSince > (options.loadIdleLimitMs ?? 5_000)) {
          fail({
            kind: 'unfinished',
            message: "The module's top-level code waits for something that never happens (nothing is scheduled and it has not finished).",
          });
          break;
        }
        await Promise.race([importing, world.scheduler.settle(), aborted]);
      }
    }
    const done = loaded as typeof loaded;
    if (done && !done.ok) {
      fail(errorOf(done.error, done.error instanceof SyntaxError ? 'syntax' : 'runtime'));
    } else if (done && !failure && !stopReason && !outcome) {
      const entry = (done.mod as { default?: unknown } | null)?.default;
      if (typeof entry === 'function') {
        main.state = { kind: 'pending' };
        try {
          Promise.resolve(entry()).then(
            (value: unknown) => (main.state = { kind: 'resolved', value }),
            (error: unknown) => {
              main.state = { kind: 'rejected' };
              fail(errorOf(error, 'runtime'));
            },
          );
        } catch (error) {
          main.state = { kind: 'rejected' };
          fail(errorOf(error, 'runtime'));
        }
      }
      if (!failure && !stopReason) {
        outcome = await world.run({ maxEvents: Math.max(0, maxEvents - world.scheduler.eventsRun), ...horizon });
        checkOutcome(outcome);
      }
    }
  } catch (e) {
    fail(
      e instanceof FaultPlanError
        ? { kind: 'runtime', message: `Invalid fault plan: ${e.message}` }
        : errorOf(e, 'runtime'),
    );
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    stopWatching();
    restoreGlobals();
    restoreConsole();
    limits.restore();
    setCurrentWorld(undefined);
  }

  const virtualTime = world.now();
  const eventsRun = world.scheduler.eventsRun;
  let status: RunStatus;
  let error: RunError | undefined;
  if (failure) {
    status = failure.kind === 'budget' ? 'budget' : 'error';
    error = failure;
  } else if (stopReason === 'user') {
    status = 'stopped';
    error = { kind: 'stopped', message: `Stopped at virtual time ${fmt(virtualTime)} ms after ${fmt(eventsRun)} callbacks.` };
  } else if (stopReason === 'timeout') {
    status = 'timeout';
    const budget = options.budgetMs !== undefined ? `${fmt(options.budgetMs)} ms ` : '';
    error = !loaded
      ? {
          kind: 'timeout',
          message: `The module's top-level code was still running when the ${budget}wall-clock budget ran out, and was stopped at virtual time ${fmt(virtualTime)} ms.`,
        }
      : {
          kind: 'timeout',
          message: `The run was still going when its ${budget}wall-clock budget ran out, and was stopped at virtual time ${fmt(virtualTime)} ms after ${fmt(eventsRun)} callbacks. Shorten the scenario or set a horizon.`,
        };
  } else if (outcome?.reason === 'budget') {
    status = 'budget';
    error = {
      kind: 'budget',
      message: `The run used its budget of ${fmt(maxEvents)} scheduled callbacks and was stopped at virtual time ${fmt(virtualTime)} ms: something keeps scheduling work (an endless setInterval, or retries without a limit?). Set a horizon or stop the timers.`,
    };
  } else if (main.state.kind === 'pending' && outcome?.reason === 'quiescent') {
    status = 'error';
    error = {
      kind: 'unfinished',
      message: `main() never finished: the world went quiet at virtual time ${fmt(virtualTime)} ms while main was still waiting for a promise that nothing will settle.`,
    };
  } else {
    status = 'ok';
  }

  const run: ExecutedRun = {
    status,
    events: world.trace.events.slice(),
    traceHash: world.trace.hash(),
    eventsRun,
    virtualTime,
    droppedLogs: limits.state.droppedLogs,
  };
  const settled = main.state;
  if (settled.kind === 'resolved' && settled.value !== undefined) run.result = jsonSafe(settled.value);
  if (error) run.error = error;
  return run;
}

/**
 * How the runner describes an error: `Name: message`, a stack with only the
 * user's frames, and the TypeScript line and column of the innermost one.
 */
export function describeRunError(e: unknown, source: UserSource | undefined): ErrorDescription {
  let message = errorHeadline(e);
  if (isStackOverflow(e)) message += ' (endless or too deep recursion)';
  if (!source) return { message };
  const stack = cleanStack(e, source);
  const top = e instanceof Error ? userFrames(e.stack, source)[0] : undefined;
  return {
    message,
    ...(stack ? { stack } : {}),
    ...(top ? { line: top.line, column: top.column } : {}),
  };
}
