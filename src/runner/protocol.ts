// The contract between the page and the sandbox: what a run is asked to do, what it
// reports, and the messages page, iframe and Worker exchange. Types only, so both sides
// (and public/sandbox/boot.js, which cannot import it) can rely on the same shapes.
import type { FaultPlan } from '../sim/faults.js';
import type { TraceEvent } from '../sim/trace.js';

/** What the page asks the sandbox to run. */
export interface RunRequest {
  /** Chosen by the caller; echoed in the report. */
  runId: string;
  /** The user's TypeScript. */
  code: string;
  seed: string | number;
  faults?: FaultPlan;
  /** Wall-clock budget in ms; default `DEFAULT_BUDGET_MS` (limits.ts). */
  budgetMs?: number;
  /** Event budget; default `DEFAULT_MAX_EVENTS` (limits.ts). */
  maxEvents?: number;
  /** Virtual time (ms) at which the world stops. */
  horizon?: number;
}

/**
 * How a run ended: `ok` (it went quiet or reached its horizon, and `main`
 * resolved), `error` (user code failed), `timeout` (wall-clock budget),
 * `budget` (event or trace budget), `stopped` (the user stopped it).
 */
export type RunStatus = 'ok' | 'error' | 'timeout' | 'budget' | 'stopped';

/**
 * What went wrong:
 * - `syntax`: the code does not parse;
 * - `import`: the code imports a module other than `playground`;
 * - `runtime`: an error thrown by top-level code, by `main`, or by a timer or handler callback;
 * - `unhandled`: a promise rejected and nothing handled it;
 * - `stack-overflow`: endless or too deep recursion;
 * - `memory`: the code asked for more memory than there is (an array or string too long, an allocation
 *   that failed), or its sandbox died, most likely of running out of memory;
 * - `unfinished`: the world went quiet while `main` was still waiting;
 * - `infinite-loop`: the code never yielded until the wall-clock budget ran out (it was killed);
 * - `timeout`: the run was still making progress when the wall-clock budget ran out;
 * - `budget`: the event or trace budget ran out;
 * - `stopped`: the user stopped the run;
 * - `sandbox`: the sandbox itself failed (not the user's fault).
 */
export type RunErrorKind =
  | 'syntax'
  | 'import'
  | 'runtime'
  | 'unhandled'
  | 'stack-overflow'
  | 'memory'
  | 'unfinished'
  | 'infinite-loop'
  | 'timeout'
  | 'budget'
  | 'stopped'
  | 'sandbox';

/** An error of a run, positioned in the user's TypeScript where known (1-based). */
export interface RunError {
  kind: RunErrorKind;
  message: string;
  line?: number;
  column?: number;
  /** Only the user's frames, named after the user's file. */
  stack?: string;
}

/** What one run produced, wherever it ran (see `executeRun`). */
export interface ExecutedRun {
  status: RunStatus;
  /** The resolved value of `export default async function main()`, made JSON-safe. */
  result?: unknown;
  error?: RunError;
  events: TraceEvent[];
  traceHash: string;
  /** Scheduled callbacks the world ran. */
  eventsRun: number;
  /** Virtual time (ms) when the run ended. */
  virtualTime: number;
  /** Log lines dropped after the log cap. */
  droppedLogs: number;
  /** Verdicts of the invariants the program registered with `invariant()`, judged on the final trace. */
  invariants?: { name: string; passed: boolean; message?: string }[];
}

/**
 * An {@link ExecutedRun} as the sandbox's Worker sends it: the events as one
 * JSON text in UTF-8 bytes, whose buffer is transferred (far cheaper to post
 * and receive than a structured clone of many small objects, and half the
 * bytes of a string with any character past Latin-1 in it); `readReport` on
 * the page turns it back. `eventsJson`, the same JSON as a string, is read too.
 */
export type PackedRun = Omit<ExecutedRun, 'events'> & ({ eventsUtf8: Uint8Array } | { eventsJson: string });

/** What the sandbox reports for a {@link RunRequest}. */
export interface RunReport extends ExecutedRun {
  runId: string;
  /** Wall-clock time from `run()` to the report, in ms, as the page saw it. */
  wallMs: number;
}

/** Why a run is asked to stop early. */
export type StopReason = 'timeout' | 'user';

