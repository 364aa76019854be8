import type { Observable } from 'rxjs';
import type { TimerHandle } from '../../sim/scheduler.js';
import type { TraceRecorder } from '../../sim/trace.js';
import type { Backoff } from './backoff.js';
import { windowFor, type BreakerPolicy } from './breaker-policy.js';
import { BreakerReporter, type BreakerEvent, type CallEnding, type CallVerdict, type TransitionReason } from './breaker-reporter.js';
import type { OutcomeWindow, WindowSnapshot } from './breaker-window.js';
import { BrokenCircuitError, IsolatedCircuitError, OperationCanceledError } from './errors.js';
import { isBreakerFailure, isIgnoredByBreaker } from './failure-predicates.js';
import { integerAtLeast, InvalidOptionError, nonNegative, optionalFunction, positiveOrInfinite } from '../options.js';
import type { Clock, Policy, PolicyContext, PolicyFn, RandomSource } from './policy.js';
import type { BreakerStateKind } from './trace-events.js';

export type { BreakerStateKind } from './trace-events.js';

/** How the half-open state tests whether the callee has recovered. */
export interface HalfOpenOptions {
  /** Trial calls let through; calls beyond them are refused at once. Default 1. */
  permittedCalls?: number;
  /** Successful trials that close the breaker (≤ `permittedCalls`); default `permittedCalls`. */
  successesToClose?: number;
  /**
   * Longest stay in half-open (ms). When the trials have not decided by
   * then (one hung), the breaker opens again. Default Infinity.
   */
  maxWaitMs?: number;
}

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Name in errors, events and the trace (the `component` of its `state` events). Default `breaker`. */
  name?: string;
  /** The world's scheduler: every time the breaker reads comes from it. */
  clock: Clock;
  /** When to open. */
  policy: BreakerPolicy;
  /**
   * How long it stays open (ms) before letting trial calls through. A
   * {@link Backoff} makes the break grow with each opening in a row
   * (attempt = 1 for the first opening since the breaker was last closed).
   * Default 30 000.
   */
  breakDuration?: number | Backoff;
  /** Random source for a `breakDuration` backoff (a fork of the world's Rng); required with one. */
  rng?: RandomSource;
  /** Trial calls in half-open. */
  halfOpen?: HalfOpenOptions;
  /** Does this error count as a failure? Default {@link isBreakerFailure} (5xx, timeouts, connection errors; not 4xx). */
  isFailure?: (error: unknown) => boolean;
  /** Does this error say nothing about the callee (neither success nor failure)? Default {@link isIgnoredByBreaker} (caller aborts, local rejections). */
  isIgnored?: (error: unknown) => boolean;
  /** Does this result count as a failure? Default: no result does. */
  isFailureResult?: (result: unknown) => boolean;
  /** Trace to record state changes (`state`) and calls (`breaker.call`) in. */
  trace?: TraceRecorder;
}

/** The breaker's state, with what each state needs to know. */
export type BreakerState =
  | { readonly kind: 'closed'; readonly since: number }
  | { readonly kind: 'open'; readonly since: number; readonly until: number; readonly reason: TransitionReason }
  | { readonly kind: 'halfOpen'; readonly since: number; readonly inFlight: number; readonly succeeded: number }
  | { readonly kind: 'isolated'; readonly since: number };

/** Counts since the breaker was made. */
export interface BreakerTotals {
  /** Calls let through. */
  admitted: number;
  successes: number;
  failures: number;
  ignored: number;
  rejected: number;
  /** Outcomes of calls that finished after the state they started in had ended. */
  stale: number;
}

/** A picture of the breaker for the UI. */
export interface BreakerSnapshot {
  name: string;
  /** Virtual time of the snapshot. */
  time: number;
  state: BreakerStateKind;
  /** When the current state began. */
  since: number;
  /** When the breaker last opened (while open or half-open), else `undefined`. */
  openedAt: number | undefined;
  /** When an open breaker lets trial calls through, else `undefined`. */
  nextAttemptAt: number | undefined;
  /** Openings since the breaker was last closed (drives a growing break). */
  openings: number;
  /** Trial calls while half-open. */
  halfOpen: { permitted: number; inFlight: number; succeeded: number; giveUpAt: number } | undefined;
  /** The window of outcomes of the closed state. */
  window: WindowSnapshot;
  totals: BreakerTotals;
}

