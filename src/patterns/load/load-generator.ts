import type { TraceRecorder } from '../../sim/trace.js';
import { integerAtLeast, InvalidOptionError, optionalFunction, positive } from '../options.js';
import { describeError, type Clock, type RandomSource } from '../resilience/policy.js';
import { summarizeLatency, type LatencySummary } from './latency-summary.js';
import './trace-events.js';

/** What the load generator tells `request` about the call it asks for. */
export interface LoadCall {
  /** 0 for the first call of this load, 1 for the next… */
  index: number;
  /** Which client sends it, from 1 to `clients`. */
  client: number;
}

/** Options of {@link generateLoad}. */
export interface LoadOptions<T = unknown> {
  /** Name in the trace and the charts; default `load`. Give each load of a run its own. */
  name?: string;
  /** Calls started per second, on average (arrivals are random, as from many independent users). */
  ratePerSecond: number;
  /** How long calls keep arriving, in ms. The load ends when the last call has settled. */
  durationMs: number;
  /** How many clients share the rate (each call comes from one of them, at random); default 1. */
  clients?: number;
  /** Makes one call. Its promise settles when the call is over: resolved is a success, rejected a failure. */
  request: (call: LoadCall) => T | PromiseLike<T>;
  /**
   * Counts a resolved call as a success? Default: yes, unless it resolved
   * with a response whose `status` is 400 or more (`validateStatus` let it through).
   */
  isOk?: (result: T) => boolean;
  /** The run's clock: arrivals are timed on it. */
  clock: Clock;
  /** A fork of the run's random numbers, for arrival times and clients. */
  rng: RandomSource;
  /** Trace to record `load.start`, `load.call`, `load.done` and `load.end` in. */
  trace?: TraceRecorder;
}

/** What a load amounted to (also recorded as `load.end`). */
export interface LoadSummary {
  name: string;
  /** Calls started. */
  sent: number;
  /** Calls that succeeded. */
  ok: number;
  /** Calls that failed (rejected, or a response with an error status). */
  failed: number;
  /** `failed / sent` (0 without calls). */
  errorRate: number;
  /** Latency of every call, successful or not, in ms. */
  latency: LatencySummary;
  /** From the first arrival's time slot to the last call settling, in ms. */
  elapsedMs: number;
}

const OWNER = 'load';
/** Most calls one load may be asked for on average: more would not fit a run's budgets anyway. */
export const MAX_LOAD_CALLS = 50_000;

/**
 * Sends calls at `ratePerSecond` for `durationMs`, **open loop**: each call
 * starts when it arrives, whether or not earlier calls have finished, like
 * users who do not know about each other. The gaps between arrivals are
 * drawn from an exponential distribution (a Poisson process), so calls
 * sometimes bunch up and sometimes pause, as real traffic does. A closed
 * loop (each client waits for its answer before it sends again) would slow
 * down as the service slows down, and hide the overload it should show.
 *
 * Resolves with a {@link LoadSummary} once every call has settled; every
 * call is also in the trace, so charts and checks can be computed from it.
 *
 * @example
 * const summary = await generateLoad({
 *   clock: world.scheduler, rng: world.rng.fork('load'), trace: world.trace,
 *   ratePerSecond: 50, durationMs: 5_000,
 *   request: () => http.get('http://search/search?q=shoes', { timeout: 1000 }),
 * });
 * summary.latency.p99; // ms
 */