/** The run options that travel to the Worker (all structured-cloneable). */
export interface WorkerRunOptions {
  seed: string | number;
  faults?: FaultPlan;
  maxEvents: number;
  horizon?: number;
  budgetMs: number;
  /** `mappings` of the source map from the loaded JavaScript back to the TypeScript. */
  mappings: string;
  /**
   * Set for a pool's runs: many small traces, judged on the page and never
   * shown as such. The report carries no trace hash (`traceHash` is `''`;
   * `hashTrace(events)` gives it), and its events travel as a JSON string
   * rather than UTF-8 bytes: for a trace of tens of KB, encoding and decoding
   * cost more than cloning the string.
   */
  pooled?: boolean;
}

/** Page → sandbox iframe. */
export type PageToFrame =
  | { type: 'runtime'; source: string }
  | { type: 'run'; runId: string; code: string; options: WorkerRunOptions }
  | { type: 'stop'; runId: string; reason: StopReason }
  /** Start a pool Worker under this id; its port comes back with `pool-worker`. */
  | { type: 'pool-worker'; workerId: string }
  /** End this pool Worker at once, busy or not. */
  | { type: 'pool-end'; workerId: string };

/** Sandbox iframe → page. */
export type FrameToPage =
  | { type: 'boot' }
  | { type: 'ready'; runtimeUrl: string }
  | { type: 'report'; runId: string; run: PackedRun }
  /** The frame got a `stop` for this run and passed it on (its own thread is alive, whatever the Worker does). */
  | { type: 'stopping'; runId: string }
  | { type: 'crash'; runId: string; message: string }
  /** A pool Worker is started; the message carries the page's end of its port ({@link PageToPoolWorker}, {@link PoolWorkerToPage}). */
  | { type: 'pool-worker'; workerId: string }
  /** A pool Worker failed outside any run (it could not start). */
  | { type: 'pool-worker-failed'; workerId: string; message: string };

/**
 * Sandbox iframe → Worker. `preload` is the one message on the Worker's global
 * channel: it carries the MessagePort on which everything else travels, both
 * ways. User code shares the Worker's global, so the runner unplugs that
 * channel before user code loads and the iframe never listens to it.
 */
export type FrameToWorker =
  | { type: 'preload'; runtimeUrl: string }
  | { type: 'run'; runtimeUrl: string; userUrl: string; code: string; options: WorkerRunOptions }
  | { type: 'stop'; reason: StopReason };

/** Worker → sandbox iframe, only over the port that came with `preload`. `loaded` and `load-failed` say how loading the runtime went. */
export type WorkerToFrame = { type: 'report'; run: PackedRun } | { type: 'crash'; message: string } | { type: 'loaded' } | { type: 'load-failed'; message: string };

/**
 * Page → pool Worker, over the port the frame handed over: the program once
 * (transpiled as a program module, see `toProgramFactory`: the Worker imports
 * it once from a Blob URL of its own and calls its top-level code for each
 * run), then one run at a time.
 */
export type PageToPoolWorker =
  | { type: 'program'; code: string; mappings: string }
  | { type: 'run'; runId: string; options: Omit<WorkerRunOptions, 'mappings' | 'pooled'> & { pooled: true } }
  | { type: 'stop'; runId: string; reason: StopReason };

/** Pool Worker → page, over the same port: the runtime loaded (or not), then reports. The run's events travel as one JSON text (see {@link PackedRun} and `readReport`). */
export type PoolWorkerToPage =
  | { type: 'loaded' }
  | { type: 'load-failed'; message: string }
  | { type: 'report'; runId: string; run: PackedRun }
  | { type: 'crash'; runId: string; message: string }
  /** A queued run was asked to stop before it started: the Worker dropped it. */
  | { type: 'dropped'; runId: string };

/**
 * A request to run one program over many seeds (explore, compare, exercise
 * checks over many schedules): the code is transpiled once and kept warm in
 * `workers` Workers of the sandbox, each running one seed at a time.
 */
export interface PoolRequest {
  code: string;
  /** Default `navigator.hardwareConcurrency`, at least 2. */
  workers?: number;
  /** Wall-clock budget of each run, in ms. */
  budgetMs?: number;
  /** Trace cap of each run. */
  maxEvents?: number;
}

/** Runs the pool's program once with `seed` and `faults`; aborting `signal` stops that run. Never rejects. */
export type SeedRun = (seed: string | number, faults: FaultPlan, signal?: AbortSignal) => Promise<ExecutedRun>;

/** An open pool: two runners per Worker (see `LANES_PER_WORKER`), each running its calls one after another; `close()` ends its Workers. Code that does not transpile opens no pool. */
export type PoolOpened = { ok: true; runners: SeedRun[]; close(): void } | { ok: false; report: RunReport };
