import { InvalidOptionError, nonNegative, oneOf, positive } from '../options.js';
import type { RandomSource } from './policy.js';

/**
 * How a delay is randomised so that many callers that failed together do not
 * all come back at the same instant (a "thundering herd"). With `d` the
 * delay of the curve, `r` a draw in [0, 1) and `max` the cap:
 * - `none`: `d`
 * - `full`: `d · r` (anywhere between 0 and d)
 * - `equal`: `d/2 + d/2 · r` (at least half of d)
 * - `decorrelated`: between `d` and three times the previous delay, capped at
 *   `max` (AWS's "decorrelated jitter"; with a constant curve it is exactly
 *   their formula)
 */
export type Jitter = 'none' | 'full' | 'equal' | 'decorrelated';

const JITTERS: readonly Jitter[] = ['none', 'full', 'equal', 'decorrelated'];

/**
 * Decides how long to wait before the next try; it never waits itself (a
 * retry policy or a breaker does). Every result is a finite number of
 * milliseconds in [0, maxMs], for any attempt number.
 *
 * @example
 * const backoff = exponentialBackoff({ initialMs: 100, maxMs: 5_000, jitter: 'full' });
 * backoff.delay(1, rng, 0); // somewhere in [0, 100)
 * backoff.delay(4, rng, 0); // somewhere in [0, 800)
 */
export interface Backoff {
  /** The largest delay it ever returns. */
  readonly maxMs: number;
  /**
   * The delay (ms) before try number `attempt + 1`: `attempt` is 1 after the
   * first failure. `previousMs` is the delay used last time (0 at first);
   * only decorrelated jitter reads it. Jitter draws exactly one number from
   * `rng` per call (none draws nothing).
   */
  delay(attempt: number, rng: RandomSource, previousMs: number): number;
}

/** Options every backoff has. */
export interface BackoffCommonOptions {
  /** Upper bound of every delay (ms); default the larger of 30 000 and the first delay. */
  maxMs?: number;
  /** Randomisation; default `'none'`. */
  jitter?: Jitter;
}

/** Options of {@link linearBackoff}. */
export interface LinearBackoffOptions extends BackoffCommonOptions {
  /** First delay (ms). */
  initialMs: number;
  /** Added for each further attempt (ms); default `initialMs`. */
  stepMs?: number;
}

/** Options of {@link exponentialBackoff}. */
export interface ExponentialBackoffOptions extends BackoffCommonOptions {
  /** First delay (ms). */
  initialMs: number;
  /** Multiplier per attempt (≥ 1); default 2. */
  factor?: number;
}

/** The largest attempt number worth computing: beyond it every curve is at its cap. */
const BIG_ATTEMPT = 1e9;

class CurveBackoff implements Backoff {
  constructor(
    /** Un-jittered delay for attempt n ≥ 1 (may exceed the cap or be Infinity; never NaN). */
    private readonly curve: (n: number) => number,
    readonly maxMs: number,
    private readonly jitter: Jitter,
  ) {}

  delay(attempt: number, rng: RandomSource, previousMs: number): number {
    const n = attempt >= 1 ? Math.min(Math.floor(attempt), BIG_ATTEMPT) : 1; // NaN and < 1 count as 1
    const max = this.maxMs;
    const d = Math.min(this.curve(n), max);
    switch (this.jitter) {
      case 'none':
        return clamp(d, max);
      case 'full':
        return clamp(d * rng.next(), max);
      case 'equal':
        return clamp(d / 2 + (d / 2) * rng.next(), max);
      case 'decorrelated': {
        const previous = previousMs > 0 && previousMs <= max ? previousMs : d;
        const upper = Math.min(Math.max(d, previous * 3), max);
        return clamp(d + (upper - d) * rng.next(), max);
      }
    }
  }
}

/** Keeps a delay in [0, max]; NaN becomes 0. */
function clamp(ms: number, max: number): number {
  if (!(ms >= 0)) return 0;
  return ms > max ? max : ms;
}

function common(owner: string, options: BackoffCommonOptions | undefined, initialMs: number): { maxMs: number; jitter: Jitter } {
  const jitter = options?.jitter === undefined ? 'none' : oneOf(owner, 'jitter', options.jitter, JITTERS);
  if (options?.maxMs === undefined) return { maxMs: Math.max(30_000, initialMs), jitter };
  const maxMs = positive(owner, 'maxMs', options.maxMs);
  if (maxMs < initialMs) throw new InvalidOptionError(owner, 'maxMs', `a finite number ≥ the first delay (${initialMs})`, maxMs);
  return { maxMs, jitter };
}

/**
 * The same delay every time (before jitter).
 *
 * @example
 * const backoff = constantBackoff(500, { jitter: 'equal' }); // 250..500 ms each time
 */
export function constantBackoff(ms: number, options?: BackoffCommonOptions): Backoff {
  const owner = 'constantBackoff';
  const base = nonNegative(owner, 'ms', ms);
  const { maxMs, jitter } = common(owner, options, base);
  return new CurveBackoff(() => base, maxMs, jitter);
}

/**
 * `initialMs`, then `stepMs` more for each further attempt, up to `maxMs`.
 *
 * @example
 * const backoff = linearBackoff({ initialMs: 200, stepMs: 100 }); // 200, 300, 400, ...
 */
export function linearBackoff(options: LinearBackoffOptions): Backoff {
  const owner = 'linearBackoff';
  const initial = nonNegative(owner, 'initialMs', options.initialMs);
  const step = options.stepMs === undefined ? initial : nonNegative(owner, 'stepMs', options.stepMs);
  const { maxMs, jitter } = common(owner, options, initial);
  return new CurveBackoff((n) => initial + step * (n - 1), maxMs, jitter);
}

/**
 * `initialMs · factor^(attempt − 1)`, up to `maxMs`.
 *
 * @example
 * const backoff = exponentialBackoff({ initialMs: 100, maxMs: 10_000, jitter: 'full' });
 */
export function exponentialBackoff(options: ExponentialBackoffOptions): Backoff {
  const owner = 'exponentialBackoff';
  const initial = nonNegative(owner, 'initialMs', options.initialMs);
  const factor = options.factor === undefined ? 2 : options.factor;
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 1) throw new InvalidOptionError(owner, 'factor', 'a finite number ≥ 1', factor);
  const { maxMs, jitter } = common(owner, options, initial);
  // 0 · Infinity would be NaN: a zero start stays zero.
  return new CurveBackoff((n) => (initial === 0 ? 0 : initial * Math.pow(factor, n - 1)), maxMs, jitter);
}
