import type { RunClock } from '../../messaging/bus-env.js';
import type { FaultPlan } from '../../sim/faults.js';
import type { HttpRequestConfig, HttpResponse } from '../../sim/http-errors.js';
import type { Service } from '../../sim/network.js';
import type { TraceRecorder } from '../../sim/trace.js';
import { describeError } from '../resilience/policy.js';

/**
 * What a {@link ServiceProcess} needs from where it runs: a clock, the trace,
 * the fault plan (its down windows are crashes) and the services. A simulated
 * world gives it through `sagaEnvOf(world)`; real mode's host is one.
 */
export interface ProcessEnv {
  readonly clock: RunClock;
  readonly trace: TraceRecorder;
  /** The fault plan in force. */
  readonly faults: FaultPlan;
  service(name: string): Service;
  /** False when `service` runs in another process (real mode with `--only`): its process never crashes here. Absent: every service runs here. */
  runsHere?(service: string): boolean;
}

/** An axios-shaped client whose answers a crashed process never sees. */
export interface ProcessHttp {
  request<T = any>(config: HttpRequestConfig): Promise<HttpResponse<T>>;
  get<T = any>(url: string, config?: HttpRequestConfig): Promise<HttpResponse<T>>;
  delete<T = any>(url: string, config?: HttpRequestConfig): Promise<HttpResponse<T>>;
  post<T = any>(url: string, data?: unknown, config?: HttpRequestConfig): Promise<HttpResponse<T>>;
  put<T = any>(url: string, data?: unknown, config?: HttpRequestConfig): Promise<HttpResponse<T>>;
  patch<T = any>(url: string, data?: unknown, config?: HttpRequestConfig): Promise<HttpResponse<T>>;
}

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/**
 * The running process of a service, which can crash and restart. A crash
 * ends everything the process was doing: a promise obtained through
 * {@link guard}, {@link http} or {@link sleep} before the crash never settles,
 * so the `async` code waiting on it never runs again (as if the process's
 * memory were gone). At each start (now, and after every restart) the
 * functions given to {@link onStart} run: build the process's in-memory
 * state there, and read what must survive from a {@link DurableStore}.
 *
 * The fault plan's down windows of the service are crashes: the process
 * crashes when a window opens and restarts when it closes. {@link crash}
 * does the same by hand. Requests sent before a crash still reach their
 * services; only their answers are lost.
 *
 * In real mode the process is an object inside the one Node process that
 * runs the program: a crash stops the service's listener and drops what was
 * awaited through it, and a restart runs `onStart` again; the Node process,
 * its memory and its broker connections carry on.
 *
 * @example
 * const proc = new ServiceProcess(sagaEnvOf(world), 'order-orchestrator');
 * proc.onStart(() => {
 *   const inFlight = new Map(); // lost in a crash
 *   for (const saga of sagaLog.values()) if (!saga.done) resume(saga);
 * });
 * const { data } = await proc.http.post('http://payment-service/payments', body); // never returns if the process crashes meanwhile
 */
export class ServiceProcess {
  /** The service this process runs. */
  readonly service: Service;
  /** The process's HTTP client: calls go out from the service; answers reach only the incarnation that asked. */
  readonly http: ProcessHttp;
  private inc = 1;
  private isAlive = true;
  private stoppedByCrash = false;
  private readonly starts: Array<() => unknown> = [];
  private restartTimer: { cancel(): void } | undefined;
  private waiting: Array<() => void> = [];