type MutableState =
  | { kind: 'closed'; since: number }
  | { kind: 'open'; since: number; until: number; reason: TransitionReason }
  | { kind: 'halfOpen'; since: number; inFlight: number; succeeded: number }
  | { kind: 'isolated'; since: number };

const OWNER = 'circuitBreaker';

/**
 * A circuit breaker: stops calling a callee that keeps failing, gives it time
 * to recover, then tests it with a few trial calls.
 *
 * - **closed**: calls go through; outcomes go into a window (see
 *   {@link BreakerPolicy}); when the policy says so, it opens.
 * - **open**: calls are refused at once with {@link BrokenCircuitError}
 *   until the break is over (`nextAttemptAt`).
 * - **half-open**: the first call after the break moves it here. Up to
 *   `permittedCalls` trial calls go through, others are refused; one failed
 *   (or slow) trial opens it again at once; `successesToClose` successful
 *   trials close it. After `maxWaitMs` without a decision it opens again.
 * - **isolated**: held open by hand ({@link isolate}) until {@link reset}.
 *
 * A call that finishes after the state it started in has ended (say, a slow
 * call from the closed state that fails while the breaker is already open)
 * is reported with `stale: true` and changes nothing: it can neither close
 * the breaker nor extend the break.
 *
 * Time-driven moves (open → half-open when the break is over, half-open →
 * open after `maxWaitMs`) happen on a timer at their exact virtual time, so
 * the trace shows them when they are due; a call made at or after that time
 * checks too. Reading the state or a snapshot never changes anything.
 *
 * @example
 * const breaker = new CircuitBreaker({
 *   name: 'payment',
 *   clock: world.scheduler,
 *   policy: { kind: 'count', windowSize: 10, failureRateThreshold: 0.5 },
 *   breakDuration: 10_000,
 *   halfOpen: { permittedCalls: 2 },
 *   trace: world.trace,
 * });
 * const res = await breaker.execute(({ signal }) => http.post('http://payment/pay', body, { signal }));
 */
export class CircuitBreaker implements Policy {
  readonly name: string;
  private readonly clock: Clock;
  private readonly window: OutcomeWindow;
  private readonly slowMs: number;
  private readonly breakDuration: number | Backoff;
  private readonly rng: RandomSource | undefined;
  private readonly permitted: number;
  private readonly successesToClose: number;
  private readonly halfOpenMaxWait: number;
  private readonly isFailure: (error: unknown) => boolean;
  private readonly isIgnored: (error: unknown) => boolean;
  private readonly isFailureResult: ((result: unknown) => boolean) | undefined;
  private readonly reporter: BreakerReporter;

  private s: MutableState;
  /** Bumped on every state change: a call whose generation differs from it is stale. */
  private generation = 0;
  private openings = 0;
  private openedAt: number | undefined;
  private lastBreakMs = 0;
  /** Due when the break ends, or when half-open has waited long enough. */
  private timer: TimerHandle | undefined;
  private readonly counts: BreakerTotals = { admitted: 0, successes: 0, failures: 0, ignored: 0, rejected: 0, stale: 0 };

  constructor(options: CircuitBreakerOptions) {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError(OWNER, 'options', 'an object', options);
    this.name = options.name ?? 'breaker';
    if (typeof this.name !== 'string' || this.name === '') throw new InvalidOptionError(OWNER, 'name', 'a non-empty string', options.name);
    if (!options.clock || typeof options.clock.now !== 'function') throw new InvalidOptionError(OWNER, 'clock', 'the world scheduler (an object with now() and after())', options.clock);
    this.clock = options.clock;
    const { window, slowMs } = windowFor(options.policy);
    this.window = window;
    this.slowMs = slowMs;
    const bd = options.breakDuration ?? 30_000;
    if (typeof bd === 'number') nonNegative(OWNER, 'breakDuration', bd);
    else if (typeof bd !== 'object' || bd === null || typeof bd.delay !== 'function')
      throw new InvalidOptionError(OWNER, 'breakDuration', 'a number of ms ≥ 0 or a Backoff', bd);
    if (typeof bd !== 'number' && (typeof options.rng !== 'object' || options.rng === null || typeof options.rng.next !== 'function'))
      throw new InvalidOptionError(OWNER, 'rng', "a fork of the world's Rng when breakDuration is a Backoff (for its jitter)", options.rng);
    this.breakDuration = bd;
    this.rng = options.rng;
    const ho = options.halfOpen ?? {};
    this.permitted = ho.permittedCalls === undefined ? 1 : integerAtLeast(OWNER, 'halfOpen.permittedCalls', ho.permittedCalls, 1);
    this.successesToClose = ho.successesToClose === undefined ? this.permitted : integerAtLeast(OWNER, 'halfOpen.successesToClose', ho.successesToClose, 1);
    if (this.successesToClose > this.permitted)
      throw new InvalidOptionError(OWNER, 'halfOpen.successesToClose', `an integer ≤ halfOpen.permittedCalls (${this.permitted})`, ho.successesToClose);
    this.halfOpenMaxWait = ho.maxWaitMs === undefined ? Infinity : positiveOrInfinite(OWNER, 'halfOpen.maxWaitMs', ho.maxWaitMs);
    this.isFailure = optionalFunction(OWNER, 'isFailure', options.isFailure) ?? isBreakerFailure;
    this.isIgnored = optionalFunction(OWNER, 'isIgnored', options.isIgnored) ?? isIgnoredByBreaker;
    this.isFailureResult = optionalFunction(OWNER, 'isFailureResult', options.isFailureResult);
    this.reporter = new BreakerReporter(this.name, options.trace);
    this.s = { kind: 'closed', since: this.clock.now() };
  }

