import { DEFAULT_BUDGET_MS, DEFAULT_MAX_EVENTS } from '../limits.js';
import type { ExecutedRun, PoolOpened, PoolRequest, SeedRun } from '../protocol.js';
import { emptyRun, transpileFailure } from '../reports.js';
import type { SandboxFrame } from './sandbox-frame.js';
import type { PoolHost } from './pool-host.js';
import { PooledWorker, type PooledRunLimits } from './pooled-worker.js';

/** Options of {@link openRunPool} that come from the sandbox, not the request. */
export interface RunPoolOptions {
  /** Workers when the request names none (the machine's cores); kept within 2–{@link MAX_POOL_WORKERS}. */
  defaultWorkers: number;
  /** How long a run asked to stop may take to report before its Worker is ended, in ms. */
  stopGraceMs: number;
  /** How long a new Worker may take to load the runtime, in ms. */
  startTimeoutMs: number;
  /** Runs one Worker does before a fresh one takes over; default {@link RUNS_PER_WORKER}. */
  runsPerWorker?: number;
  /** Trace events one Worker's runs may add up to before a fresh one takes over; default {@link EVENTS_PER_WORKER}. */
  eventsPerWorker?: number;
  /** Wall-clock time in ms, for the failure report's `wallMs`. */
  clock: () => number;
}

/** Most Workers in one pool: more than the cores only adds memory and switching. */
export const MAX_POOL_WORKERS = 8;
/** Runners per Worker: the Worker holds the second one's run and starts it as it reports the first (see `RUNS_AT_WORKER`), while the page judges the first. */
export const LANES_PER_WORKER = 2;
/**
 * Runs one Worker does before it is replaced. A run leaves nothing behind in
 * its Worker (the program is imported once and its top-level code called per
 * run), unless user code hangs things on the Worker's global object: a fresh
 * Worker now and then bounds what that can add up to. Starting one costs a
 * few tens of ms.
 */
export const RUNS_PER_WORKER = 2_000;
/** Trace events one Worker's runs may add up to before it is replaced (see {@link RUNS_PER_WORKER}). */
export const EVENTS_PER_WORKER = 2_000_000;

const closedRun = (): ExecutedRun => emptyRun('stopped', { kind: 'stopped', message: 'The pool was closed before this run finished.' });

/**
 * Opens a pool that runs one program over many seeds: the code is transpiled
 * once (code that does not transpile opens no pool: its report says why), and
 * each of `workers` Workers in the sandbox's frame loads the runtime and the
 * program once and then runs seed after seed, calling the program's top-level
 * code anew for every run (see `toProgramFactory`), so each run has a fresh
 * world and fresh top-level state and gives the same trace as `run()` does.
 * Each Worker has two runners, so that it runs one while the page judges the
 * other's. A run that never yields is stopped at its budget by ending its
 * Worker (a fresh one takes its place); aborting a run's signal stops it. If
 * the frame itself goes away under a run (a stuck `run()` in the same sandbox
 * was killed), the run is done again on a fresh Worker.
 *
 * @example
 * const pool = await openRunPool(host, { code, budgetMs: 2000 }, options);
 * if (pool.ok) {
 *   const run = await pool.runners[0](42, {});
 *   pool.close();
 * }
 */
