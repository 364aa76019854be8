import { hostHop } from '../../sim/scheduler.js';
import { executeRun } from './execute-run.js';
import { eventTargetWatcher } from './host.js';
import type { ExecutedRun, WorkerRunOptions } from '../protocol.js';
import { createPositionMapper } from '../source-map.js';

/**
 * Runs the user's module inside the sandbox's Worker: the Worker's global is
 * the one bound to virtual time, its real-task hop is `scheduler.postTask`
 * (a `MessageChannel` where that is missing), and unhandled rejections are
 * caught through its events. Called by `public/sandbox/boot.js` after it has
 * imported the runtime.
 *
 * @example
 * const run = await runtime.runInWorker(options, userUrl, () => import(userUrl), controller.signal, self);
 */
export function runInWorker(
  options: WorkerRunOptions,
  userUrl: string,
  loadModule: () => Promise<unknown>,
  signal: AbortSignal,
  scope: typeof globalThis = globalThis,
): Promise<ExecutedRun> {
  return executeRun(loadModule, {
    seed: options.seed,
    ...(options.faults ? { faults: options.faults } : {}),
    maxEvents: options.maxEvents,
    ...(options.horizon !== undefined ? { horizon: options.horizon } : {}),
    budgetMs: options.budgetMs,
    hop: hostHop(scope),
    global: scope,
    watchUncaught: eventTargetWatcher(scope as unknown as Parameters<typeof eventTargetWatcher>[0]),
    source: { url: userUrl, toSource: createPositionMapper(options.mappings) },
    signal,
  });
}
