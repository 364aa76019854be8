import type { Rng } from './rng.js';
import type { TimerHandle, VirtualScheduler } from './scheduler.js';

/** What {@link bindGlobals} needs from a world. */
export interface GlobalsSource {
  readonly scheduler: VirtualScheduler;
  readonly rng: Rng;
  /** Wall-clock time (ms since 1970) that virtual time 0 stands for. */
  readonly epoch: number;
}

type AnyFn = (...args: any[]) => any;

/**
 * For the duration of one run, makes a global object's `setTimeout`,
 * `setInterval`, `setImmediate`, their `clear…` functions, `Date`,
 * `performance.now`, `Math.random` and `crypto.randomUUID` read the world's
 * virtual clock and seeded generator, so code written for real time runs
 * unchanged (and reproducibly) in virtual time. Returns the function that
 * puts every original back; call it in a `finally`.
 *
 * @example
 * const restore = bindGlobals(world);
 * try { await userCode(); await world.run(); } finally { restore(); }
 */
export function bindGlobals(world: GlobalsSource, target: typeof globalThis = globalThis): () => void {
  const g = target as unknown as Record<string, any>;
  const { scheduler } = world;
  const random = world.rng.fork('globals');
  const timers = new Map<number, TimerHandle>();
  let nextId = 1;
  const restores: Array<() => void> = [];

  const replace = (obj: Record<string, any> | undefined, key: string, value: unknown) => {
    if (!obj) return;
    const had = Object.prototype.hasOwnProperty.call(obj, key);
    const desc = Object.getOwnPropertyDescriptor(obj, key);
    Object.defineProperty(obj, key, { value, writable: true, configurable: true, enumerable: desc?.enumerable ?? false });
    restores.push(() => {
      if (had && desc) Object.defineProperty(obj, key, desc);
      else delete obj[key];
    });
  };

  const toId = (h: unknown): number | undefined => {
    if (typeof h === 'number') return h;
    if (h && typeof h === 'object' && typeof (h as { id?: unknown }).id === 'number') return (h as { id: number }).id;
    return undefined;
  };
  const clear = (h: unknown) => {
    const id = toId(h);
    if (id === undefined) return;
    timers.get(id)?.cancel();
    timers.delete(id);
  };
  const setTimeoutV = (fn: AnyFn | string, ms?: number, ...args: unknown[]) => {
    if (typeof fn !== 'function') throw new TypeError('setTimeout: the callback must be a function (strings are not evaluated)');
    const id = nextId++;
    timers.set(
      id,
      scheduler.after(Number(ms) || 0, () => {
        timers.delete(id);
        fn(...args);
      }),
    );
    return id;
  };
  const setIntervalV = (fn: AnyFn | string, ms?: number, ...args: unknown[]) => {
    if (typeof fn !== 'function') throw new TypeError('setInterval: the callback must be a function (strings are not evaluated)');
    const id = nextId++;
    const period = Math.max(1, Number(ms) || 0);
    const tick = () => {
      timers.set(id, scheduler.after(period, tick));
      fn(...args);
    };
    timers.set(id, scheduler.after(period, tick));
    return id;
  };
  const setImmediateV = (fn: AnyFn, ...args: unknown[]) => setTimeoutV(fn, 0, ...args);

  replace(g, 'setTimeout', setTimeoutV);
  replace(g, 'setInterval', setIntervalV);
  replace(g, 'clearTimeout', clear);
  replace(g, 'clearInterval', clear);
  if (typeof g['setImmediate'] === 'function') {
    replace(g, 'setImmediate', setImmediateV);
    replace(g, 'clearImmediate', clear);
  }

  const RealDate = g['Date'] as DateConstructor;
  const epoch = world.epoch;
  const nowMs = () => epoch + scheduler.now();
  // Dates live in UTC during a run, whatever the viewer's time zone: components given to the
  // constructor are UTC, and a date-time string without an offset is read as UTC.
  const parseUtc = (text: string): number => RealDate.parse(/^\d{4}-\d{2}-\d{2}T[^Z+-]*$/.test(text.trim()) ? `${text.trim()}Z` : text);
  class VirtualDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(nowMs());
      else if (args.length === 1) super(typeof args[0] === 'string' ? parseUtc(args[0]) : (args[0] as number));
      else super(RealDate.UTC(...(args as [number, number])));
    }
    static override now(): number {
      return nowMs();
    }
    static override parse(text: string): number {
      return parseUtc(String(text));
    }
  }
  pinToUtc(VirtualDate.prototype as unknown as Record<string, unknown>, RealDate.prototype);
  // `Date()` called without `new` returns a string, as the real one does.
  const DateProxy = new Proxy(VirtualDate, {
    apply: () => new VirtualDate().toString(),
  });
  replace(g, 'Date', DateProxy);

  replace(g['Math'], 'random', () => random.next());
  if (g['performance']) replace(g['performance'], 'now', () => scheduler.now());
  const crypto = g['crypto'] as Record<string, unknown> | undefined;
  if (crypto) {
    replace(crypto, 'randomUUID', () => random.uuid());
    replace(crypto, 'getRandomValues', <T extends ArrayBufferView | null>(array: T): T => {
      if (array) {
        const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
        for (let i = 0; i < bytes.length; i++) bytes[i] = random.nextUint32() & 0xff;
      }
      return array;
    });
  }
  // AbortSignal.timeout(ms) aborts in virtual time too.
  const AbortSignalCtor = g['AbortSignal'] as (typeof AbortSignal & Record<string, unknown>) | undefined;
  const AbortControllerCtor = g['AbortController'] as typeof AbortController | undefined;
  if (AbortSignalCtor && AbortControllerCtor && typeof AbortSignalCtor.timeout === 'function') {
    replace(AbortSignalCtor, 'timeout', (ms: number) => {
      const controller = new AbortControllerCtor();
      const reason = () => {
        try {
          return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
        } catch {
          return new Error('The operation was aborted due to timeout');
        }
      };
      scheduler.after(Number(ms) || 0, () => controller.abort(reason()));
      return controller.signal;
    });
  }

  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    for (const id of timers.keys()) timers.get(id)?.cancel();
    timers.clear();
    for (let i = restores.length - 1; i >= 0; i--) restores[i]!();
  };
}