  /** The current state. */
  get state(): BreakerStateKind {
    return this.s.kind;
  }

  /** The current state with its details. */
  get stateDetails(): BreakerState {
    return { ...this.s };
  }

  /** State changes, outcomes and refusals, as they happen. Costs nothing while nobody subscribes. */
  get events$(): Observable<BreakerEvent> {
    return this.reporter.events$;
  }

  /**
   * Runs `fn` if the breaker lets it through, records its outcome, and
   * returns (or rethrows) what it did. Refusals reject with
   * {@link BrokenCircuitError} without calling `fn`.
   */
  execute<T>(fn: PolicyFn<T>, signal?: AbortSignal): Promise<T> {
    if (signal !== undefined && signal.aborted) return Promise.reject(new OperationCanceledError(this.name, { cause: signal.reason }));
    if (this.s.kind !== 'closed') {
      const refusal = this.admit();
      if (refusal !== undefined) return Promise.reject(refusal);
    }
    this.counts.admitted++;
    return this.run(fn, { signal }, this.generation, this.s.kind);
  }

  private async run<T>(fn: PolicyFn<T>, ctx: PolicyContext, generation: number, admittedIn: BreakerStateKind): Promise<T> {
    const call: AdmittedCall = { generation, admittedIn, startedAt: this.clock.now() };
    let result: T;
    try {
      result = await fn(ctx);
    } catch (error) {
      this.settle(call, this.isIgnored(error) ? 'ignored' : this.isFailure(error) ? 'failure' : 'success', 'threw', error);
      throw error;
    }
    const failed = this.isFailureResult !== undefined && this.isFailureResult(result);
    this.settle(call, failed ? 'failure' : 'success', 'returned', result);
    return result;
  }

  /** Lets a call through when not closed: returns the refusal, or undefined (and takes a trial slot). */
  private admit(): BrokenCircuitError | undefined {
    const now = this.clock.now();
    this.refresh(now);
    const s = this.s;
    let refusal: BrokenCircuitError;
    switch (s.kind) {
      case 'closed':
        return undefined;
      case 'halfOpen':
        if (s.inFlight + s.succeeded < this.permitted) {
          s.inFlight++;
          return undefined;
        }
        refusal = new BrokenCircuitError(this.name, 'halfOpen', undefined, now);
        break;
      case 'open':
        refusal = new BrokenCircuitError(this.name, 'open', s.until, now);
        break;
      case 'isolated':
        refusal = new IsolatedCircuitError(this.name, now);
        break;
    }
    this.counts.rejected++;
    this.reporter.rejected(now, refusal);
    return refusal;
  }

  /**
   * Time-driven moves: the break is over, or half-open waited too long. A
   * timer makes each move at its exact time in a running world; a call
   * checks too, so a clock whose timers do not fire still works.
   */
  private refresh(now: number): void {
    const s = this.s;
    if (s.kind === 'open' && now >= s.until) this.enterHalfOpen(now);
    else if (s.kind === 'halfOpen' && now >= s.since + this.halfOpenMaxWait) this.open(now, 'halfOpenTimeout');
  }

