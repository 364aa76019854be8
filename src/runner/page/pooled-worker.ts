import type { FaultPlan } from '../../sim/faults.js';
import type { ExecutedRun, PageToPoolWorker, PoolWorkerToPage, StopReason } from '../protocol.js';
import { emptyRun } from '../reports.js';
import type { PoolHost, StartedWorker } from './pool-host.js';
import { readReport } from './report-check.js';
import type { SandboxFrame } from './sandbox-frame.js';
import { stuckRunReport } from './stuck-run.js';

/** The budgets every run of a pool gets. */
export interface PooledRunLimits {
  budgetMs: number;
  maxEvents: number;
  /** How long a run asked to stop may take to report before its Worker is ended, in ms. */
  stopGraceMs: number;
  /** Runs and trace events after which the Worker takes no more runs (see {@link PooledWorker.wornOut}). */
  runsPerWorker: number;
  eventsPerWorker: number;
}

/**
 * How one run on a pooled Worker ended: it reported (or failed) and the
 * Worker can go on; it never answered a stop and the Worker must be ended
 * (`killed`, with the report that says so); the Worker went away under it
 * (`gone`: its frame was removed), so nothing of the run is known; or it never
 * started, because the Worker it waited for was ended or worn out
 * (`not-started`: it is for another Worker).
 */
export type PooledOutcome = { kind: 'reported'; run: ExecutedRun } | { kind: 'killed'; run: ExecutedRun } | { kind: 'gone' } | { kind: 'not-started' };

/** Runs sent to a Worker at once: it starts the second the moment it finishes the first, without waiting for the page. */
export const RUNS_AT_WORKER = 2;

/** A run the Worker has (running, or queued behind the one running). */
interface Flight {
  runId: string;
  signal: AbortSignal | undefined;
  resolve(outcome: PooledOutcome): void;
  onAbort(): void;
  /** Set once it is the Worker's current run: its budget runs from then. */
  begun: boolean;
  stopReason: StopReason | undefined;
  budgetTimer: ReturnType<typeof setTimeout> | undefined;
  graceTimer: ReturnType<typeof setTimeout> | undefined;
}

/** A run asked for while the Worker already had {@link RUNS_AT_WORKER}: it is sent as soon as the Worker reports one. */
interface Waiting {
  seed: string | number;
  faults: FaultPlan;
  signal: AbortSignal | undefined;
  resolve(outcome: PooledOutcome): void;
  onAbort(): void;
}

/**
 * The page's handle on one Worker of a run pool: it sends the Worker its runs,
 * keeps each run's wall-clock budget, and reads the reports. Only the runner
 * in the Worker holds the other end of the port (user code cannot reach it),
 * and every report is checked all the same (`readReport`).
 *
 * The Worker holds up to {@link RUNS_AT_WORKER} runs: one running and the
 * next queued behind it, which it starts as soon as it has posted the first
 * one's report. So it never sits idle while a report crosses to the page, is
 * judged there, and the next run crosses back. A run's budget runs from when
 * the page learns that the Worker started it (the report before it arrived).
 * More runs asked for wait here, and go out in the task that reads a report,
 * before whoever waits for that report gets it.
 */
export class PooledWorker {
  readonly id: string;
  private readonly port: MessagePort;
  private runs = 0;
  private events = 0;
  /** The runs the Worker has, in the order it runs them: the first is running. */
  private readonly flights: Flight[] = [];
  private readonly waiting: Waiting[] = [];
  private ended = false;
  /** The Worker or its frame is gone; it takes no more runs. */
  gone = false;
  /** Resolves once the Worker has loaded the runtime; rejects if it could not. */
  readonly loaded: Promise<void>;
  private markLoaded!: (error?: Error) => void;

  constructor(
    private readonly host: PoolHost,
    readonly frame: SandboxFrame,
    started: StartedWorker,
    private readonly limits: PooledRunLimits,
  ) {
    this.id = started.id;
    this.port = started.port;
    this.loaded = new Promise<void>((resolve, reject) => (this.markLoaded = (error) => (error ? reject(error) : resolve())));
    this.loaded.catch(() => undefined);
    this.port.onmessage = (e: MessageEvent<PoolWorkerToPage>) => this.onMessage(e.data);
  }

