import { DEFAULT_EPOCH } from '../../sim/world.js';
import type { TraceRecorder } from '../../sim/trace.js';
import { exponentialBackoff, type Backoff } from './backoff.js';
import { OperationCanceledError, RetryDeadlineExceededError, TimeoutRejectedError } from './errors.js';
import { isRetryable } from './failure-predicates.js';
import { InvalidOptionError, nonNegative, optionalFunction, positive } from '../options.js';
import { describeError, linkedController, sleep, type Clock, type Policy, type PolicyFn, type RandomSource } from './policy.js';
import { retryAfterMs } from './retry-after.js';
import type { RetryBudget } from './retry-budget.js';
import type { GiveUpReason } from './trace-events.js';

export type { GiveUpReason } from './trace-events.js';

/** Told before each wait between attempts. */
export interface RetryEvent {
  policy: string;
  /** Virtual time when the retry was decided. */
  time: number;
  /** The attempt that just failed (1 for the first call). */
  attempt: number;
  /** How long the policy now waits before attempt `attempt + 1`. */
  delayMs: number;
  /** What the server's `Retry-After` asked for, when it did. */
  retryAfterMs?: number;
  /** The error of the failed attempt (absent when a result was retried). */
  error?: unknown;
  /** The result that was retried (absent when an error was). */
  result?: unknown;
}

/** Told once when the policy stops trying without success. */
export interface GiveUpEvent {
  policy: string;
  time: number;
  /** Attempts made, the first call included. */
  attempts: number;
  reason: GiveUpReason;
  /**
   * The error the policy rejects with: the last attempt's own error, or a
   * {@link RetryDeadlineExceededError} / {@link OperationCanceledError}
   * wrapping it (reasons `deadline` and `canceled`).
   */
  error?: unknown;
  /** The last result, when results were being retried. */
  result?: unknown;
}

/** Options of {@link RetryPolicy}. */
export interface RetryOptions {
  /** Name in events and the trace; default `retry`. */
  name?: string;
  /** The world's scheduler: every wait is virtual time. */
  clock: Clock;
  /** A fork of the world's Rng, for jitter (`world.rng.fork('retry')`). */
  rng: RandomSource;
  /**
   * Most attempts in all, **the first call included**: 3 means one call and
   * up to two retries; 1 means no retry. Default 3. Infinity is allowed
   * (pair it with `deadlineMs` or a budget).
   */
  maxAttempts?: number;
  /** Delay before each retry; default exponential from 100 ms, ×2, at most 10 s, full jitter. */
  backoff?: Backoff;
  /**
   * Retry after this error? Default {@link isRetryable}: not for 4xx other
   * than 408/429, an open breaker, a full bulkhead or a caller abort.
   */
  retryOn?: (error: unknown, attempt: number) => boolean;
  /** Retry after this result? (e.g. {@link isRetryableResponse}); default never. */
  retryOnResult?: (result: unknown, attempt: number) => boolean;
  /** Wait at least what a `Retry-After` header asks (seconds or an HTTP date). Default true. */
  respectRetryAfter?: boolean;
  /** Wall-clock ms that virtual time 0 stands for, to read `Retry-After` dates; default the world's default epoch. */
  epoch?: number;
  /**
   * Overall limit (ms of virtual time from the first call). No wait reaches
   * past it and no attempt starts after it. When it ends the retries the
   * policy rejects with {@link RetryDeadlineExceededError} (the last error as
   * its `cause`), whether it passed during an attempt (whose signal is then
   * aborted) or the next wait would have passed it. Default: none.
   */
  deadlineMs?: number;
  /** Shared token bucket; a retry without a token gives up (reason `budget`). */
  budget?: RetryBudget;
  /** Called before each wait. */
  onRetry?: (event: RetryEvent) => void;
  /** Called when the policy gives up. */
  onGiveUp?: (event: GiveUpEvent) => void;
  /** Trace to record `retry.scheduled` and `retry.gaveUp` in. */
  trace?: TraceRecorder;
}

const OWNER = 'retry';