export async function openRunPool(host: PoolHost, request: PoolRequest, options: RunPoolOptions): Promise<PoolOpened> {
  const openedAt = options.clock();
  const failed = (run: ExecutedRun): PoolOpened => ({ ok: false, report: { ...run, runId: 'pool', wallMs: Math.round((options.clock() - openedAt) * 10) / 10 } });
  const program = programFor(host, request.code);
  let first;
  try {
    first = await program.prepare();
  } catch (e) {
    return failed(emptyRun('error', { kind: 'sandbox', message: e instanceof Error ? e.message : String(e) }));
  }
  if (!first.ok) return failed(transpileFailure(first.error));

  const count = clamp(request.workers ?? Math.max(2, options.defaultWorkers), request.workers === undefined ? 2 : 1, MAX_POOL_WORKERS);
  const limits: PooledRunLimits = {
    budgetMs: request.budgetMs ?? DEFAULT_BUDGET_MS,
    maxEvents: request.maxEvents ?? DEFAULT_MAX_EVENTS,
    stopGraceMs: options.stopGraceMs,
    runsPerWorker: options.runsPerWorker ?? RUNS_PER_WORKER,
    eventsPerWorker: options.eventsPerWorker ?? EVENTS_PER_WORKER,
  };
  const live = new Set<PooledWorker>();
  let closed = false;

  /** Starts a Worker on the current frame and hands it the program. */
  async function launch(): Promise<PooledWorker> {
    const prepared = await program.prepare();
    if (!prepared.ok) throw new Error(prepared.error.message);
    const started = await host.startWorker(prepared.frame);
    const worker = new PooledWorker(host, prepared.frame, started, limits);
    if (closed) {
      worker.end();
      throw new Error('The pool was closed.');
    }
    live.add(worker);
    worker.load(prepared.code, prepared.mappings);
    // Its runs are timed from when the runtime is in: on a busy machine loading it can take longer than a run's budget.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`A worker of the sandbox did not load the runtime within ${options.startTimeoutMs} ms.`)), options.startTimeoutMs);
    });
    try {
      await Promise.race([worker.loaded, late]);
    } catch (e) {
      live.delete(worker);
      worker.end();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    return worker;
  }

  /**
   * One Worker at a time, replaced when it is killed, lost or worn, and its
   * {@link LANES_PER_WORKER} runners: while the page judges the run one of
   * them got back, the Worker already runs the other's.
   */
  function workerSlot(): SeedRun[] {
    let next: Promise<PooledWorker> | undefined = launch();
    next.catch(() => undefined);
    let current: PooledWorker | undefined;

    const acquire = async (): Promise<PooledWorker> => {
      for (let attempt = 0; ; attempt++) {
        next ??= launch();
        const pending = next;
        try {
          const worker = await pending;
          if (!worker.gone) return (current = worker);
        } catch (e) {
          if (attempt >= 1 || closed) throw e;
        }
        if (next === pending) next = undefined;
      }
    };
    /** Ends `worker` and starts its successor at once, so the next run finds it warm (once, whichever runner sees it worn first). */
    const retire = (worker: PooledWorker) => {
      worker.end();
      live.delete(worker);
      if (closed || worker !== current) return;
      current = undefined;
      next = launch();
      next.catch(() => undefined);
    };

    const runSeed = async (seed: string | number, faults: Parameters<SeedRun>[1], signal?: AbortSignal): Promise<ExecutedRun> => {
      for (let attempt = 0; attempt < 2; ) {
        if (closed) return closedRun();
        if (signal?.aborted) return emptyRun('stopped', { kind: 'stopped', message: 'Stopped before this run started.' });
        let worker: PooledWorker;
        try {
          worker = await acquire();
        } catch (e) {
          if (closed) return closedRun();
          return emptyRun('error', { kind: 'sandbox', message: `The code sandbox could not start a worker: ${e instanceof Error ? e.message : String(e)}` });
        }
        if (worker.wornOut() && worker.idle) {
          retire(worker); // its last run's runner has not yet seen it worn
          continue;
        }
        const outcome = await worker.run(seed, faults, signal);
        // It waited for a Worker that was then ended or worn out: it runs on the next one.
        if (outcome.kind === 'not-started') continue;
        // Worn out: replaced once idle (the next run may already be going on it; its runner replaces it then).
        if (outcome.kind === 'killed' || (worker.wornOut() && worker.idle)) retire(worker);
        else if (outcome.kind === 'gone') live.delete(worker);
        if (outcome.kind !== 'gone') return outcome.run;
        // The frame went away under the run: nothing of it is known, so it runs again on a fresh Worker.
        attempt++;
      }
      return emptyRun('error', { kind: 'sandbox', message: 'The code sandbox restarted twice during this run. Run it again.' });
    };

    /** A runner: its calls run one after another. */
    const lane = (): SeedRun => {
      let queue: Promise<unknown> = Promise.resolve();
      return (seed, faults, signal) => {
        const result = queue.then(() => runSeed(seed, faults, signal));
        queue = result.then(
          () => undefined,
          () => undefined,
        );
        return result;
      };
    };
    return Array.from({ length: LANES_PER_WORKER }, lane);
  }

  const runners = Array.from({ length: count }, workerSlot).flat();
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const worker of live) worker.end(closedRun());
    live.clear();
  };
  const unsubscribe = host.subscribe((event) => {
    if (event.kind === 'disposed') close();
    for (const worker of [...live]) {
      const lost = event.kind === 'frame-lost' ? worker.frame === event.frame : event.kind === 'worker-failed' && worker.id === event.workerId;
      if (!lost) continue;
      live.delete(worker);
      worker.lose(event.kind === 'worker-failed' ? event.message : undefined);
    }
  });
  return { ok: true, runners, close };
}

type Prepared = { ok: true; frame: SandboxFrame; code: string; mappings: string } | { ok: false; error: Extract<Awaited<ReturnType<PoolHost['transpile']>>, { ok: false }>['error'] };

/** The program transpiled for the sandbox's current frame: once per frame (a new frame has a new runtime URL). */
function programFor(host: PoolHost, code: string): { prepare(): Promise<Prepared> } {
  let cached: { frame: SandboxFrame; out: Promise<Prepared> } | undefined;
  return {
    async prepare() {
      const frame = await host.frame();
      if (cached?.frame !== frame) {
        const out = host.transpile(code, frame).then((r): Prepared => (r.ok ? { ok: true, frame, code: r.code, mappings: r.mappings } : { ok: false, error: r.error }));
        out.catch(() => undefined);
        cached = { frame, out };
      }
      return cached.out;
    },
  };
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, Math.floor(Number.isFinite(n) ? n : min)));