  /** Hands the Worker the transpiled program it runs from now on. */
  load(code: string, mappings: string): void {
    this.post({ type: 'program', code, mappings });
  }

  /** True while the Worker has no run. */
  get idle(): boolean {
    return this.flights.length === 0;
  }

  /** True once the Worker has done enough runs (or kept enough trace) that a fresh one should take over. */
  wornOut(): boolean {
    return this.runs >= this.limits.runsPerWorker || this.events >= this.limits.eventsPerWorker;
  }

  /**
   * Runs the program once with `seed` and `faults`, at once or after the runs
   * already asked for. The run is asked to stop when its budget runs out (it
   * reports `timeout` with its trace so far) or `signal` aborts (`stopped`);
   * if it does not answer within the grace period it never yields, and the
   * outcome is `killed`. A run not yet started when the Worker ends or is worn
   * out is `not-started`.
   */
  run(seed: string | number, faults: FaultPlan, signal?: AbortSignal): Promise<PooledOutcome> {
    // Ended (replaced, say) or worn out before the run could start: it is for another Worker.
    if (this.gone) return Promise.resolve(this.ended ? { kind: 'not-started' } : { kind: 'gone' });
    if (this.wornOut() && this.idle) return Promise.resolve({ kind: 'not-started' });
    return new Promise<PooledOutcome>((resolve) => {
      if (this.canSend()) return this.send(seed, faults, signal, resolve);
      const waiting: Waiting = {
        seed,
        faults,
        signal,
        resolve,
        onAbort: () => {
          const at = this.waiting.indexOf(waiting);
          if (at < 0) return;
          this.waiting.splice(at, 1);
          resolve({ kind: 'reported', run: notStartedRun() });
        },
      };
      this.waiting.push(waiting);
      if (signal?.aborted) waiting.onAbort();
      else signal?.addEventListener('abort', waiting.onAbort);
    });
  }

  /** True while the Worker may take one more run: it is live, not worn out, and has fewer than {@link RUNS_AT_WORKER}. */
  private hasRoom(): boolean {
    return !this.gone && !this.wornOut() && this.flights.length < RUNS_AT_WORKER;
  }

  /** True when a run asked for now can go out at once (no earlier one waits for room). */
  private canSend(): boolean {
    return this.hasRoom() && this.waiting.length === 0;
  }

  /** Sends waiting runs while the Worker has room (none once it is gone or worn out: its runner replaces it, and the waiting runs go with it). */
  private sendWaiting(): void {
    while (this.hasRoom()) {
      const next = this.waiting.shift();
      if (!next) return;
      next.signal?.removeEventListener('abort', next.onAbort);
      this.send(next.seed, next.faults, next.signal, next.resolve);
    }
  }

  private send(seed: string | number, faults: FaultPlan, signal: AbortSignal | undefined, resolve: (outcome: PooledOutcome) => void): void {
    const { maxEvents, budgetMs } = this.limits;
    const flight: Flight = {
      runId: `${this.id}:${++this.runs}`,
      signal,
      resolve,
      onAbort: () => this.askToStop(flight, 'user'),
      begun: false,
      stopReason: undefined,
      budgetTimer: undefined,
      graceTimer: undefined,
    };
    this.flights.push(flight);
    this.post({ type: 'run', runId: flight.runId, options: { seed, faults, maxEvents, budgetMs, pooled: true } });
    if (this.flights[0] === flight) this.begin(flight);
    if (signal?.aborted) flight.onAbort();
    else signal?.addEventListener('abort', flight.onAbort);
  }

  /** The Worker is running `flight` now: its budget (or, if it was already asked to stop, its grace period) starts. */
  private begin(flight: Flight): void {
    if (flight.begun) return;
    flight.begun = true;
    if (flight.stopReason) this.startGrace(flight);
    else flight.budgetTimer = setTimeout(() => this.askToStop(flight, 'timeout'), this.limits.budgetMs);
  }

  /**
   * Asks the Worker to stop `flight`. A run it is running reports what it did
   * so far; a queued one it drops. A running run that does not answer within
   * the grace period never yields: it is `killed`.
   */
  private askToStop(flight: Flight, reason: StopReason): void {
    if (flight.stopReason || !this.flights.includes(flight)) return;
    flight.stopReason = reason;
    clearTimeout(flight.budgetTimer);
    this.post({ type: 'stop', runId: flight.runId, reason });
    if (flight.begun) this.startGrace(flight);
  }

