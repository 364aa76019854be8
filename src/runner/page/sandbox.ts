import { DEFAULT_BUDGET_MS, DEFAULT_MAX_EVENTS } from '../limits.js';
import type { ExecutedRun, FrameToPage, PoolOpened, PoolRequest, RunReport, RunRequest, StopReason } from '../protocol.js';
import { emptyRun, transpileFailure } from '../reports.js';
import type { TranspileResult } from '../transpiler/transpile.js';
import type { PoolHost, PoolHostEvent, StartedWorker } from './pool-host.js';
import { readReport } from './report-check.js';
import { openRunPool, type RunPoolOptions } from './run-pool.js';
import { createSandboxFrame, type SandboxFrame } from './sandbox-frame.js';
import { stuckRunReport } from './stuck-run.js';
import { createWorkerTranspiler, type Transpiler } from './transpiler-client.js';

/** Options of {@link createSandbox}. */
export interface SandboxOptions {
  /** The runtime module's source text (see `build/runtime-bundle.mjs`), or a function that fetches it once. */
  runtime: string | (() => Promise<string>);
  /** URL of `public/sandbox/boot.js`; default `sandbox/boot.js` relative to the document's base URL. */
  bootUrl?: string;
  /**
   * The boot script's text and its CSP hash (`sha256-…`), to inline it in the
   * sandbox document instead of loading `bootUrl`: an opaque-origin iframe is
   * not served by the page's service worker, so only an inline boot script
   * works offline. The page's CSP must allow the same hash.
   */
  boot?: { source: string; hash: string };
  /** Where the hidden iframe goes; default `document.body`. */
  container?: HTMLElement;
  /** How long a run asked to stop may take to report before its sandbox is killed, in ms; default 250. */
  stopGraceMs?: number;
  /**
   * How much longer to wait, after the grace period, for a sandbox that has
   * not even acknowledged the stop: one that never does has died (of memory);
   * in ms, default 750.
   */
  stopAckWaitMs?: number;
  /** How long a new sandbox may take to start before runs fail, in ms; default 10,000. */
  bootTimeoutMs?: number;
  /** Turns the user's TypeScript into JavaScript, off the main thread; default {@link createWorkerTranspiler}. */
  transpiler?: Transpiler;
  /**
   * The sandbox starts (iframe, runtime, Workers) once this settles; runs
   * asked for before wait for it. Default: at once. The page lets its first
   * paint and its editor load first: on a machine with few cores, starting
   * the sandbox alongside them slows all three.
   */
  startAfter?: Promise<unknown>;
  /** How pools replace their Workers (see `openRunPool`); defaults suit the page, tests make them small. */
  pool?: Pick<RunPoolOptions, 'runsPerWorker' | 'eventsPerWorker'>;
}

/** A warm sandbox that runs user code; see {@link createSandbox}. */
export interface Sandbox {
  /**
   * Transpiles and runs `request.code`. Never rejects: every outcome, syntax
   * errors and killed runs included, is a {@link RunReport}. Starting a run
   * while another is going stops the other first (it reports `stopped`, with
   * its trace so far when it still yielded); of several runs started while
   * one stops, only the last one runs.
   */
  run(request: RunRequest): Promise<RunReport>;
  /**
   * Opens a pool of warm Workers in the same sandbox that run one program
   * over many seeds (see `openRunPool`). Never rejects: code that does not
   * transpile gives `{ ok: false, report }`. Runs of `run()` go on beside an
   * open pool; if one of them never yields, killing it restarts the sandbox,
   * and the pool's runs in progress run again on fresh Workers.
   */
  openPool(request: PoolRequest): Promise<PoolOpened>;
  /** Stops the current run: gracefully if it still yields, else by killing the sandbox. */
  stop(): void;
  /** Resolves once a warm sandbox is ready for the next run. */
  ready(): Promise<void>;
  /** Removes the sandbox for good; a run in progress reports `stopped`. */
  dispose(): void;
}

