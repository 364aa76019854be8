/**
 * The windows a circuit breaker keeps of recent call outcomes, and the rule
 * each uses to decide that the breaker should open. Only outcomes of calls
 * made while the breaker was closed go in (ignored outcomes never do).
 */

/** Why a closed breaker opened. */
export type OpenReason = 'consecutiveFailures' | 'failureRate' | 'slowCallRate';

/** One bucket of a time-based window, for the UI. */
export interface BucketSnapshot {
  /** Virtual time at which the bucket starts (inclusive). */
  start: number;
  /** Virtual time at which it ends (exclusive). */
  end: number;
  calls: number;
  failures: number;
  slowCalls: number;
}

/** What a window holds right now. */
export interface WindowSnapshot {
  kind: 'consecutive' | 'count' | 'time';
  /** Calls in the window. */
  calls: number;
  failures: number;
  slowCalls: number;
  /** failures / calls, or `undefined` before the minimum number of calls (never for `consecutive`). */
  failureRate: number | undefined;
  /** slowCalls / calls, or `undefined` before the minimum number of calls. */
  slowCallRate: number | undefined;
  /** Failures since the last success (`consecutive` only). */
  consecutiveFailures?: number;
  /** Oldest first (`time` only). */
  buckets?: BucketSnapshot[];
}

/**
 * A window of outcomes with its opening rule. Only `record` and `clear`
 * change it: `verdict` and `snapshot` are reads, and a read at any time
 * (even a later one than the next `record`) leaves the window as it was.
 */
export interface OutcomeWindow {
  /** Adds the outcome of a call that finished at `now`. */
  record(now: number, failure: boolean, slow: boolean): void;
  /** The reason to open, judged at `now`, or `undefined` to stay closed. Changes nothing. */
  verdict(now: number): OpenReason | undefined;
  /** Forgets everything (when the breaker closes or is reset). */
  clear(): void;
  /** The contents at `now`, for the UI. Changes nothing. */
  snapshot(now: number): WindowSnapshot;
}

/** Opens after `threshold` failures in a row; any success starts the count again. */
export class ConsecutiveWindow implements OutcomeWindow {
  private consecutive = 0;
  private calls = 0;
  private failures = 0;

  constructor(private readonly threshold: number) {}

  record(_now: number, failure: boolean): void {
    this.calls++;
    if (failure) {
      this.failures++;
      this.consecutive++;
    } else this.consecutive = 0;
  }

  verdict(): OpenReason | undefined {
    return this.consecutive >= this.threshold ? 'consecutiveFailures' : undefined;
  }

  clear(): void {
    this.consecutive = 0;
    this.calls = 0;
    this.failures = 0;
  }

  snapshot(): WindowSnapshot {
    return {
      kind: 'consecutive',
      calls: this.calls,
      failures: this.failures,
      slowCalls: 0,
      failureRate: undefined,
      slowCallRate: undefined,
      consecutiveFailures: this.consecutive,
    };
  }
}

/** The thresholds shared by the rate-based windows. */
export interface RateRule {
  /** No verdict before this many calls are in the window. */
  minimumCalls: number;
  /** Open when failures / calls reaches this ratio. */
  failureRateThreshold: number;
  /** Open when slow calls / calls reaches this ratio (Infinity: never). */
  slowCallRateThreshold: number;
}

function rateVerdict(rule: RateRule, calls: number, failures: number, slow: number): OpenReason | undefined {
  if (calls === 0 || calls < rule.minimumCalls) return undefined;
  if (failures / calls >= rule.failureRateThreshold) return 'failureRate';
  if (slow / calls >= rule.slowCallRateThreshold) return 'slowCallRate';
  return undefined;
}

function rates(rule: RateRule, calls: number, failures: number, slow: number): Pick<WindowSnapshot, 'failureRate' | 'slowCallRate'> {
  const enough = calls > 0 && calls >= rule.minimumCalls;
  return { failureRate: enough ? failures / calls : undefined, slowCallRate: enough ? slow / calls : undefined };
}

const FAILURE = 1;
const SLOW = 2;

/** Keeps the outcomes of the last `size` calls in a ring. */
export class CountWindow implements OutcomeWindow {
  private readonly ring: Uint8Array;
  private next = 0;
  private calls = 0;
  private failures = 0;
  private slow = 0;

  constructor(
    size: number,
    private readonly rule: RateRule,
  ) {
    this.ring = new Uint8Array(size);
  }

  record(_now: number, failure: boolean, slow: boolean): void {
    const ring = this.ring;
    if (this.calls === ring.length) {
      const old = ring[this.next]!;
      if (old & FAILURE) this.failures--;
      if (old & SLOW) this.slow--;
    } else this.calls++;
    ring[this.next] = (failure ? FAILURE : 0) | (slow ? SLOW : 0);
    if (failure) this.failures++;
    if (slow) this.slow++;
    this.next = this.next + 1 === ring.length ? 0 : this.next + 1;
  }