/**
 * Runs a call again when it fails in a way that may pass: deciding the
 * delay is the backoff's job, waiting (in virtual time) is this policy's.
 *
 * When it gives up it rethrows the last error (or returns the last result,
 * when results were being retried), so callers and fallbacks see what really
 * happened, except when the caller or the deadline stopped it: then the
 * rejection itself says so, with the last error as its `cause`:
 * - the deadline: {@link RetryDeadlineExceededError}, whether the deadline
 *   passed during an attempt or the next wait would have passed it;
 * - the caller's signal: {@link OperationCanceledError}, whether it aborted
 *   during a wait (`cause`: the signal's reason) or during an attempt
 *   (`cause`: what the attempt threw, e.g. an `HttpCanceledError`).
 *
 * Cancellation follows Polly v8's retry strategy: once the caller has
 * cancelled, no further attempt is made, and a cancelled wait ends the
 * execution with an operation-canceled error. Polly hands back an attempt's
 * own failure unchanged, and can, because in .NET an interrupted operation
 * throws an `OperationCanceledException` by convention (an HTTP call's
 * `TaskCanceledException` is one), so the caller meets one type either way.
 * JavaScript has no such convention (`HttpCanceledError`, a DOM
 * `AbortError`, whatever the signal's reason is), so this policy wraps the
 * attempt's error itself to give the caller that one type.
 *
 * @example
 * const retry = new RetryPolicy({
 *   clock: world.scheduler,
 *   rng: world.rng.fork('retry'),
 *   maxAttempts: 4, // the first call and up to 3 retries
 *   backoff: exponentialBackoff({ initialMs: 200, maxMs: 5_000, jitter: 'full' }),
 *   deadlineMs: 10_000,
 * });
 * const res = await retry.execute(({ signal }) => http.get('http://stock/items/42', { signal, timeout: 1_000 }));
 */
export class RetryPolicy implements Policy {
  readonly name: string;
  private readonly clock: Clock;
  private readonly rng: RandomSource;
  readonly maxAttempts: number;
  private readonly backoff: Backoff;
  private readonly retryOn: (error: unknown, attempt: number) => boolean;
  private readonly retryOnResult: ((result: unknown, attempt: number) => boolean) | undefined;
  private readonly respectRetryAfter: boolean;
  private readonly epoch: number;
  private readonly deadlineMs: number | undefined;
  private readonly budget: RetryBudget | undefined;
  private readonly onRetry: ((event: RetryEvent) => void) | undefined;
  private readonly onGiveUp: ((event: GiveUpEvent) => void) | undefined;
  private readonly trace: TraceRecorder | undefined;

  constructor(options: RetryOptions) {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError(OWNER, 'options', 'an object', options);
    this.name = options.name ?? 'retry';
    if (!options.clock || typeof options.clock.now !== 'function') throw new InvalidOptionError(OWNER, 'clock', 'the world scheduler (an object with now() and after())', options.clock);
    if (!options.rng || typeof options.rng.next !== 'function') throw new InvalidOptionError(OWNER, 'rng', "a fork of the world's Rng", options.rng);
    this.clock = options.clock;
    this.rng = options.rng;
    const max = options.maxAttempts ?? 3;
    if (typeof max !== 'number' || !(max >= 1) || (!Number.isInteger(max) && max !== Infinity))
      throw new InvalidOptionError(OWNER, 'maxAttempts', 'an integer ≥ 1 (the first call included) or Infinity', max);
    this.maxAttempts = max;
    const backoff = options.backoff ?? exponentialBackoff({ initialMs: 100, maxMs: 10_000, jitter: 'full' });
    if (typeof backoff !== 'object' || backoff === null || typeof backoff.delay !== 'function') throw new InvalidOptionError(OWNER, 'backoff', 'a Backoff', backoff);
    this.backoff = backoff;
    this.retryOn = optionalFunction(OWNER, 'retryOn', options.retryOn) ?? isRetryable;
    this.retryOnResult = optionalFunction(OWNER, 'retryOnResult', options.retryOnResult);
    this.respectRetryAfter = options.respectRetryAfter ?? true;
    this.epoch = options.epoch === undefined ? DEFAULT_EPOCH : nonNegative(OWNER, 'epoch', options.epoch);
    this.deadlineMs = options.deadlineMs === undefined ? undefined : positive(OWNER, 'deadlineMs', options.deadlineMs);
    this.budget = options.budget;
    this.onRetry = optionalFunction(OWNER, 'onRetry', options.onRetry);
    this.onGiveUp = optionalFunction(OWNER, 'onGiveUp', options.onGiveUp);
    this.trace = options.trace;
  }

  /** Runs `fn`, retrying as configured. `signal` cancels the call, also during a wait. */
  execute<T>(fn: PolicyFn<T>, signal?: AbortSignal): Promise<T> {
    if (signal !== undefined && signal.aborted) return Promise.reject(new OperationCanceledError(this.name, { cause: signal.reason }));
    if (this.deadlineMs === undefined) return this.attempts(fn, signal, signal, Infinity);
    return this.withDeadline(fn, signal, this.deadlineMs);
  }

  private async withDeadline<T>(fn: PolicyFn<T>, signal: AbortSignal | undefined, deadlineMs: number): Promise<T> {
    const deadline = this.clock.now() + deadlineMs;
    const { controller, dispose } = linkedController(signal);
    const timer = this.clock.after(deadlineMs, () => controller.abort(new TimeoutRejectedError(this.name, deadlineMs)));
    try {
      return await this.attempts(fn, signal, controller.signal, deadline);
    } finally {
      timer.cancel();
      dispose();
    }
  }