  /** Counts a finished call and, unless it is stale, lets it move the state. */
  private settle(call: AdmittedCall, verdict: CallVerdict, ending: CallEnding, value: unknown): void {
    const now = this.clock.now();
    const durationMs = now - call.startedAt;
    const slow = durationMs >= this.slowMs;
    const stale = call.generation !== this.generation;
    const s = this.s;
    if (verdict === 'success') this.counts.successes++;
    else if (verdict === 'failure') this.counts.failures++;
    else this.counts.ignored++;
    if (stale) this.counts.stale++;
    if (this.reporter.watching) this.reporter.call({ time: now, verdict, admittedIn: call.admittedIn, durationMs, slow, stale, ending, value });
    if (stale) return;
    if (s.kind === 'closed') {
      if (verdict === 'ignored') return;
      this.window.record(now, verdict === 'failure', slow);
      const reason = this.window.verdict(now);
      if (reason !== undefined) this.open(now, reason);
    } else if (s.kind === 'halfOpen') {
      s.inFlight--;
      if (verdict === 'ignored') return; // frees the trial slot
      if (verdict === 'failure' || slow) this.open(now, 'trialFailed');
      else if (++s.succeeded >= this.successesToClose) this.close(now, 'trialsSucceeded');
    }
  }

  private transition(next: MutableState, reason: TransitionReason): void {
    const from = this.s.kind;
    this.s = next;
    this.generation++;
    this.timer?.cancel();
    this.timer = undefined;
    if (this.reporter.watching) {
      const nextAttemptAt = next.kind === 'open' ? next.until : undefined;
      this.reporter.stateChange({ from, to: next.kind, time: next.since, reason, nextAttemptAt, window: this.window });
    }
  }

  private open(now: number, reason: TransitionReason): void {
    this.openings++;
    const bd = this.breakDuration;
    const ms = typeof bd === 'number' ? bd : bd.delay(this.openings, this.rng!, this.lastBreakMs);
    this.lastBreakMs = ms;
    this.openedAt = now;
    this.transition({ kind: 'open', since: now, until: now + ms, reason }, reason);
    this.timer = this.clock.after(ms, () => this.refresh(this.clock.now()));
  }

  private enterHalfOpen(now: number): void {
    this.transition({ kind: 'halfOpen', since: now, inFlight: 0, succeeded: 0 }, 'breakElapsed');
    if (this.halfOpenMaxWait !== Infinity) this.timer = this.clock.after(this.halfOpenMaxWait, () => this.refresh(this.clock.now()));
  }

  private close(now: number, reason: TransitionReason): void {
    this.openings = 0;
    this.lastBreakMs = 0;
    this.openedAt = undefined;
    this.window.clear();
    this.transition({ kind: 'closed', since: now }, reason);
  }

  /**
   * Holds the breaker open by hand (for maintenance, or to shed a callee):
   * every call is refused with {@link IsolatedCircuitError} until
   * {@link reset}. Calls in flight become stale.
   */
  isolate(): void {
    if (this.s.kind === 'isolated') return;
    const now = this.clock.now();
    this.openedAt = now;
    this.transition({ kind: 'isolated', since: now }, 'isolated');
  }

  /**
   * Closes the breaker by hand and forgets its history (window, openings).
   * Calls in flight become stale.
   */
  reset(): void {
    const now = this.clock.now();
    if (this.s.kind === 'closed') {
      this.window.clear();
      this.openings = 0;
      this.lastBreakMs = 0;
      this.generation++;
      return;
    }
    this.close(now, 'reset');
  }

  /** A picture of the breaker and its window at the current virtual time. */
  snapshot(): BreakerSnapshot {
    const now = this.clock.now();
    const s = this.s;
    return {
      name: this.name,
      time: now,
      state: s.kind,
      since: s.since,
      openedAt: s.kind === 'closed' ? undefined : this.openedAt,
      nextAttemptAt: s.kind === 'open' ? s.until : undefined,
      openings: this.openings,
      halfOpen:
        s.kind === 'halfOpen'
          ? { permitted: this.permitted, inFlight: s.inFlight, succeeded: s.succeeded, giveUpAt: s.since + this.halfOpenMaxWait }
          : undefined,
      window: this.window.snapshot(now),
      totals: { ...this.counts },
    };
  }
}

/** What the breaker remembers of a call it let through, to settle it. */
interface AdmittedCall {
  /** The breaker's generation at admission: a later one makes the call stale. */
  readonly generation: number;
  readonly admittedIn: BreakerStateKind;
  readonly startedAt: number;
}
