import { hostHop } from '../../sim/scheduler.js';
import { executeRun } from './execute-run.js';
import { eventTargetWatcher } from './host.js';
import type { PackedRun, WorkerRunOptions } from '../protocol.js';
import { createPositionMapper } from '../source-map.js';

/** The user's program as the sandbox's Worker has it (a module made by `toProgramFactory`). */
export interface WorkerUserModule {
  /** The Blob URL it is imported from. */
  url: string;
  /** Its JavaScript (as transpiled). */
  code: string;
  /**
   * Runs its top-level code for this run and resolves to what importing a
   * module would give (`{ default }`): the boot script imports the module
   * (once) with an `import()` of its own, so that it resolves against the
   * sandbox, and calls its function.
   */
  load: () => Promise<unknown>;
}

/**
 * Runs the user's module inside the sandbox's Worker: the Worker's global is
 * the one bound to virtual time, its real-task hop is `scheduler.postTask`
 * (a `MessageChannel` where that is missing), and unhandled rejections are
 * caught through its events. Called by `public/sandbox/boot.js` after it has
 * imported the runtime; resolves to the report as it is posted, its events
 * as one JSON text in UTF-8 (the boot script transfers its buffer), or, for
 * a pool's run, as a JSON string without the trace hash (see `WorkerRunOptions.pooled`).
 *
 * A module whose top-level code waits while nothing is scheduled is given
 * half the time budget before it counts as waiting forever, so that the run
 * says so rather than running out of time.
 *
 * @example
 * const run = await runtime.runInWorker(options, { url, code, load: () => module.then((m) => m.default()) }, controller.signal, self);
 */
export async function runInWorker(options: WorkerRunOptions, user: WorkerUserModule, signal: AbortSignal, scope: typeof globalThis = globalThis): Promise<PackedRun> {
  let eventsJson: string | undefined;
  const { events, ...run } = await executeRun(user.load, {
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
    onTraceJson: (json) => (eventsJson = json),
    ...(options.pooled ? { traceHash: false } : {}),
  });
  const json = eventsJson ?? stringify(events);
  return options.pooled ? { ...run, eventsJson: json } : { ...run, eventsUtf8: utf8.encode(json) };
}

// Made when the runtime loads, before any user code runs in its Worker.
const utf8 = new TextEncoder();
const stringify = JSON.stringify;
