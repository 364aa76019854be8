import type { Rng } from '../sim/index.js';
import type { RealClock } from './real-clock.js';

/** The globals a program's own code sees in real mode instead of Node's. */
export interface ProgramGlobals {
  setTimeout: (fn: (...args: any[]) => void, ms?: number, ...args: any[]) => NodeJS.Timeout;
  setInterval: (fn: (...args: any[]) => void, ms?: number, ...args: any[]) => NodeJS.Timeout;
  clearTimeout: (t: NodeJS.Timeout | undefined) => void;
  clearInterval: (t: NodeJS.Timeout | undefined) => void;
  Date: DateConstructor;
  performance: { now(): number; readonly timeOrigin: number };
  Math: Math;
  /** Cancels every timer the program left (at shutdown). */
  clearAll(): void;
}

/** Where the program's module finds its {@link ProgramGlobals}. */
export const PROGRAM_GLOBALS = Symbol.for('spp.programGlobals');

/**
 * One line put before the program's first line (so line numbers stay):
 * inside the program's module, timers, `Date`, `performance` and
 * `Math.random` are the run's, while amqplib, Express and Node keep the
 * real ones.
 */
export const PROGRAM_PRELUDE = `const { setTimeout, setInterval, clearTimeout, clearInterval, Date, performance, Math } = globalThis[Symbol.for('spp.programGlobals')];`;

/**
 * The run's time and randomness as a program expects to find them: timers
 * on the program's time (see `--time-scale`), `Date` and `performance.now()`
 * reading it, and `Math.random` drawing from the run's seeded generator (the
 * `globals` fork, as in the simulation).
 *
 * @example
 * (globalThis as any)[PROGRAM_GLOBALS] = programGlobals(clock, rng);
 */
export function programGlobals(clock: RealClock, rng: Rng): ProgramGlobals {
  const timers = new Set<NodeJS.Timeout>();
  const random = rng.fork('globals');
  const RealDate = globalThis.Date;
  const onceTimer = (fn: (...args: any[]) => void, ms?: number, ...args: any[]) => {
    const t = globalThis.setTimeout(() => {
      timers.delete(t);
      fn(...args);
    }, clock.toRealMs(ms ?? 0));
    timers.add(t);
    return t;
  };
  const repeating = (fn: (...args: any[]) => void, ms?: number, ...args: any[]) => {
    // At least 1 ms of the program's time, as in the simulation.
    const t = globalThis.setInterval(fn, clock.toRealMs(Math.max(1, Number(ms) || 0)), ...args);
    timers.add(t);
    return t;
  };
  const clear = (t: NodeJS.Timeout | undefined) => {
    if (t === undefined) return;
    globalThis.clearTimeout(t);
    timers.delete(t);
  };
  class ProgramDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(clock.wallNow());
      else super(...(args as [number]));
    }
    static override now(): number {
      return clock.wallNow();
    }
  }
  // `Date()` without `new` gives a string, as the real one does.
  const DateFn = new Proxy(ProgramDate, { apply: () => new ProgramDate().toString() }) as unknown as DateConstructor;
  const math = Object.create(Math, { random: { value: () => random.next(), enumerable: false } }) as Math;
  return {
    setTimeout: onceTimer,
    setInterval: repeating,
    clearTimeout: clear,
    clearInterval: clear,
    Date: DateFn,
    performance: { now: () => clock.now(), timeOrigin: clock.epoch },
    Math: math,
    clearAll() {
      for (const t of timers) globalThis.clearTimeout(t);
      timers.clear();
    },
  };
}
