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

interface InFlight {
  finish(outcome: PooledOutcome): void;
}

/** A run asked for while another was going: it starts as soon as the Worker reports that one. */
interface Waiting {
  seed: string | number;
  faults: FaultPlan;
  signal: AbortSignal | undefined;
  resolve(outcome: PooledOutcome): void;
  onAbort(): void;
}

/**
 * The page's handle on one Worker of a run pool: it sends the Worker one run
 * at a time over the Worker's own port, keeps the run's wall-clock budget,
 * and reads the report. Only the runner in the Worker holds the other end of
 * the port (user code cannot reach it), and every report is checked all the
 * same (`readReport`).
 *
 * A run asked for while another is going waits here, and is sent in the same
 * task that reads the report before it, before whoever waits for that report
 * gets it: the Worker goes on at once while the page judges the run it just
 * finished.
 */
export class PooledWorker {
  readonly id: string;
  private readonly port: MessagePort;
  private runs = 0;
  private events = 0;
  private inFlight: InFlight | undefined;
  private readonly waiting: Waiting[] = [];
  private currentRunId: string | undefined;
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

  /** True while no run of this Worker is going. */
  get idle(): boolean {
    return this.inFlight === undefined;
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
   * outcome is `killed`. A run still waiting when the Worker ends or is worn
   * out is `not-started`.
   */
  run(seed: string | number, faults: FaultPlan, signal?: AbortSignal): Promise<PooledOutcome> {
    // Ended (replaced, say) or worn out before the run could start: it is for another Worker.
    if (this.gone) return Promise.resolve(this.ended ? { kind: 'not-started' } : { kind: 'gone' });
    if (this.wornOut() && this.idle) return Promise.resolve({ kind: 'not-started' });
    return new Promise<PooledOutcome>((resolve) => {
      if (!this.inFlight) return this.start(seed, faults, signal, resolve);
      const waiting: Waiting = {
        seed,
        faults,
        signal,
        resolve,
        onAbort: () => {
          const at = this.waiting.indexOf(waiting);
          if (at < 0) return;
          this.waiting.splice(at, 1);
          resolve({ kind: 'reported', run: emptyRun('stopped', { kind: 'stopped', message: 'Stopped before this run started.' }) });
        },
      };
      this.waiting.push(waiting);
      if (signal?.aborted) waiting.onAbort();
      else signal?.addEventListener('abort', waiting.onAbort);
    });
  }

  /** Sends the next waiting run, unless the Worker is gone or worn out (its runner replaces it; the waiting runs go with it). */
  private startWaiting(): void {
    if (this.gone || this.inFlight || this.wornOut()) return;
    const next = this.waiting.shift();
    if (!next) return;
    next.signal?.removeEventListener('abort', next.onAbort);
    this.start(next.seed, next.faults, next.signal, next.resolve);
  }

  private start(seed: string | number, faults: FaultPlan, signal: AbortSignal | undefined, resolve: (outcome: PooledOutcome) => void): void {
    const { budgetMs, maxEvents, stopGraceMs } = this.limits;
    const runId = `${this.id}:${++this.runs}`;
    let budgetTimer: ReturnType<typeof setTimeout> | undefined;
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    let stopReason: StopReason | undefined;
    const askToStop = (reason: StopReason) => {
      if (stopReason) return;
      stopReason = reason;
      clearTimeout(budgetTimer);
      this.post({ type: 'stop', runId, reason });
      graceTimer = setTimeout(() => flight.finish({ kind: 'killed', run: stuckRunReport({ reason, budgetMs, sandboxDied: false }) }), stopGraceMs);
    };
    const onAbort = () => askToStop('user');
    const flight: InFlight = {
      finish: (outcome) => {
        if (this.inFlight !== flight) return;
        this.inFlight = undefined;
        clearTimeout(budgetTimer);
        clearTimeout(graceTimer);
        signal?.removeEventListener('abort', onAbort);
        if (outcome.kind === 'reported' || outcome.kind === 'killed') this.events += outcome.run.events.length;
        // The next run goes out before this one's report is handed on (and judged).
        if (outcome.kind === 'reported') this.startWaiting();
        resolve(outcome);
      },
    };
    this.inFlight = flight;
    this.currentRunId = runId;
    this.post({ type: 'run', runId, options: { seed, faults, maxEvents, budgetMs } });
    budgetTimer = setTimeout(() => askToStop('timeout'), budgetMs);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort);
  }

  /** The runs still waiting go elsewhere: their runner runs them on another Worker. */
  private releaseWaiting(): void {
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
    this.inFlight?.finish(message === undefined ? { kind: 'gone' } : { kind: 'reported', run: emptyRun('error', { kind: 'sandbox', message }) });
    this.releaseWaiting();
  }

  /** Ends the Worker (its frame terminates it, busy or not); a run in progress reports `closing`. */
  end(closing: ExecutedRun = emptyRun('stopped', { kind: 'stopped', message: 'The worker was ended.' })): void {
    if (this.ended) return;
    this.ended = true;
    this.gone = true;
    this.host.endWorker(this.frame, this.id);
    this.port.close();
    this.markLoaded(new Error('The worker was ended.'));
    this.inFlight?.finish({ kind: 'reported', run: closing });
    this.releaseWaiting();
  }

  private onMessage(m: PoolWorkerToPage): void {
    if (m?.type === 'loaded') return this.markLoaded();
    if (m?.type === 'load-failed') return this.markLoaded(new Error(`The sandbox runtime could not be loaded: ${String(m.message)}`));
    const flight = this.inFlight;
    if (!flight || !m || typeof m !== 'object' || m.runId !== this.currentRunId) return;
    if (m.type === 'report') {
      // Only the runner can post on this port: a report that does not read is its fault, said as such.
      flight.finish({
        kind: 'reported',
        run: readReport(m.run) ?? emptyRun('error', { kind: 'sandbox', message: 'The sandbox sent a report the page could not read. Run the code again; if it happens again, reload the page.' }),
      });
    } else if (m.type === 'crash') {
      flight.finish({ kind: 'reported', run: emptyRun('error', { kind: 'sandbox', message: `The sandbox failed: ${String(m.message)}` }) });
    }
  }

  private post(message: PageToPoolWorker): void {
    if (!this.gone) this.port.postMessage(message);
  }
}