const UTC_TWINS = ['FullYear', 'Month', 'Date', 'Day', 'Hours', 'Minutes', 'Seconds', 'Milliseconds'] as const;

/**
 * Makes dates created during a run read and print in UTC whatever the
 * viewer's time zone, so a shared run gives the same trace everywhere:
 * local getters and setters use their UTC twins, `getTimezoneOffset()` is 0,
 * and the string forms are those of the UTC zone.
 */
function pinToUtc(proto: Record<string, unknown>, real: Date): void {
  const define = (name: string, fn: (this: Date, ...args: any[]) => unknown) =>
    Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true, enumerable: false });
  const r = real as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const part of UTC_TWINS) {
    define(`get${part}`, function (this: Date) {
      return r[`getUTC${part}`]!.call(this);
    });
    if (part !== 'Day')
      define(`set${part}`, function (this: Date, ...args: unknown[]) {
        return r[`setUTC${part}`]!.apply(this, args);
      });
  }
  define('getTimezoneOffset', () => 0);
  const utc = { timeZone: 'UTC' } as const;
  define('toString', function (this: Date) {
    return Number.isNaN(this.getTime()) ? 'Invalid Date' : `${this.toDateString()} ${this.toTimeString()}`;
  });
  define('toDateString', function (this: Date) {
    if (Number.isNaN(this.getTime())) return 'Invalid Date';
    const [wd, d, mo, y] = real.toUTCString.call(this).replace(',', '').split(' ');
    return `${wd} ${mo} ${d} ${y}`;
  });
  define('toTimeString', function (this: Date) {
    if (Number.isNaN(this.getTime())) return 'Invalid Date';
    return `${real.toISOString.call(this).slice(11, 19)} GMT+0000 (Coordinated Universal Time)`;
  });
  define('toLocaleString', function (this: Date, locales?: string | string[], options?: Intl.DateTimeFormatOptions) {
    return real.toLocaleString.call(this, locales ?? 'en-US', { ...options, ...utc });
  });
  define('toLocaleDateString', function (this: Date, locales?: string | string[], options?: Intl.DateTimeFormatOptions) {
    return real.toLocaleDateString.call(this, locales ?? 'en-US', { ...options, ...utc });
  });
  define('toLocaleTimeString', function (this: Date, locales?: string | string[], options?: Intl.DateTimeFormatOptions) {
    return real.toLocaleTimeString.call(this, locales ?? 'en-US', { ...options, ...utc });
  });
}

