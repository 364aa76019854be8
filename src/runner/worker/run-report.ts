import { jsonSafe } from '../../sim/network.js';
import type { ExecutedRun, RunError, RunStatus } from '../protocol.js';
import type { RunEnd, RunPhase, RunSession } from './run-session.js';

/** What {@link reportRun} needs besides the session. */
export interface RunReportFacts {
  /** The run's event budget, for the message when it ran out. */
  maxEvents: number;
  /** The wall-clock budget in ms, for the message when it ran out; left out of it when absent. */
  budgetMs: number | undefined;
  /** Log lines dropped after the log cap. */
  droppedLogs: number;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * The report of a finished run: its status and error from how it ended, its
 * trace, and what `main` resolved to (even when something failed after).
 */
export function reportRun(session: RunSession, facts: RunReportFacts): ExecutedRun {
  const { world, phase } = session;
  const virtualTime = world.now();
  const eventsRun = world.scheduler.eventsRun;
  const { status, error } = verdict(session.end, phase, { ...facts, virtualTime, eventsRun });
  const run: ExecutedRun = {
    status,
    events: world.trace.events.slice(),
    traceHash: world.trace.hash(),
    eventsRun,
    virtualTime,
    droppedLogs: facts.droppedLogs,
  };
  const main = phase.kind === 'running' ? phase.main : undefined;
  if (main?.kind === 'resolved' && main.value !== undefined) run.result = jsonSafe(main.value);
  if (error) run.error = error;
  return run;
}

/** Status and error of a run that ended with `end` in `phase`. */
function verdict(
  end: RunEnd | undefined,
  phase: RunPhase,
  at: RunReportFacts & { virtualTime: number; eventsRun: number },
): { status: RunStatus; error?: RunError } {
  const { virtualTime, eventsRun } = at;
  switch (end?.kind) {
    case 'failed':
      return { status: end.error.kind === 'budget' ? 'budget' : 'error', error: end.error };
    case 'stopped': {
      if (end.reason === 'user') {
        return { status: 'stopped', error: { kind: 'stopped', message: `Stopped at virtual time ${fmt(virtualTime)} ms after ${fmt(eventsRun)} callbacks.` } };
      }
      const budget = at.budgetMs !== undefined ? `${fmt(at.budgetMs)} ms ` : '';
      const message =
        phase.kind === 'loading'
          ? `The module's top-level code was still running when the ${budget}wall-clock budget ran out, and was stopped at virtual time ${fmt(virtualTime)} ms.`
          : `The run was still going when its ${budget}wall-clock budget ran out, and was stopped at virtual time ${fmt(virtualTime)} ms after ${fmt(eventsRun)} callbacks. Shorten the scenario or set a horizon.`;
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
        return {
          status: 'error',
          error: {
            kind: 'unfinished',
            message: `main() never finished: the world went quiet at virtual time ${fmt(virtualTime)} ms while main was still waiting for a promise that nothing will settle.`,
          },
        };
      }
      return { status: 'ok' };
    case undefined:
      return { status: 'ok' };
  }
}