interface ActiveRun {
  request: RunRequest;
  frame: SandboxFrame;
  startedAt: number;
  budgetMs: number;
  resolve: (report: RunReport) => void;
  /** Settles once the run has reported (or was killed). */
  finished: Promise<void>;
  markFinished: () => void;
  budgetTimer: ReturnType<typeof setTimeout> | undefined;
  graceTimer: ReturnType<typeof setTimeout> | undefined;
  stopReason: StopReason | undefined;
  /** The sandbox's own thread answered the request to stop (the run's Worker may still be busy). */
  stopAcknowledged: boolean;
  /** The grace period is over; waiting only for the sandbox to show it is alive. */
  overdue: boolean;
}

/**
 * Creates the page's code sandbox: one warm `<iframe sandbox="allow-scripts"
 * srcdoc>` (an opaque origin: no access to the page's storage or DOM), booted
 * by `sandbox/boot.js`, that runs each program in a fresh Worker. A wall-clock
 * budget guards every run: when it runs out the run is asked to stop (and
 * reports `timeout` with the trace so far); if it does not answer (it never
 * yields: `while (true) {}`), the iframe is removed, which ends its Worker at
 * once, and a new one is started. The page's main thread never waits on it.
 * Keep this the page's only sandboxed iframe: sandboxed iframes share a
 * process, and a spinning one would freeze the others.
 *
 * @example
 * const sandbox = createSandbox({ runtime: () => import('virtual:playground-runtime').then((m) => m.default) });
 * const report = await sandbox.run({ runId: '1', code, seed: 42 });
 * report.status; // 'ok' | 'error' | 'timeout' | 'budget' | 'stopped'
 */