  /**
   * The retry loop: try; on failure decide whether and how long to wait
   * (the backoff decides, Retry-After may ask for more), wait, try again.
   */
  private async attempts<T>(fn: PolicyFn<T>, signal: AbortSignal | undefined, attemptSignal: AbortSignal | undefined, deadline: number): Promise<T> {
    let previousDelay = 0;
    for (let attempt = 1; ; attempt++) {
      let outcome: Outcome;
      try {
        const value = await fn({ signal: attemptSignal, attempt });
        if (this.retryOnResult === undefined || !this.retryOnResult(value, attempt)) {
          this.budget?.recordSuccess();
          return value;
        }
        outcome = { threw: false, value };
      } catch (error) {
        outcome = { threw: true, value: error };
      }

      const now = this.clock.now();
      if (signal !== undefined && signal.aborted) return this.giveUp(attempt, 'canceled', this.wrap(outcome, (cause) => new OperationCanceledError(this.name, { cause })));
      if (now >= deadline) {
        // An aborted attempt signal means the deadline's timer cut this attempt short.
        const phase = attemptSignal?.aborted ? 'attempt' : 'wait';
        return this.giveUp(attempt, 'deadline', this.wrap(outcome, (cause) => new RetryDeadlineExceededError(this.name, this.deadlineMs!, attempt, phase, { cause })));
      }
      if (outcome.threw && !this.retryOn(outcome.value, attempt)) return this.giveUp(attempt, 'not-retryable', outcome);
      if (attempt >= this.maxAttempts) return this.giveUp(attempt, 'attempts', outcome);

      const backoffMs = this.backoff.delay(attempt, this.rng, previousDelay);
      const asked = this.respectRetryAfter ? retryAfterMs(outcome.value, this.epoch + now) : undefined;
      const delayMs = asked !== undefined && asked > backoffMs ? asked : backoffMs;
      if (now + delayMs >= deadline) {
        return this.giveUp(attempt, 'deadline', this.wrap(outcome, (cause) => new RetryDeadlineExceededError(this.name, this.deadlineMs!, attempt, 'wait', { cause })));
      }
      if (this.budget !== undefined && !this.budget.tryWithdraw()) return this.giveUp(attempt, 'budget', outcome);

      this.announceRetry(now, attempt, delayMs, asked, outcome);
      try {
        await sleep(this.clock, delayMs, signal, this.name);
      } catch (canceled) {
        // `sleep` rejects with OperationCanceledError, the signal's reason as its cause.
        return this.giveUp(attempt, 'canceled', { threw: true, value: canceled });
      }
      previousDelay = backoffMs;
    }
  }

  private announceRetry(now: number, attempt: number, delayMs: number, asked: number | undefined, outcome: Outcome): void {
    if (this.trace) {
      this.trace.record('retry.scheduled', {
        source: this.name,
        policy: this.name,
        attempt,
        delayMs,
        ...(asked !== undefined ? { retryAfterMs: asked } : {}),
        ...(outcome.threw ? { error: describeError(outcome.value) } : {}),
      });
    }
    this.onRetry?.({
      policy: this.name,
      time: now,
      attempt,
      delayMs,
      ...(asked !== undefined ? { retryAfterMs: asked } : {}),
      ...(outcome.threw ? { error: outcome.value } : { result: outcome.value }),
    });
  }

  /** An error outcome wrapped in the error that says why the retries ended (a result stays as it is). */
  private wrap(outcome: Outcome, because: (cause: unknown) => Error): Outcome {
    return outcome.threw ? { threw: true, value: because(outcome.value) } : outcome;
  }

  /** Reports giving up, then returns the last result or throws the final error. */
  private giveUp<T>(attempts: number, reason: GiveUpReason, outcome: Outcome): T {
    this.reportGiveUp(attempts, reason, outcome);
    if (outcome.threw) throw outcome.value;
    return outcome.value as T;
  }

  private reportGiveUp(attempts: number, reason: GiveUpReason, outcome: Outcome): void {
    if (this.trace) {
      this.trace.record('retry.gaveUp', { source: this.name, policy: this.name, attempts, reason, ...(outcome.threw ? { error: describeError(outcome.value) } : {}) });
    }
    this.onGiveUp?.({
      policy: this.name,
      time: this.clock.now(),
      attempts,
      reason,
      ...(outcome.threw ? { error: outcome.value } : { result: outcome.value }),
    });
  }
}

type Outcome = { threw: true; value: unknown } | { threw: false; value: unknown };
