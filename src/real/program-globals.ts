import type { Rng, TimerHandle } from '../sim/index.js';
import type { RealClock } from './real-clock.js';

/** A timer of the program: a number, as in the simulation. */
export type ProgramTimer = number;

/** The globals a program's own code sees in real mode instead of Node's. */
export interface ProgramGlobals {
  setTimeout: (fn: (...args: any[]) => void, ms?: number, ...args: any[]) => ProgramTimer;
  setInterval: (fn: (...args: any[]) => void, ms?: number, ...args: any[]) => ProgramTimer;
  clearTimeout: (t: ProgramTimer | undefined) => void;
  clearInterval: (t: ProgramTimer | undefined) => void;
  Date: DateConstructor;
  performance: { now(): number; readonly timeOrigin: number };
  Math: Math;
  /** Cancels every timer the program left (at shutdown). */
  clearAll(): void;
  /** Called by the program's first line: says that its code starts running, and returns these globals. */
  enter(): ProgramGlobals;
}

/** Where the program's module finds its {@link ProgramGlobals}. */
export const PROGRAM_GLOBALS = Symbol.for('spp.programGlobals');

/**
 * One line put before the program's first line (so line numbers stay):
 * inside the program's module, timers, `Date`, `performance` and
 * `Math.random` are the run's, while amqplib, Express and Node keep the
 * real ones.
 */
export const PROGRAM_PRELUDE = `const { setTimeout, setInterval, clearTimeout, clearInterval, Date, performance, Math } = globalThis[Symbol.for('spp.programGlobals')].enter();`;

/**
 * The run's time and randomness as a program expects to find them: timers
 * on the program's clock (see `--time-scale`; an interval ticks at exact
 * multiples of its period, as in the simulation), `Date` and
 * `performance.now()` reading it, and `Math.random` drawing from the run's
 * seeded generator (the `globals` fork, as in the simulation).
 *
 * @example
 * (globalThis as any)[PROGRAM_GLOBALS] = programGlobals(clock, rng, { onEnter: () => console.log('the program starts') });
 */
export function programGlobals(clock: RealClock, rng: Rng, options: { onEnter?: () => void } = {}): ProgramGlobals {
  const timers = new Map<ProgramTimer, TimerHandle>();
  let nextId = 1;
  const random = rng.fork('globals');
  const RealDate = globalThis.Date;
  const onceTimer = (fn: (...args: any[]) => void, ms?: number, ...args: any[]) => {
    const id = nextId++;
    timers.set(
      id,
      clock.after(Number(ms) || 0, () => {
        timers.delete(id);
        fn(...args);
      }),
    );
    return id;
  };
  const repeating = (fn: (...args: any[]) => void, ms?: number, ...args: any[]) => {
    const id = nextId++;
    // At least 1 ms of the program's time, as in the simulation.
    const period = Math.max(1, Number(ms) || 0);
    let due = clock.now() + period;
    const tick = () => {
      due += period;
      timers.set(id, clock.at(due, tick));
      fn(...args);
    };
    timers.set(id, clock.at(due, tick));
    return id;
  };
  const clear = (t: ProgramTimer | undefined) => {
    if (t === undefined) return;
    timers.get(t)?.cancel();
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
  const globals: ProgramGlobals = {
    setTimeout: onceTimer,
    setInterval: repeating,
    clearTimeout: clear,
    clearInterval: clear,
    Date: DateFn,
    performance: { now: () => clock.now(), timeOrigin: clock.epoch },
    Math: math,
    clearAll() {
      for (const t of timers.values()) t.cancel();
      timers.clear();
    },
    enter() {
      options.onEnter?.();
      return globals;
    },
  };
  return globals;
}
