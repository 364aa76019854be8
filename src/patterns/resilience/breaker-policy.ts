import { ConsecutiveWindow, CountWindow, TimeWindow, type OutcomeWindow } from './breaker-window.js';
import { integerAtLeast, InvalidOptionError, positive, ratio } from '../options.js';

/** Thresholds shared by the rate-based policies. */
export interface RatePolicyOptions {
  /** Open when failed calls / calls in the window reaches this ratio, in (0, 1]; e.g. 0.5. */
  failureRateThreshold: number;
  /** No decision before the window holds this many calls (default: the window size; 10 for a time window). */
  minimumCalls?: number;
  /** A call that takes at least this long (ms) is slow, whether it succeeded or not. Default: none is. */
  slowCallDurationMs?: number;
  /** Open when slow calls / calls reaches this ratio, in (0, 1]; default 1 once `slowCallDurationMs` is set. */
  slowCallRateThreshold?: number;
}

/**
 * When a closed breaker opens.
 * - `consecutive`: after `failureThreshold` failures in a row.
 * - `count`: judged over the last `windowSize` calls.
 * - `time`: judged over the calls of the last `windowMs`, kept in
 *   `bucketCount` buckets (default 10).
 */
export type BreakerPolicy =
  | { kind: 'consecutive'; failureThreshold: number }
  | ({ kind: 'count'; windowSize: number } & RatePolicyOptions)
  | ({ kind: 'time'; windowMs: number; bucketCount?: number } & RatePolicyOptions);

const OWNER = 'circuitBreaker';

/**
 * The window a breaker policy asks for, and the duration from which a call
 * counts as slow (Infinity when none does). Checks the policy and throws
 * {@link InvalidOptionError} with what to fix.
 */
export function windowFor(policy: BreakerPolicy): { window: OutcomeWindow; slowMs: number } {
  if (typeof policy !== 'object' || policy === null) throw new InvalidOptionError(OWNER, 'policy', 'an object with kind "consecutive", "count" or "time"', policy);
  switch (policy.kind) {
    case 'consecutive':
      return { window: new ConsecutiveWindow(integerAtLeast(OWNER, 'policy.failureThreshold', policy.failureThreshold, 1)), slowMs: Infinity };
    case 'count': {
      const size = integerAtLeast(OWNER, 'policy.windowSize', policy.windowSize, 1);
      const { rule, slowMs } = rateRule(policy, size, size);
      return { window: new CountWindow(size, rule), slowMs };
    }
    case 'time': {
      const windowMs = positive(OWNER, 'policy.windowMs', policy.windowMs);
      const buckets = policy.bucketCount === undefined ? 10 : integerAtLeast(OWNER, 'policy.bucketCount', policy.bucketCount, 1);
      const { rule, slowMs } = rateRule(policy, 10, Infinity);
      return { window: new TimeWindow(windowMs, buckets, rule), slowMs };
    }
    default:
      throw new InvalidOptionError(OWNER, 'policy.kind', '"consecutive", "count" or "time"', (policy as { kind?: unknown }).kind);
  }
}

function rateRule(policy: RatePolicyOptions, defaultMinimum: number, maxMinimum: number) {
  const failureRateThreshold = ratio(OWNER, 'policy.failureRateThreshold', policy.failureRateThreshold);
  const minimumCalls = policy.minimumCalls === undefined ? defaultMinimum : integerAtLeast(OWNER, 'policy.minimumCalls', policy.minimumCalls, 1);
  if (minimumCalls > maxMinimum) throw new InvalidOptionError(OWNER, 'policy.minimumCalls', `an integer ≤ policy.windowSize (${maxMinimum})`, minimumCalls);
  let slowMs = Infinity;
  let slowCallRateThreshold = Infinity;
  if (policy.slowCallDurationMs !== undefined) {
    slowMs = positive(OWNER, 'policy.slowCallDurationMs', policy.slowCallDurationMs);
    slowCallRateThreshold = policy.slowCallRateThreshold === undefined ? 1 : ratio(OWNER, 'policy.slowCallRateThreshold', policy.slowCallRateThreshold);
  } else if (policy.slowCallRateThreshold !== undefined) {
    throw new InvalidOptionError(OWNER, 'policy.slowCallDurationMs', 'set (in ms) when policy.slowCallRateThreshold is given', undefined);
  }
  return { rule: { minimumCalls, failureRateThreshold, slowCallRateThreshold }, slowMs };
}
