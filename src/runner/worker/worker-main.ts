import { hostHop } from '../../sim/scheduler.js';
import { executeRun } from './execute-run.js';
import { eventTargetWatcher } from './host.js';
import type { ExecutedRun, WorkerRunOptions } from '../protocol.js';
import { createPositionMapper } from '../source-map.js';

/** The user's module as the sandbox's Worker has it. */
export interface WorkerUserModule {
  /** The Blob URL it is imported from. */
  url: string;
  /** Its JavaScript (as transpiled). */
  code: string;
  /** Imports it (an `import()` in the boot script, so that it resolves against the sandbox). */
  load: () => Promise<unknown>;
}

/**
 * Runs the user's module inside the sandbox's Worker: the Worker's global is
 * the one bound to virtual time, its real-task hop is `scheduler.postTask`
 * (a `MessageChannel` where that is missing), and unhandled rejections are
 * caught through its events. Called by `public/sandbox/boot.js` after it has
 * imported the runtime.
 *
 * A module whose top-level code waits while nothing is scheduled is given
 * half the time budget before it counts as waiting forever, so that the run
 * says so rather than running out of time.
 *
 * @example
 * const run = await runtime.runInWorker(options, { url, code, load: () => import(url) }, controller.signal, self);
 */
export function runInWorker(options: WorkerRunOptions, user: WorkerUserModule, signal: AbortSignal, scope: typeof globalThis = globalThis): Promise<ExecutedRun> {
  return executeRun(user.load, {
    seed: options.seed,
    ...(options.faults ? { faults: options.faults } : {}),
    maxEvents: options.maxEvents,
    ...(options.horizon !== undefined ? { horizon: options.horizon } : {}),
    budgetMs: options.budgetMs,
    hop: hostHop(scope),
    global: scope,
    watchUncaught: eventTargetWatcher(scope as unknown as Parameters<typeof eventTargetWatcher>[0]),
    source: { url: user.url, code: user.code, toSource: createPositionMapper(options.mappings) },
    loadIdleLimitMs: Math.min(5_000, options.budgetMs / 2),
    signal,
  });
}
