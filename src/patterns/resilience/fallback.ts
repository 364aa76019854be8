import type { TraceRecorder } from '../../sim/trace.js';
import { InvalidOptionError, optionalFunction } from '../options.js';
import { describeError, type Policy, type PolicyFn } from './policy.js';

/** What failed, handed to the fallback's `value`. */
export type FallbackFailure = { kind: 'error'; error: unknown } | { kind: 'result'; result: unknown };

/** Options of {@link FallbackPolicy}. */
export interface FallbackOptions<F> {
  /** Name in the trace; default `fallback`. */
  name?: string;
  /**
   * Which errors this fallback is meant for; every other error passes
   * through untouched. Required: a fallback that swallows every error
   * (a bug, a 400, a caller abort) hides problems.
   */
  when: (error: unknown) => boolean;
  /** Which results count as failures to answer for; default none. */
  whenResult?: (result: unknown) => boolean;
  /** The answer to give instead (a cached value, a default, a degraded response). */
  value: (failure: FallbackFailure) => F | PromiseLike<F>;
  /** Trace to record `fallback.used` in. */
  trace?: TraceRecorder;
}

const OWNER = 'fallback';

/**
 * Answers with a substitute when the call fails in one of the ways it is
 * meant for.
 *
 * @example
 * const fallback = new FallbackPolicy({
 *   when: (e) => e instanceof BrokenCircuitError || isTimeout(e),
 *   value: () => ({ status: 'pending', note: 'payment will be processed later' }),
 * });
 * const answer = await fallback.execute(() => breaker.execute(() => http.post('http://payment/pay', body)));
 */
export class FallbackPolicy<F> implements Policy<F> {
  readonly name: string;
  private readonly when: (error: unknown) => boolean;
  private readonly whenResult: ((result: unknown) => boolean) | undefined;
  private readonly value: (failure: FallbackFailure) => F | PromiseLike<F>;
  private readonly trace: TraceRecorder | undefined;

  constructor(options: FallbackOptions<F>) {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError(OWNER, 'options', 'an object', options);
    this.name = options.name ?? 'fallback';
    if (typeof options.when !== 'function') throw new InvalidOptionError(OWNER, 'when', 'a function that picks the errors this fallback is for', options.when);
    if (typeof options.value !== 'function') throw new InvalidOptionError(OWNER, 'value', 'a function that gives the substitute answer', options.value);
    this.when = options.when;
    this.whenResult = optionalFunction(OWNER, 'whenResult', options.whenResult);
    this.value = options.value;
    this.trace = options.trace;
  }

  /** Runs `fn`; on a matching failure answers with the fallback value instead. */
  async execute<T>(fn: PolicyFn<T>, signal?: AbortSignal): Promise<T | F> {
    let result: T;
    try {
      result = await fn({ signal });
    } catch (error) {
      if (!this.when(error)) throw error;
      this.trace?.record('fallback.used', { source: this.name, policy: this.name, error: describeError(error) });
      return this.value({ kind: 'error', error });
    }
    if (this.whenResult === undefined || !this.whenResult(result)) return result;
    this.trace?.record('fallback.used', { source: this.name, policy: this.name });
    return this.value({ kind: 'result', result });
  }
}
