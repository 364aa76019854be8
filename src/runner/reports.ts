import type { ExecutedRun, RunError, RunStatus } from './protocol.js';

/**
 * The report of a run that produced no trace: it never started (syntax error,
 * sandbox failure) or its sandbox had to be killed.
 *
 * @example
 * emptyRun('error', { kind: 'sandbox', message: 'The code sandbox did not start.' });
 */
export function emptyRun(status: RunStatus, error: RunError): ExecutedRun {
  return { status, error, events: [], traceHash: '', eventsRun: 0, virtualTime: 0, droppedLogs: 0 };
}

/** The report of a run that never started because the code does not transpile (a syntax error, or an import that is not allowed). */
export function transpileFailure(error: { kind: 'syntax' | 'import'; message: string; line?: number; column?: number }): ExecutedRun {
  return emptyRun('error', { ...error });
}
