import { setCurrentWorld } from '../../playground/current-world.js';
import { bindGlobals } from '../../sim/globals.js';
import { DEFAULT_MAX_LOG_EVENTS, DEFAULT_MAX_TRACE_EVENTS } from '../limits.js';
import { captureConsole } from './console-capture.js';
import { hostWatcher, type UncaughtWatcher } from './host.js';
import type { RunSession } from './run-session.js';
import { limitTrace, traceFullMessage, type TraceLimitState } from './trace-limits.js';

/** What {@link takeOverHost} needs from the run's options. */
export interface HostTakeoverOptions {
  /** The global object whose timers, `Date`, `Math.random` and `console` the run takes over; default `globalThis`. */
  global?: typeof globalThis;
  /** Watches for unhandled rejections and uncaught exceptions; default {@link hostWatcher}. */
  watchUncaught?: UncaughtWatcher;
  /** Aborting it stops the run after the current callback; `signal.reason` `'user'` means Stop, anything else a timeout. */
  signal?: AbortSignal;
  /** Log lines kept; default 5,000. */
  maxLogEvents?: number;
  /** Trace events allowed before the run is stopped; default 250,000. */
  maxTraceEvents?: number;
}

/** A host taken over by one run. */
export interface HostTakeover {
  /** What the trace caps counted (read after the run). */
  traceLimits: TraceLimitState;
  /** Puts everything back as it was, in reverse order; call it in a `finally`. */
  release(): void;
}

/**
 * Hands the host to one run: makes the session's world the current world of
 * the `playground` module, caps its trace (a full trace fails the run), routes
 * `console.*` to `log` events (source `console`), binds the global timers,
 * `Date` and `Math.random` to virtual time, turns errors that escape user
 * code into a failed run, and lets the abort signal stop it.
 *
 * @example
 * const host = takeOverHost(session, { global: self, signal });
 * try { ... } finally { host.release(); }
 */
export function takeOverHost(session: RunSession, options: HostTakeoverOptions): HostTakeover {
  const { world } = session;
  const g = options.global ?? globalThis;
  setCurrentWorld(world);
  const maxTraceEvents = options.maxTraceEvents ?? DEFAULT_MAX_TRACE_EVENTS;
  const limits = limitTrace(world.trace, {
    maxLogEvents: options.maxLogEvents ?? DEFAULT_MAX_LOG_EVENTS,
    maxTraceEvents,
    onFull: () => session.fail({ kind: 'budget', message: traceFullMessage(maxTraceEvents) }),
  });
  const restoreConsole = captureConsole(g.console as unknown as Record<string, unknown>, (level, message) =>
    world.trace.record('log', { source: 'console', level, message }),
  );
  const watch = options.watchUncaught ?? hostWatcher(g); // made before the globals are bound: it may keep real timers
  const restoreGlobals = bindGlobals(world, g);
  const stopWatching = watch((error, how) => session.failUncaught(error, how));
  const signal = options.signal;
  const onAbort = () => session.stop(signal?.reason === 'user' ? 'user' : 'timeout');
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort);
  return {
    traceLimits: limits.state,
    release() {
      signal?.removeEventListener('abort', onAbort);
      stopWatching();
      restoreGlobals();
      restoreConsole();
      limits.restore();
      setCurrentWorld(undefined);
    },
  };
}