  private startGrace(flight: Flight): void {
    const { stopGraceMs, budgetMs } = this.limits;
    const reason = flight.stopReason ?? 'timeout';
    flight.graceTimer = setTimeout(() => this.finish(flight, { kind: 'killed', run: stuckRunReport({ reason, budgetMs, sandboxDied: false }) }), stopGraceMs);
  }

  /** `flight` ended with `outcome`; when the Worker reported it, its next run is begun and the room it left filled before the outcome is handed on. */
  private finish(flight: Flight, outcome: PooledOutcome): void {
    const at = this.flights.indexOf(flight);
    if (at < 0) return;
    this.flights.splice(at, 1);
    clearTimeout(flight.budgetTimer);
    clearTimeout(flight.graceTimer);
    flight.signal?.removeEventListener('abort', flight.onAbort);
    if (outcome.kind === 'reported' || outcome.kind === 'killed') this.events += outcome.run.events.length;
    if (outcome.kind === 'reported' && !this.gone) {
      const head = this.flights[0];
      if (head) this.begin(head);
      // The next run goes out before this one's report is handed on (and judged).
      this.sendWaiting();
    }
    flight.resolve(outcome);
  }

  /** Every run the Worker had or that waited for it ends: the running one with `running`, the others `not-started` (their runners run them on another Worker). */
  private release(running: PooledOutcome | undefined): void {
    for (const [i, flight] of [...this.flights].entries()) this.finish(flight, i === 0 && running ? running : { kind: 'not-started' });
    for (const w of this.waiting.splice(0)) {
      w.signal?.removeEventListener('abort', w.onAbort);
      w.resolve({ kind: 'not-started' });
    }
  }

  /** The Worker went away with its frame (`message` absent), or failed (`message` says how). The run in progress reports accordingly. */
  lose(message?: string): void {
    this.gone = true;
    this.port.close();
    this.markLoaded(new Error(message ?? 'The code sandbox restarted.'));
    const head = this.flights[0];
    this.release(head?.begun ? (message === undefined ? { kind: 'gone' } : { kind: 'reported', run: emptyRun('error', { kind: 'sandbox', message }) }) : undefined);
  }

  /** Ends the Worker (its frame terminates it, busy or not); a run in progress reports `closing`. */
  end(closing: ExecutedRun = emptyRun('stopped', { kind: 'stopped', message: 'The worker was ended.' })): void {
    if (this.ended) return;
    this.ended = true;
    this.gone = true;
    this.host.endWorker(this.frame, this.id);
    this.port.close();
    this.markLoaded(new Error('The worker was ended.'));
    this.release(this.flights[0]?.begun ? { kind: 'reported', run: closing } : undefined);
  }

  private onMessage(m: PoolWorkerToPage): void {
    if (m?.type === 'loaded') return this.markLoaded();
    if (m?.type === 'load-failed') return this.markLoaded(new Error(`The sandbox runtime could not be loaded: ${String(m.message)}`));
    if (!m || typeof m !== 'object') return;
    const flight = this.flights.find((f) => f.runId === m.runId);
    if (!flight) return;
    if (m.type === 'report') {
      // Only the runner can post on this port: a report that does not read is its fault, said as such.
      this.finish(flight, {
        kind: 'reported',
        run: readReport(m.run) ?? emptyRun('error', { kind: 'sandbox', message: 'The sandbox sent a report the page could not read. Run the code again; if it happens again, reload the page.' }),
      });
    } else if (m.type === 'crash') {
      this.finish(flight, { kind: 'reported', run: emptyRun('error', { kind: 'sandbox', message: `The sandbox failed: ${String(m.message)}` }) });
    } else if (m.type === 'dropped') {
      this.finish(flight, { kind: 'reported', run: notStartedRun() });
    }
  }

  private post(message: PageToPoolWorker): void {
    if (!this.gone) this.port.postMessage(message);
  }
}

const notStartedRun = (): ExecutedRun => emptyRun('stopped', { kind: 'stopped', message: 'Stopped before this run started.' });