export function createSandbox(options: SandboxOptions): Sandbox {
  const container = options.container ?? document.body;
  const bootUrl = options.bootUrl ?? new URL('sandbox/boot.js', document.baseURI).href;
  const stopGraceMs = options.stopGraceMs ?? 250;
  const stopAckWaitMs = options.stopAckWaitMs ?? 750;
  const bootTimeoutMs = options.bootTimeoutMs ?? 10_000;
  let runtimeSource: Promise<string> | undefined;
  const getRuntime = (): Promise<string> =>
    (runtimeSource ??= (typeof options.runtime === 'string' ? Promise.resolve(options.runtime) : options.runtime()).catch((e: unknown) => {
      runtimeSource = undefined; // a failed load is tried again by the next sandbox
      throw e;
    }));

  let frame: SandboxFrame | undefined;
  let active: ActiveRun | undefined;
  let disposed = false;
  const transpiler = options.transpiler ?? createWorkerTranspiler();
  let transpilerWarm = false;
  let latestTicket = 0;

  const createFrame = () => createSandboxFrame({ container, bootUrl, boot: options.boot, bootTimeoutMs });

  // Pools share the frame: their Workers are started in it on request, and end with it.
  const poolListeners = new Set<(event: PoolHostEvent) => void>();
  const notifyPools = (event: PoolHostEvent) => {
    for (const listener of [...poolListeners]) listener(event);
  };
  interface StartingWorker {
    frame: SandboxFrame;
    resolve: (worker: StartedWorker) => void;
    reject: (error: Error) => void;
    timer: ReturnType<typeof setTimeout>;
  }
  const startingWorkers = new Map<string, StartingWorker>();
  let poolWorkers = 0;
  const failStarting = (f: SandboxFrame, message: string) => {
    for (const [id, s] of startingWorkers) {
      if (s.frame !== f) continue;
      startingWorkers.delete(id);
      clearTimeout(s.timer);
      s.reject(new Error(message));
    }
  };

  function currentFrame(): SandboxFrame {
    frame ??= createFrame();
    return frame;
  }

  function kill(f: SandboxFrame): void {
    f.remove();
    if (frame === f) frame = disposed ? undefined : createFrame();
    failStarting(f, 'The code sandbox restarted.');
    notifyPools({ kind: 'frame-lost', frame: f });
  }

  function finish(run: ActiveRun, executed: ExecutedRun): void {
    clearTimeout(run.budgetTimer);
    clearTimeout(run.graceTimer);
    if (active === run) active = undefined;
    run.markFinished();
    run.resolve({ ...executed, runId: run.request.runId, wallMs: Math.round((performance.now() - run.startedAt) * 10) / 10 });
  }

  function askToStop(run: ActiveRun, reason: StopReason): void {
    if (run.stopReason) return;
    run.stopReason = reason;
    clearTimeout(run.budgetTimer);
    run.frame.post({ type: 'stop', runId: run.request.runId, reason });
    run.graceTimer = setTimeout(() => {
      run.overdue = true;
      // A sandbox that has not even acknowledged the stop gets a little longer to show it is alive.
      if (run.stopAcknowledged) killStuck(run);
      else run.graceTimer = setTimeout(() => killStuck(run), stopAckWaitMs);
    }, stopGraceMs);
  }

  /** Kills the sandbox of a run that did not report when asked to stop, and says why it could not. */
  function killStuck(run: ActiveRun): void {
    if (active !== run) return;
    kill(run.frame);
    finish(run, stuckRunReport({ reason: run.stopReason ?? 'user', budgetMs: run.budgetMs, sandboxDied: !run.stopAcknowledged }));
  }

  function onMessage(e: MessageEvent): void {
    const f = frame;
    if (!f || e.source !== f.iframe.contentWindow) return;
    const m = e.data as FrameToPage;
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'boot':
        getRuntime().then(
          (source) => f.post({ type: 'runtime', source }),
          (err: unknown) => f.markFailed(`The sandbox runtime could not be loaded: ${err instanceof Error ? err.message : String(err)}`),
        );
        break;
      case 'ready':
        f.markReady(m.runtimeUrl);
        if (!transpilerWarm) {
          transpilerWarm = true;
          whenIdle(() => transpiler.warmUp());
        }
        break;
      case 'stopping':
        if (active && active.frame === f && active.request.runId === m.runId) {
          active.stopAcknowledged = true;
          if (active.overdue) killStuck(active);
        }
        break;
      case 'report': {
        if (!active || active.frame !== f || active.request.runId !== m.runId) break;
        // Only the runner can post on this channel: a report that does not read is its fault, said as such.
        finish(active, readReport(m.run) ?? emptyRun('error', { kind: 'sandbox', message: 'The sandbox sent a report the page could not read. Run the code again; if it happens again, reload the page.' }));
        break;
      }
      case 'crash':
        if (active && active.frame === f && active.request.runId === m.runId) {
          finish(active, emptyRun('error', { kind: 'sandbox', message: `The sandbox failed: ${m.message}` }));
        }
        break;
      case 'pool-worker': {
        const starting = startingWorkers.get(m.workerId);
        const port = e.ports[0];
        if (!starting || starting.frame !== f || !port) {
          port?.close();
          f.post({ type: 'pool-end', workerId: m.workerId }); // nobody waits for it any more
          break;
        }
        startingWorkers.delete(m.workerId);
        clearTimeout(starting.timer);
        starting.resolve({ id: m.workerId, port });
        break;
      }
      case 'pool-worker-failed':
        notifyPools({ kind: 'worker-failed', workerId: m.workerId, message: String(m.message) });
        break;
    }
  }
  window.addEventListener('message', onMessage);
  const started = (options.startAfter ?? Promise.resolve()).then(
    () => undefined,
    () => undefined,
  );
  void started.then(() => {
    if (!disposed) currentFrame();
  });

  const poolHost: PoolHost = {
    async frame() {
      await started;
      if (disposed) throw new Error('The sandbox was disposed.');
      const f = currentFrame();
      try {
        await f.ready;
      } catch {
        throw new Error(f.failure ?? 'The code sandbox did not start.');
      }
      return f;
    },
    transpile: (code, f) => transpiler.transpile(code, { playgroundUrl: f.runtimeUrl!, program: true }),
    startWorker(f) {
      return new Promise<StartedWorker>((resolve, reject) => {
        if (f !== frame) return reject(new Error('The code sandbox restarted.'));
        const workerId = `pool-${++poolWorkers}`;
        const timer = setTimeout(() => {
          startingWorkers.delete(workerId);
          f.post({ type: 'pool-end', workerId });
          reject(new Error(`A worker of the sandbox did not start within ${bootTimeoutMs} ms.`));
        }, bootTimeoutMs);
        startingWorkers.set(workerId, { frame: f, resolve, reject, timer });
        f.post({ type: 'pool-worker', workerId });
      });
    },
    endWorker(f, workerId) {
      f.post({ type: 'pool-end', workerId });
    },
    subscribe(listener) {
      poolListeners.add(listener);
      return () => poolListeners.delete(listener);
    },
  };

  return {
    async run(request) {
      const startedAt = performance.now();
      const ticket = ++latestTicket;
      const report = (run: ExecutedRun): RunReport => ({
        ...run,
        runId: request.runId,
        wallMs: Math.round((performance.now() - startedAt) * 10) / 10,
      });
      const replaced = () => report(emptyRun('stopped', { kind: 'stopped', message: 'Stopped: a newer run replaced it.' }));
      if (active) {
        // The run in progress stops gracefully (keeping the warm sandbox) or, if busy, is killed.
        const previous = active;
        askToStop(previous, 'user');
        await previous.finished;
      }
      await started;
      if (ticket !== latestTicket) return replaced();
      if (disposed) return report(emptyRun('stopped', { kind: 'sandbox', message: 'The sandbox was disposed.' }));
      const f = currentFrame();
      try {
        await f.ready;
      } catch {
        return report(emptyRun('error', { kind: 'sandbox', message: f.failure ?? 'The code sandbox did not start.' }));
      }
      if (ticket !== latestTicket || active) return replaced();
      let out: TranspileResult;
      try {
        // In the transpiler's own Worker: a long program must not freeze the page while it is parsed.
        out = await transpiler.transpile(request.code, { playgroundUrl: f.runtimeUrl!, program: true });
      } catch (e) {
        return report(emptyRun('error', { kind: 'sandbox', message: `The code transpiler could not be started (${e instanceof Error ? e.message : String(e)}). Check the connection and run again.` }));
      }
      if (ticket !== latestTicket || active) return replaced();
      if (!out.ok) return report(transpileFailure(out.error));
      const budgetMs = request.budgetMs ?? DEFAULT_BUDGET_MS;
      return new Promise<RunReport>((resolve) => {
        let markFinished!: () => void;
        const finished = new Promise<void>((r) => (markFinished = r));
        const run: ActiveRun = {
          request,
          frame: f,
          startedAt,
          budgetMs,
          resolve,
          finished,
          markFinished,
          budgetTimer: undefined,
          graceTimer: undefined,
          stopReason: undefined,
          stopAcknowledged: false,
          overdue: false,
        };
        active = run;
        f.post({
          type: 'run',
          runId: request.runId,
          code: out.code,
          options: {
            seed: request.seed,
            ...(request.faults ? { faults: request.faults } : {}),
            maxEvents: request.maxEvents ?? DEFAULT_MAX_EVENTS,
            ...(request.horizon !== undefined ? { horizon: request.horizon } : {}),
            budgetMs,
            mappings: out.mappings,
          },
        });
        run.budgetTimer = setTimeout(() => askToStop(run, 'timeout'), budgetMs);
      });
    },
    openPool(request) {
      return openRunPool(poolHost, request, {
        defaultWorkers: navigator.hardwareConcurrency || 2,
        stopGraceMs,
        startTimeoutMs: bootTimeoutMs,
        clock: () => performance.now(),
        ...options.pool,
      });
    },
    stop() {
      if (active) askToStop(active, 'user');
    },
    ready() {
      return disposed ? Promise.reject(new Error('The sandbox was disposed.')) : started.then(() => currentFrame().ready);
    },
    dispose() {
      disposed = true;
      notifyPools({ kind: 'disposed' });
      window.removeEventListener('message', onMessage);
      if (!options.transpiler) transpiler.dispose();
      const run = active;
      if (frame) kill(frame);
      frame = undefined;
      if (run) finish(run, emptyRun('stopped', { kind: 'stopped', message: 'The sandbox was disposed.' }));
    },
  };
}

/** Runs `task` when the page is idle (soon, where idle callbacks are missing): after the first paint, not before. */
function whenIdle(task: () => void): void {
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void, options?: { timeout: number }) => unknown }).requestIdleCallback;
  if (typeof idle === 'function') idle(task, { timeout: 2_000 });
  else setTimeout(task, 0);
}
