import { jsonSafe } from '../../sim/network.js';
import type { ExecutedRun, RunError, RunStatus } from '../protocol.js';
import { packTrace } from './packed-trace.js';
import type { RunSession } from './run-session.js';

/** What {@link reportRun} needs besides the session. */
export interface RunReportFacts {
  /** The run's event budget, for the message when it ran out. */
  maxEvents: number;
  /** The wall-clock budget in ms, for the message when it ran out; left out of it when absent. */
  budgetMs: number | undefined;
  /** Log lines dropped after the log cap. */
  droppedLogs: number;
  /** Called with the events as JSON, when the report is to travel as such (see `packTrace`). */
  onTraceJson?: ((json: string) => void) | undefined;
  /** False to leave the trace hash out (`''`): a pool's runs need none, and hashing costs as much as the JSON itself. */
  traceHash?: boolean | undefined;
}

const fmt = (n: number) => n.toLocaleString('en-US');
// Taken when the runtime loads, before any user code runs in its Worker.
const stringify = JSON.stringify;

/**
 * The report of a finished run: its status and error from how it ended, its
 * trace, and what `main` resolved to (even when something failed after).
 */
export function reportRun(session: RunSession, facts: RunReportFacts): ExecutedRun {
  const { world, phase } = session;
  const virtualTime = world.now();
  const eventsRun = world.scheduler.eventsRun;
  const { status, error } = verdict(session, { ...facts, virtualTime, eventsRun });
  const events = world.trace.events.slice();
  let traceHash: string;
  if (facts.traceHash === false) {
    traceHash = '';
    facts.onTraceJson?.(stringify(events));
  } else if (facts.onTraceJson) {
    // One serialisation for both the hash and the JSON that carries the events.
    const packed = packTrace(events);
    traceHash = packed.hash;
    facts.onTraceJson(packed.json);
  } else {
    traceHash = world.trace.hash();
  }
  const run: ExecutedRun = {
    status,
    events,
    traceHash,
    eventsRun,
    virtualTime,
    droppedLogs: facts.droppedLogs,
  };
  const main = phase.kind === 'running' ? phase.main : undefined;
  if (main?.kind === 'resolved' && main.value !== undefined) run.result = jsonSafe(main.value);
  if (error) run.error = error;
  return run;
}

/** Status and error of a run, from what ended it and how far it got. */
function verdict(session: RunSession, at: RunReportFacts & { virtualTime: number; eventsRun: number }): { status: RunStatus; error?: RunError } {
  const { virtualTime, eventsRun } = at;
  const { end, phase } = session;
  switch (end?.kind) {
    case 'failed':
      return { status: end.error.kind === 'budget' ? 'budget' : 'error', error: end.error };
    case 'stopped': {
      if (end.reason === 'user') {
        return {
          status: 'stopped',
          error: { kind: 'stopped', message: `You stopped the run at virtual time ${fmt(virtualTime)} ms, after ${fmt(eventsRun)} callbacks; what it did until then is shown.` },
        };
      }
      const budget = at.budgetMs !== undefined ? ` of ${fmt(at.budgetMs)} ms` : '';
      const what = phase.kind === 'loading' ? "The module's top-level code was" : 'The simulation was';
      const message = `${what} still busy when the time limit${budget} ran out, and was stopped at virtual time ${fmt(virtualTime)} ms after ${fmt(eventsRun)} callbacks. Shorten the scenario, or set a horizon.`;
      return { status: 'timeout', error: { kind: 'timeout', message } };
    }
    case 'outcome':
      if (end.outcome.reason === 'budget') {
        return {
          status: 'budget',
          error: {
            kind: 'budget',
            message: `The run used its budget of ${fmt(at.maxEvents)} scheduled callbacks and was stopped at virtual time ${fmt(virtualTime)} ms: something keeps scheduling work (an endless setInterval, or retries without a limit?). Set a horizon or stop the timers.`,
          },
        };
      }
      if (end.outcome.reason === 'quiescent' && phase.kind === 'running' && phase.main.kind === 'pending') {
        return { status: 'error', error: { kind: 'unfinished', ...session.explainWait('main') } };
      }
      return { status: 'ok' };
    case undefined:
      return { status: 'ok' };
  }
}
