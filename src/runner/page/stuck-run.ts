import type { ExecutedRun, StopReason } from '../protocol.js';
import { emptyRun } from '../reports.js';

/** What the page knows about a run that did not answer when asked to stop. */
export interface StuckRun {
  /** Why it was asked to stop: its time ran out, or the learner stopped it. */
  reason: StopReason;
  /** Its wall-clock budget, in ms. */
  budgetMs: number;
  /**
   * The sandbox itself no longer answered: its process died, which in a
   * sandbox that only runs user code means it ran out of memory.
   */
  sandboxDied: boolean;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * The report of a run that had to be killed because it never answered a
 * request to stop: it never paused (an endless loop or a very long
 * computation), or its sandbox died (out of memory). Either way its sandbox
 * was restarted and nothing of the run can be shown.
 *
 * @example
 * stuckRunReport({ reason: 'timeout', budgetMs: 2000, sandboxDied: false }).error.kind; // 'infinite-loop'
 */
export function stuckRunReport(run: StuckRun): ExecutedRun {
  const memory =
    'most likely because your code ran out of memory (something that grows without end, such as an array filled in an endless loop). Look for a loop that keeps adding to an array, a string or a map.';
  if (run.reason === 'user') {
    return emptyRun(
      'stopped',
      run.sandboxDied
        ? { kind: 'memory', message: `You stopped the run. Its sandbox had already crashed, ${memory} The sandbox was restarted.` }
        : { kind: 'stopped', message: 'You stopped the run. The code was busy and never paused, so its sandbox was restarted; nothing of this run can be shown.' },
    );
  }
  if (run.sandboxDied) {
    return emptyRun('error', { kind: 'memory', message: `Your code's sandbox crashed, ${memory} The sandbox was restarted.` });
  }
  return emptyRun('timeout', {
    kind: 'infinite-loop',
    message: `Your code kept running for over ${fmt(run.budgetMs)} ms without ever pausing, so it was stopped and its sandbox restarted: an endless loop (such as while (true) {}), or a very long computation. Look for a loop whose condition never becomes false.`,
  });
}
