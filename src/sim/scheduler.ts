import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { TimerHeap, type HeapEntry } from './timer-heap.js';

/**
 * Waits for one real task of the host (a macrotask), so that every microtask
 * queued so far, and every microtask those queue in turn, has run. `task`,
 * where present, is the same hop in callback form (the callback runs as the
 * real task itself), which spares the scheduler a promise per hop.
 */
export type Hop = (() => Promise<void>) & { task?: (cb: () => void) => void };

/** A handle to a scheduled callback. */
export interface TimerHandle {
  /** Virtual time at which the callback is (or was) due. */
  readonly time: number;
  /** Prevents the callback from running; harmless when it already ran. */
  cancel(): void;
  /** True once the callback ran or was cancelled. */
  readonly done: boolean;
}

/** Options for {@link VirtualScheduler.at} and {@link VirtualScheduler.after}. */
export interface ScheduleOptions {
  /**
   * Set for kernel bookkeeping that is known to be synchronous: it neither
   * calls user code nor settles a promise. Such callbacks run back to back
   * without a real-task hop. Everything else (the default) is followed by a
   * hop, so all the promise work it started finishes before the next callback.
   */
  sync?: boolean;
}

/** Why {@link VirtualScheduler.run} returned. */
export type StopReason = 'quiescent' | 'horizon' | 'budget' | 'error' | 'stopped';

/** Limits for one call of {@link VirtualScheduler.run}. */
export interface RunOptions {
  /** Stop before any callback due after this virtual time (ms); the clock then reads the horizon. */
  horizon?: number;
  /** Stop after this many callbacks have run. */
  maxEvents?: number;
}

/** What {@link VirtualScheduler.run} reports. */
export interface RunOutcome {
  reason: StopReason;
  /** Virtual time when the run stopped. */
  time: number;
  /** Callbacks run by this call. */
  events: number;
  /** The error a callback threw, when `reason` is `'error'`. */
  error?: unknown;
}

class Entry implements HeapEntry, TimerHandle {
  done = false;
  index = -1;
  constructor(
    readonly time: number,
    readonly seq: number,
    readonly fn: () => void,
    readonly sync: boolean,
    private readonly owner: VirtualScheduler,
  ) {}
  cancel(): void {
    if (!this.done) {
      this.done = true;
      this.owner.unschedule(this);
    }
  }
}

/** Finds the host's cheapest real-task hop: `setImmediate`, `scheduler.postTask` or a `MessageChannel`. */
export function hostHop(host: typeof globalThis = globalThis): Hop {
  const g = host as unknown as Record<string, unknown>;
  const setImmediateFn = g['setImmediate'] as ((cb: () => void) => unknown) | undefined;
  if (typeof setImmediateFn === 'function') {
    const si = setImmediateFn.bind(host);
    return () => new Promise<void>((resolve) => void si(resolve));
  }
  const postTask = (g['scheduler'] as { postTask?: (cb: () => void) => Promise<void> } | undefined)?.postTask;
  if (typeof postTask === 'function') {
    const sched = g['scheduler'];
    const hop: Hop = () => postTask.call(sched, () => undefined);
    hop.task = (cb) => void postTask.call(sched, cb);
    return hop;
  }
  const MC = g['MessageChannel'] as typeof MessageChannel | undefined;
  if (typeof MC === 'function') {
    const channel = new MC();
    const waiting: Array<() => void> = [];
    channel.port1.onmessage = () => waiting.shift()?.();
    const hop: Hop = () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(0);
      });
    hop.task = (cb) => {
      waiting.push(cb);
      channel.port2.postMessage(0);
    };
    return hop;
  }
  throw new Error('No real-task hop available: the host has neither setImmediate, scheduler.postTask nor MessageChannel.');
}

/** The host's real-task hop in callback form: `setImmediate` where there is one, else {@link hostHop}. */
export function hostTask(host: typeof globalThis = globalThis): (cb: () => void) => void {
  const setImmediateFn = (host as unknown as Record<string, unknown>)['setImmediate'] as ((cb: () => void) => unknown) | undefined;
  if (typeof setImmediateFn === 'function') {
    const si = setImmediateFn.bind(host);
    return (cb) => void si(cb);
  }
  const hop = hostHop(host);
  return hop.task ?? ((cb) => void hop().then(cb));
}

/**
 * The virtual clock and event loop of a world.
 *
 * Time only moves when {@link run} takes the next due callback from its heap.
 * After each callback that may have started promise work, the scheduler waits
 * for one real task of the host, so an `await` chain of any depth finishes
 * before virtual time moves on. A 60-second sleep therefore completes at once,
 * and `now()` reads 60000 after it.
 *
 * @example
 * const s = new VirtualScheduler();
 * const sleep = (ms: number) => new Promise<void>((r) => s.after(ms, r));
 * (async () => { await sleep(60_000); console.log(s.now()); })(); // 60000
 * await s.run();
 */