  constructor(
    private readonly env: ProcessEnv,
    /** Name of the service. */
    readonly name: string,
  ) {
    this.service = env.service(name);
    const client = this.service.http;
    this.http = {
      request: (config) => this.guard(client.request(config)),
      get: (url, config) => this.guard(client.get(url, config)),
      delete: (url, config) => this.guard(client.delete(url, config)),
      post: (url, data, config) => this.guard(client.post(url, data, config)),
      put: (url, data, config) => this.guard(client.put(url, data, config)),
      patch: (url, data, config) => this.guard(client.patch(url, data, config)),
    };
    if (env.runsHere?.(name) === false) return;
    const { clock } = env;
    const now = clock.now();
    for (const w of env.faults.services?.[name]?.down ?? []) {
      if (w.to <= now) continue;
      clock.at(Math.max(w.from, now), () => this.crash('down window of the fault plan', undefined, false));
      clock.at(w.to, () => this.restart());
    }
  }

  /** False between a crash and the restart. */
  get alive(): boolean {
    return this.isAlive;
  }

  /** Counts starts: 1 at first, one more after each restart. */
  get incarnation(): number {
    return this.inc;
  }

  /**
   * Runs `fn` now (when the process is up) and again after every restart.
   * An error it throws is logged (the process keeps running).
   */
  onStart(fn: () => unknown): this {
    if (typeof fn !== 'function') throw new TypeError(`${this.name}: onStart needs a function`);
    this.starts.push(fn);
    if (this.isAlive) this.runStart(fn);
    return this;
  }

  /**
   * Settles like `work`, unless the process crashes first: then it never
   * settles (and `work`'s outcome is dropped, its rejection handled).
   * Called while the process is down, it never settles either.
   */
  guard<T>(work: PromiseLike<T>): Promise<T> {
    if (!this.isAlive) {
      Promise.resolve(work).catch(() => undefined);
      return never<T>();
    }
    const inc = this.inc;
    return new Promise<T>((resolve, reject) => {
      work.then(
        (v) => {
          if (this.inc === inc && this.isAlive) resolve(v);
        },
        (e: unknown) => {
          if (this.inc === inc && this.isAlive) reject(e);
        },
      );
    });
  }

  /** Resolves at once while the process is up, else when it next restarts. */
  whenAlive(): Promise<void> {
    if (this.isAlive) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Waits `ms` of the run's time; never returns if the process crashes meanwhile. */
  sleep(ms: number): Promise<void> {
    return this.guard(this.env.clock.sleep(ms));
  }

  /**
   * Crashes the process now: work in progress stops for good and the service
   * refuses requests. It restarts after `restartAfterMs` when given (else
   * only by {@link restart}, or when a down window of the plan closes).
   */
  crash(reason = 'crash requested', restartAfterMs?: number, stopService = true): void {
    if (!this.isAlive) return;
    this.isAlive = false;
    this.inc++;
    this.env.trace.record('fault', { source: this.name, fault: 'crash', detail: `${this.name} crashed (${reason}): work in progress and in-memory state are lost` });
    if (stopService && this.service.up) {
      this.stoppedByCrash = true;
      this.service.stop();
    }
    if (restartAfterMs !== undefined) {
      this.restartTimer?.cancel();
      this.restartTimer = this.env.clock.after(restartAfterMs, () => this.restart());
    }
  }

  /** Starts a crashed process again: the {@link onStart} functions run. */
  restart(): void {
    if (this.isAlive) return;
    this.restartTimer?.cancel();
    this.restartTimer = undefined;
    this.isAlive = true;
    if (this.stoppedByCrash) {
      this.stoppedByCrash = false;
      this.service.start();
    }
    this.env.trace.record('log', { source: this.name, level: 'info', message: `${this.name} restarted (start #${this.inc})` });
    for (const fn of this.starts) if (this.isAlive) this.runStart(fn);
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }

  private runStart(fn: () => unknown): void {
    const report = (e: unknown) => this.env.trace.record('log', { source: this.name, level: 'error', message: `${this.name} failed while starting: ${describeError(e)}` });
    try {
      const r = fn();
      if (r !== null && typeof r === 'object' && typeof (r as PromiseLike<unknown>).then === 'function') (r as PromiseLike<unknown>).then(undefined, report);
    } catch (e) {
      report(e);
    }
  }
}
