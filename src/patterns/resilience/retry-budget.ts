import { InvalidOptionError, nonNegative, positive } from '../options.js';
import type { Clock } from './policy.js';

/** Options of {@link RetryBudget}. */
export interface RetryBudgetOptions {
  /** The world's scheduler: tokens refill in virtual time. */
  clock: Clock;
  /** Most tokens the bucket holds (retries that may happen in a burst). */
  capacity: number;
  /** Tokens added per second of virtual time. */
  refillPerSecond: number;
  /** Tokens added by each call that succeeded (default 0), so a healthy flow earns its retries. */
  depositPerSuccess?: number;
  /** Tokens at the start; default `capacity`. */
  initialTokens?: number;
}

/**
 * A token bucket shared by every caller of a service, to stop retry storms:
 * each retry takes one token, and when none is left callers give up at once
 * instead of piling more load on a struggling service.
 *
 * @example
 * const budget = new RetryBudget({ clock: world.scheduler, capacity: 10, refillPerSecond: 1 });
 * const a = new RetryPolicy({ clock, rng: rng.fork('a'), budget });
 * const b = new RetryPolicy({ clock, rng: rng.fork('b'), budget }); // same budget
 */
export class RetryBudget {
  private readonly clock: Clock;
  readonly capacity: number;
  readonly refillPerSecond: number;
  readonly depositPerSuccess: number;
  private level: number;
  private refilledAt: number;
  /** Retries refused for want of a token. */
  refused = 0;

  constructor(options: RetryBudgetOptions) {
    const owner = 'retryBudget';
    this.clock = options.clock;
    this.capacity = positive(owner, 'capacity', options.capacity);
    this.refillPerSecond = nonNegative(owner, 'refillPerSecond', options.refillPerSecond);
    this.depositPerSuccess = options.depositPerSuccess === undefined ? 0 : nonNegative(owner, 'depositPerSuccess', options.depositPerSuccess);
    const initial = options.initialTokens === undefined ? this.capacity : nonNegative(owner, 'initialTokens', options.initialTokens);
    if (initial > this.capacity) throw new InvalidOptionError(owner, 'initialTokens', `a number ≤ capacity (${this.capacity})`, initial);
    this.level = initial;
    this.refilledAt = this.clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    if (now > this.refilledAt) {
      this.level = Math.min(this.capacity, this.level + ((now - this.refilledAt) / 1000) * this.refillPerSecond);
      this.refilledAt = now;
    }
  }

  /** Tokens available now. */
  get tokens(): number {
    this.refill();
    return this.level;
  }

  /** Takes one token for a retry; false (and nothing taken) when less than one is left. */
  tryWithdraw(): boolean {
    this.refill();
    if (this.level >= 1) {
      this.level -= 1;
      return true;
    }
    this.refused++;
    return false;
  }

  /** Called by a retry policy when a call succeeds: adds `depositPerSuccess`. */
  recordSuccess(): void {
    if (this.depositPerSuccess === 0) return;
    this.refill();
    this.level = Math.min(this.capacity, this.level + this.depositPerSuccess);
  }
}