export class VirtualScheduler {
  private heap = new TimerHeap<Entry>();
  private clock = 0;
  private counter = 0;
  private running = false;
  private stopRequested = false;
  /** Callbacks run since the world began. */
  eventsRun = 0;
  private readonly hop: Hop;
  /** Runs a callback in the host's next real task (the hop, without a promise when the host allows). */
  private readonly task: (cb: () => void) => void;
  /** The RxJS face of this scheduler, for `delay(ms, scheduler.rx)` and friends. */
  readonly rx: SchedulerLike;

  constructor(options: { hop?: Hop; start?: number } = {}) {
    this.hop = options.hop ?? hostHop();
    const hop = this.hop;
    this.task = options.hop ? (options.hop.task ?? ((cb) => void hop().then(cb))) : hostTask();
    this.clock = options.start ?? 0;
    this.rx = new RxVirtualScheduler(this);
  }

  /** @internal takes a cancelled entry out of the heap */
  unschedule(entry: Entry): void {
    this.heap.remove(entry);
  }

  /** Current virtual time in milliseconds. */
  now(): number {
    return this.clock;
  }

  /** Number of callbacks waiting to run. */
  get pending(): number {
    return this.heap.size;
  }

  /** True while {@link run} is executing. */
  get isRunning(): boolean {
    return this.running;
  }

  /**
   * Schedules `fn` at virtual time `time` (never earlier than now).
   * Callbacks due at the same time run in the order they were scheduled.
   */
  at(time: number, fn: () => void, options?: ScheduleOptions): TimerHandle {
    if (typeof fn !== 'function') throw new TypeError('schedule: callback must be a function');
    const entry = new Entry(Number.isNaN(time) ? this.clock : Math.max(time, this.clock), this.counter++, fn, options?.sync === true, this);
    // Due at +Infinity means never: the handle exists, nothing waits in the heap.
    if (entry.time !== Infinity) this.heap.push(entry);
    return entry;
  }

  /** Schedules `fn` after `delay` ms of virtual time (a negative or NaN delay counts as 0). */
  after(delay: number, fn: () => void, options?: ScheduleOptions): TimerHandle {
    const d = delay > 0 ? delay : 0;
    return this.at(this.clock + d, fn, options);
  }

  /** A promise that resolves after `ms` of virtual time. */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.after(ms, resolve);
    });
  }

  /** Asks a running {@link run} to return after the current callback. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Waits for one real task of the host: all ready promise work runs first. */
  settle(): Promise<void> {
    return this.hop();
  }

  /**
   * Runs callbacks in virtual-time order until nothing is left (quiescence),
   * the horizon is reached, the event budget is spent, a callback throws, or
   * {@link stop} is called.
   */
  run(options: RunOptions = {}): Promise<RunOutcome> {
    if (this.running) return Promise.reject(new Error('VirtualScheduler.run: already running'));
    const horizon = options.horizon ?? Infinity;
    const maxEvents = options.maxEvents ?? Infinity;
    if (Number.isNaN(horizon)) return Promise.reject(new RangeError('run: horizon must be a number'));
    this.running = true;
    this.stopRequested = false;
    let events = 0;
    const heap = this.heap;
    const task = this.task;
    return new Promise<RunOutcome>((resolve) => {
      const finish = (outcome: RunOutcome) => {
        this.running = false;
        resolve(outcome);
      };
      // One real task per callback that may start promise work: driven by callbacks rather than
      // `await`, so a hop costs one host task and nothing more.
      const step = (): void => {
        for (;;) {
          if (this.stopRequested) return finish(this.outcome('stopped', events));
          const entry = heap.peek();
          if (entry === undefined) {
            // Let any straggling promise work schedule more before calling it quiet.
            return task(() => (heap.size > 0 ? step() : finish(this.outcome('quiescent', events))));
          }
          if (entry.time > horizon) {
            this.clock = Math.max(this.clock, horizon);
            return finish(this.outcome('horizon', events));
          }
          if (events >= maxEvents) return finish(this.outcome('budget', events));
          heap.pop();
          entry.done = true;
          this.clock = entry.time;
          events++;
          this.eventsRun++;
          try {
            entry.fn();
          } catch (error) {
            return task(() => finish({ ...this.outcome('error', events), error }));
          }
          if (!entry.sync) return task(step);
        }
      };
      task(step);
    });
  }

  private outcome(reason: StopReason, events: number): RunOutcome {
    return { reason, time: this.clock, events };
  }
}

class RxAction<T> extends Subscription implements SchedulerAction<T> {
  private handle: TimerHandle | undefined;
  constructor(
    private readonly owner: VirtualScheduler,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super(() => this.handle?.cancel());
  }
  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.handle?.cancel();
    this.handle = this.owner.after(delay, () => {
      this.handle = undefined;
      if (!this.closed) this.work.call(this, state);
    });
    return this;
  }
}

/** RxJS `SchedulerLike` over a {@link VirtualScheduler}. */
class RxVirtualScheduler implements SchedulerLike {
  constructor(private readonly owner: VirtualScheduler) {}
  now(): number {
    return this.owner.now();
  }
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    return new RxAction<T>(this.owner, work).schedule(state, delay);
  }
}
