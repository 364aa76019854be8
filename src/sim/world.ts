import type { SimContext } from './context.js';
import { checkFaultPlan, servicesInPlan, type FaultPlan, type LatencySpec } from './faults.js';
import { createLogger, Network, type HttpClient, type Logger, type Service } from './network.js';
import { Rng } from './rng.js';
import { VirtualScheduler, type Hop, type RunOutcome } from './scheduler.js';
import { TraceRecorder, type TraceEvent } from './trace.js';

/** Options of {@link createWorld}. */
export interface WorldOptions {
  /** Seed of every random draw in the world; the same seed gives the same run. */
  seed?: string | number;
  /** What goes wrong; validated now for shape and at {@link World.run} for service names. */
  faults?: FaultPlan;
  /** One-way network latency where no link fault says otherwise; default 1 ms fixed. */
  networkLatency?: LatencySpec;
  /** Wall-clock time (ms since 1970) that virtual time 0 stands for; default 2024-01-01T00:00:00Z. */
  epoch?: number;
  /** The host's real-task hop (see {@link Hop}); found on the global object when absent. */
  hop?: Hop;
  /**
   * How an error thrown by a callback is written into its `error` trace event.
   * Default: `Name: message` and the raw stack. A runner passes its own to
   * point at the user's source and keep machine-specific paths out of the trace.
   */
  describeError?: (error: unknown) => ErrorDescription;
}

/** The fields of an `error` trace event that describe the error itself. */
export interface ErrorDescription {
  message: string;
  stack?: string;
  line?: number;
  column?: number;
}

/** The default {@link WorldOptions.describeError}: `Name: message` and the raw stack. */
export function describeErrorPlainly(e: unknown): ErrorDescription {
  return {
    message: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
    ...(e instanceof Error && e.stack ? { stack: e.stack } : {}),
  };
}

/** Limits of {@link World.run}. */
export interface WorldRunOptions {
  /** Virtual time (ms) to stop at. Default: run until nothing is left to do. */
  horizon?: number;
  /** Stop after this many scheduled callbacks (protects against endless timers). Default 5,000,000. */
  maxEvents?: number;
}

/** What a run reports. */
export interface WorldRunResult extends RunOutcome {
  /** Number of trace events. */
  traceLength: number;
  /** Stable hash of the trace (computed on first read). */
  readonly traceHash: string;
}

/** Default epoch: 2024-01-01T00:00:00.000Z. */
export const DEFAULT_EPOCH = Date.UTC(2024, 0, 1);

/**
 * A whole simulated system: virtual clock, seeded randomness, trace, network
 * and services. Nothing is shared between worlds.
 *
 * @example
 * const world = createWorld({ seed: 7 });
 * world.service('payment').post('/payments', (req) => ({ ok: true, amount: req.body.amount }));
 * world.http.post('http://payment/payments', { amount: 5 }).then((r) => world.log.info(`paid ${r.data.amount}`));
 * await world.run();
 */
export class World implements SimContext {
  readonly seed: string | number;
  readonly scheduler: VirtualScheduler;
  readonly rng: Rng;
  readonly trace: TraceRecorder;
  readonly network: Network;
  readonly networkLatency: LatencySpec;
  readonly epoch: number;
  /** Calls from outside any service (a browser, a test) come from `client`. */
  readonly http: HttpClient;
  /** Log lines from the world itself (source `world`). */
  readonly log: Logger;
  private plan: FaultPlan;
  private readonly describeError: (error: unknown) => ErrorDescription;

  constructor(options: WorldOptions = {}) {
    this.seed = options.seed ?? 1;
    this.plan = checkFaultPlan(options.faults);
    this.scheduler = new VirtualScheduler(options.hop ? { hop: options.hop } : {});
    this.rng = new Rng(this.seed);
    this.trace = new TraceRecorder(() => this.scheduler.now());
    this.networkLatency = options.networkLatency ?? { kind: 'fixed', ms: 1 };
    this.epoch = options.epoch ?? DEFAULT_EPOCH;
    this.network = new Network(this);
    this.http = this.network.service('client').http;
    this.log = createLogger(this, 'world');
    this.describeError = options.describeError ?? describeErrorPlainly;
  }

  /** The fault plan in force. */
  get faults(): FaultPlan {
    return this.plan;
  }

  /** Replaces the fault plan; nothing changes unless the whole plan is valid. */
  setFaults(plan: FaultPlan): void {
    this.plan = checkFaultPlan(plan, this.network.serviceNames());
  }

  /** Virtual time in ms. */
  now(): number {
    return this.scheduler.now();
  }

  /** The service called `name`, created on first use. */
  service(name: string): Service {
    return this.network.service(name);
  }

  /** A promise that resolves after `ms` of virtual time. */
  sleep(ms: number): Promise<void> {
    return this.scheduler.sleep(ms);
  }

  /** Trace events so far. */
  get events(): readonly TraceEvent[] {
    return this.trace.events;
  }

  /**
   * Runs the world until it is quiet (or the horizon or event budget is hit).
   * Throws a `FaultPlanError` before anything runs when the plan names a
   * service that does not exist.
   */
  async run(options: WorldRunOptions = {}): Promise<WorldRunResult> {
    const unknown = servicesInPlan(this.plan).filter((s) => !this.network.has(s));
    if (unknown.length) checkFaultPlan(this.plan, this.network.serviceNames());
    const outcome = await this.scheduler.run({
      ...(options.horizon !== undefined ? { horizon: options.horizon } : {}),
      maxEvents: options.maxEvents ?? 5_000_000,
    });
    if (outcome.reason === 'error') this.trace.record('error', { source: 'world', ...this.describeError(outcome.error) });
    const trace = this.trace;
    let hash: string | undefined;
    return {
      ...outcome,
      traceLength: trace.length,
      // Hashing a long trace costs time: only done when asked for.
      get traceHash() {
        return (hash ??= trace.hash());
      },
    };
  }
}

/** Creates a fresh, independent world. See {@link World}. */
export function createWorld(options: WorldOptions = {}): World {
  return new World(options);
}