  verdict(): OpenReason | undefined {
    return rateVerdict(this.rule, this.calls, this.failures, this.slow);
  }

  clear(): void {
    this.ring.fill(0);
    this.next = 0;
    this.calls = 0;
    this.failures = 0;
    this.slow = 0;
  }

  snapshot(): WindowSnapshot {
    return { kind: 'count', calls: this.calls, failures: this.failures, slowCalls: this.slow, ...rates(this.rule, this.calls, this.failures, this.slow) };
  }
}

/**
 * Keeps the outcomes of the last `windowMs` of virtual time in `bucketCount`
 * buckets of `windowMs / bucketCount` each. Before every write the buckets
 * that fell out of the window are emptied, however long the breaker sat idle;
 * a read leaves them be and just does not count them. Either way an outcome
 * never outlives the window by more than one bucket.
 */
export class TimeWindow implements OutcomeWindow {
  private readonly width: number;
  private readonly calls: Float64Array;
  private readonly failures: Float64Array;
  private readonly slow: Float64Array;
  /** Absolute bucket number (floor(time / width)) of the newest bucket. */
  private latest = -1;
  private totalCalls = 0;
  private totalFailures = 0;
  private totalSlow = 0;

  constructor(
    windowMs: number,
    private readonly bucketCount: number,
    private readonly rule: RateRule,
  ) {
    this.width = windowMs / bucketCount;
    this.calls = new Float64Array(bucketCount);
    this.failures = new Float64Array(bucketCount);
    this.slow = new Float64Array(bucketCount);
  }

  /** Empties every bucket that is older than the window at `now`. */
  private advance(now: number): void {
    const current = Math.floor(now / this.width);
    if (current <= this.latest) return;
    if (current - this.latest >= this.bucketCount) {
      this.clear();
    } else {
      for (let b = this.latest + 1; b <= current; b++) {
        const i = b % this.bucketCount;
        this.totalCalls -= this.calls[i]!;
        this.totalFailures -= this.failures[i]!;
        this.totalSlow -= this.slow[i]!;
        this.calls[i] = 0;
        this.failures[i] = 0;
        this.slow[i] = 0;
      }
    }
    this.latest = current;
  }

  record(now: number, failure: boolean, slow: boolean): void {
    this.advance(now);
    const i = this.latest % this.bucketCount;
    this.calls[i]!++;
    this.totalCalls++;
    if (failure) {
      this.failures[i]!++;
      this.totalFailures++;
    }
    if (slow) {
      this.slow[i]!++;
      this.totalSlow++;
    }
  }

  verdict(now: number): OpenReason | undefined {
    const current = Math.floor(now / this.width);
    // The usual case (right after `record`): every bucket held is in the window.
    if (current <= this.latest) return rateVerdict(this.rule, this.totalCalls, this.totalFailures, this.totalSlow);
    const first = current - this.bucketCount + 1;
    return rateVerdict(this.rule, this.sumFrom(this.calls, first), this.sumFrom(this.failures, first), this.sumFrom(this.slow, first));
  }

  /** Sum of `counts` over the buckets held from absolute bucket `first` on (a read: it changes nothing). */
  private sumFrom(counts: Float64Array, first: number): number {
    let sum = 0;
    for (let b = Math.max(first, this.latest - this.bucketCount + 1, 0); b <= this.latest; b++) sum += counts[b % this.bucketCount]!;
    return sum;
  }

  clear(): void {
    this.calls.fill(0);
    this.failures.fill(0);
    this.slow.fill(0);
    this.totalCalls = 0;
    this.totalFailures = 0;
    this.totalSlow = 0;
  }

  snapshot(now: number): WindowSnapshot {
    const current = Math.max(Math.floor(now / this.width), this.latest);
    const buckets: BucketSnapshot[] = [];
    let calls = 0;
    let failures = 0;
    let slowCalls = 0;
    for (let b = current - this.bucketCount + 1; b <= current; b++) {
      if (b < 0) continue;
      const bucket: BucketSnapshot = { start: b * this.width, end: (b + 1) * this.width, calls: 0, failures: 0, slowCalls: 0 };
      // Buckets after the newest one held are empty (their ring slots still hold older outcomes).
      if (b <= this.latest) {
        const i = b % this.bucketCount;
        bucket.calls = this.calls[i]!;
        bucket.failures = this.failures[i]!;
        bucket.slowCalls = this.slow[i]!;
        calls += bucket.calls;
        failures += bucket.failures;
        slowCalls += bucket.slowCalls;
      }
      buckets.push(bucket);
    }
    return { kind: 'time', calls, failures, slowCalls, ...rates(this.rule, calls, failures, slowCalls), buckets };
  }
}
