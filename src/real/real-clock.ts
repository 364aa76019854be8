import { performance } from 'node:perf_hooks';
import type { TimerHandle } from '../sim/index.js';
import type { HostClock } from '../playground/host.js';

/** Options of {@link RealClock}. */
export interface RealClockOptions {
  /**
   * How many times faster the program's time runs than the wall clock
   * (default 1). With 10, `sleep(60_000)` takes 6 s; the real network and
   * processing time is not scaled, so in the program's time it looks 10×
   * longer.
   */
  timeScale?: number;
}

/**
 * The clock of a real run: the program's time is the wall-clock time since
 * the run started (times `timeScale`), in whole milliseconds like
 * `Date.now()`. It is the clock the resilience patterns, the HTTP timeouts
 * and the fault plan use in real mode, through the same `now()` / `after()`
 * as the simulation's scheduler.
 *
 * While the program loads, the clock stands still as long as the program
 * waits for infrastructure ({@link hold}): connecting to RabbitMQ, opening
 * channels, declaring queues, servers starting to listen. In the simulation
 * these take a millisecond or two; here they take tens or hundreds, which
 * would otherwise pass before the program's first step and shift it against
 * the fault plan's windows. Once the program has loaded ({@link loaded}),
 * nothing stops the clock.
 *
 * @example
 * const clock = new RealClock({ timeScale: 10 });
 * await clock.sleep(1_000); // 100 ms of wall-clock time
 * clock.now();              // about 1000
 */
export class RealClock implements HostClock {
  readonly timeScale: number;
  /** Wall-clock time (ms since 1970) at the run's time 0. */
  readonly epoch: number;
  private readonly startedAt: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private loading = true;
  /** Operations holding the clock, since when, and real ms it stood still before. */
  private holds = 0;
  private heldSince = 0;
  private heldMs = 0;

  constructor(options: RealClockOptions = {}) {
    const scale = options.timeScale ?? 1;
    if (!(typeof scale === 'number' && Number.isFinite(scale) && scale > 0)) throw new RangeError(`time scale must be a number above 0 (got ${String(scale)})`);
    this.timeScale = scale;
    this.epoch = Date.now();
    this.startedAt = performance.now();
  }

  /** The program's time: ms since the run started, less the time it stood still. */
  now(): number {
    const real = performance.now();
    const still = this.heldMs + (this.holds > 0 ? real - this.heldSince : 0);
    return Math.floor((real - this.startedAt - still) * this.timeScale);
  }

  /**
   * While the program is loading, stops the clock until `work` settles (it
   * runs on when every hold has ended); afterwards, does nothing. Settles as
   * `work` does.
   */
  async hold<T>(work: Promise<T>): Promise<T> {
    if (!this.loading) return work;
    if (this.holds++ === 0) this.heldSince = performance.now();
    try {
      // Awaited here (not a bare then()), so an error's async stack still leads to the program's line.
      return await work;
    } finally {
      if (--this.holds === 0) this.heldMs += performance.now() - this.heldSince;
    }
  }

  /** The program has loaded: from now on, {@link hold} no longer stops the clock. */
  loaded(): void {
    this.loading = false;
  }

  /** Wall-clock ms that the program sees as "now" (`Date.now()` in its code). */
  wallNow(): number {
    return this.epoch + this.now();
  }

  /** Real milliseconds that `ms` of the program's time take. */
  toRealMs(ms: number): number {
    const n = Number(ms);
    return n > 0 && Number.isFinite(n) ? n / this.timeScale : 0;
  }

  /** Calls `fn` after `delay` ms of the program's time. */
  after(delay: number, fn: () => void): TimerHandle {
    let done = false;
    const time = this.now() + Math.max(0, Number(delay) || 0);
    const timers = this.timers;
    let timer: NodeJS.Timeout;
    const arm = (ms: number) => {
      timer = setTimeout(() => {
        timers.delete(timer);
        // Node's timers may fire up to a millisecond early (times the scale in the program's
        // time), and a hold stops the clock meanwhile: wait out the rest, so a callback never
        // sees a time before the one it asked for.
        if (this.now() < time) return arm(this.toRealMs(time - this.now()) + 0.5);
        done = true;
        fn();
      }, ms);
      timers.add(timer);
    };
    arm(this.toRealMs(delay));
    return {
      time,
      get done() {
        return done;
      },
      cancel() {
        if (done) return;
        done = true;
        clearTimeout(timer);
        timers.delete(timer);
      },
    };
  }

  /** Calls `fn` when the program's time reaches `time` (soon, when it has passed already). */
  at(time: number, fn: () => void): TimerHandle {
    return this.after(time - this.now(), fn);
  }

  /** Resolves after `ms` of the program's time. */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.after(ms, resolve);
    });
  }

  /** Cancels every timer still waiting (at shutdown, so nothing fires after it). */
  cancelAll(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