export function generateLoad<T>(options: LoadOptions<T>): Promise<LoadSummary> {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError(OWNER, 'options', 'an object', options);
  const name = options.name ?? 'load';
  if (typeof name !== 'string' || name === '') throw new InvalidOptionError(OWNER, 'name', 'a non-empty string', name);
  const rate = positive(OWNER, 'ratePerSecond', options.ratePerSecond);
  const durationMs = positive(OWNER, 'durationMs', options.durationMs);
  const clients = options.clients === undefined ? 1 : integerAtLeast(OWNER, 'clients', options.clients, 1);
  if (typeof options.request !== 'function') throw new InvalidOptionError(OWNER, 'request', 'a function that makes one call', options.request);
  const isOk = optionalFunction(OWNER, 'isOk', options.isOk) ?? defaultIsOk;
  const expected = (rate * durationMs) / 1000;
  if (expected > MAX_LOAD_CALLS)
    throw new InvalidOptionError(OWNER, 'ratePerSecond × durationMs', `at most ${MAX_LOAD_CALLS.toLocaleString('en-US')} calls in all`, `${Math.round(expected)} calls`);
  const { clock, rng, trace, request } = options;

  const start = clock.now();
  const durations: number[] = [];
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let arriving = true;
  let finished = false;
  trace?.record('load.start', { source: 'client', load: name, ratePerSecond: rate, durationMs, clients });

  return new Promise<LoadSummary>((resolve) => {
    const finishIfDone = () => {
      if (finished || arriving || ok + failed < sent) return;
      finished = true;
      const latency = summarizeLatency(durations);
      const summary: LoadSummary = { name, sent, ok, failed, errorRate: sent ? failed / sent : 0, latency, elapsedMs: clock.now() - start };
      trace?.record('load.end', { source: 'client', load: name, sent, ok, failed, ...definedPercentiles(latency) });
      resolve(summary);
    };
    const settle = (call: LoadCall, began: number, success: boolean, status: number | undefined, error?: unknown) => {
      const durationMs = clock.now() - began;
      durations.push(durationMs);
      if (success) ok++;
      else failed++;
      trace?.record('load.done', {
        source: 'client',
        load: name,
        index: call.index,
        client: call.client,
        ok: success,
        durationMs,
        ...(status !== undefined ? { status } : {}),
        ...(error !== undefined ? { error: describeError(error) } : {}),
      });
      finishIfDone();
    };
    const fire = () => {
      const call: LoadCall = { index: sent, client: clients === 1 ? 1 : 1 + Math.floor(rng.next() * clients) };
      sent++;
      const began = clock.now();
      trace?.record('load.call', { source: 'client', load: name, index: call.index, client: call.client });
      let pending: PromiseLike<T>;
      try {
        pending = Promise.resolve(request(call));
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (result) => {
          let success: boolean;
          try {
            success = isOk(result) !== false;
          } catch (error) {
            return settle(call, began, false, statusOf(result), error);
          }
          settle(call, began, success, statusOf(result), success ? undefined : `status ${statusOf(result) ?? 'not ok'}`);
        },
        (error: unknown) => settle(call, began, false, statusOf(error), error),
      );
    };
    // Exponential gaps: -ln(1 - U) / rate. The next arrival is planned before this one starts.
    const next = (at: number) => {
      const gap = (-Math.log(1 - rng.next()) * 1000) / rate;
      const when = at + gap;
      if (when - start >= durationMs) {
        // The window closes at its end (not at the last arrival), so the load never ends early.
        clock.after(Math.max(0, start + durationMs - clock.now()), () => {
          arriving = false;
          finishIfDone();
        });
        return;
      }
      clock.after(when - clock.now(), () => {
        next(when);
        fire();
      });
    };
    next(start);
  });
}

/** A status code carried by a response or an HTTP error, if any. */
function statusOf(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const status = (value as { status?: unknown }).status;
  return typeof status === 'number' && Number.isFinite(status) ? status : undefined;
}

function defaultIsOk(result: unknown): boolean {
  const status = statusOf(result);
  return status === undefined || status < 400;
}

function definedPercentiles(l: LatencySummary): { p50?: number; p95?: number; p99?: number } {
  const out: { p50?: number; p95?: number; p99?: number } = {};
  if (l.p50 !== undefined) out.p50 = l.p50;
  if (l.p95 !== undefined) out.p95 = l.p95;
  if (l.p99 !== undefined) out.p99 = l.p99;
  return out;
}
