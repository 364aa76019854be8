import type { TraceEventOf, TraceInput, TraceKind, TraceRecorder } from '../../sim/trace.js';
import { MAX_LOG_MESSAGE } from '../limits.js';

/** What a run that filled its trace is told, and what its report says. */
export function traceFullMessage(limit: number): string {
  return `The run produced more than ${limit.toLocaleString('en-US')} trace events and was stopped.`;
}

/** Thrown into user code when the trace is full, so that even a synchronous loop stops. */
export class TraceBudgetError extends Error {
  constructor(readonly limit: number) {
    super(traceFullMessage(limit));
    this.name = 'TraceBudgetError';
  }
}

/** What {@link limitTrace} counts, read after the run. */
export interface TraceLimitState {
  /** Log lines dropped after the cap. */
  droppedLogs: number;
  /** Set once the trace reached its overall cap. */
  full: boolean;
}

/**
 * Caps a run's trace so that a flood of output cannot freeze the page that
 * shows it: after `maxLogEvents` log lines, one `runner` note says the output
 * was truncated and further lines are dropped; after `maxTraceEvents` events
 * of any kind, recording throws {@link TraceBudgetError} and `onFull` is
 * called (the runner stops the world there). Works by wrapping `record` on
 * this recorder only; returns the function that unwraps it.
 *
 * @example
 * const limits = limitTrace(world.trace, { maxLogEvents: 5000, maxTraceEvents: 250_000, onFull: () => world.scheduler.stop() });
 */
export function limitTrace(
  trace: TraceRecorder,
  options: { maxLogEvents: number; maxTraceEvents: number; onFull: () => void },
): { state: TraceLimitState; restore: () => void } {
  const original = trace.record;
  const record = original.bind(trace);
  const state: TraceLimitState = { droppedLogs: 0, full: false };
  let logs = 0;
  const wrapped = <K extends TraceKind>(kind: K, fields: TraceInput<K>): TraceEventOf<K> => {
    if (trace.length >= options.maxTraceEvents) {
      if (!state.full) {
        state.full = true;
        options.onFull();
      }
      throw new TraceBudgetError(options.maxTraceEvents);
    }
    if (kind === 'log') {
      if (logs >= options.maxLogEvents) {
        if (state.droppedLogs++ === 0) {
          record('log', {
            source: 'runner',
            level: 'warn',
            message: `Log output truncated: only the first ${options.maxLogEvents.toLocaleString('en-US')} lines are kept; later lines are dropped.`,
          });
        }
        // A detached event: callers that read the returned event still get one, but it is not in the trace.
        return { seq: -1, time: 0, kind, ...fields } as unknown as TraceEventOf<K>;
      }
      logs++;
      const f = fields as unknown as { message?: unknown };
      if (typeof f.message === 'string' && f.message.length > MAX_LOG_MESSAGE) {
        const cut = f.message.length - MAX_LOG_MESSAGE;
        return record(kind, { ...fields, message: `${f.message.slice(0, MAX_LOG_MESSAGE)}… (${cut} more characters cut)` });
      }
    }
    return record(kind, fields);
  };
  trace.record = wrapped;
  return {
    state,
    restore: () => {
      if (trace.record === wrapped) trace.record = original;
    },
  };
}
