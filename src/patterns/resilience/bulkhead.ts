import type { TraceRecorder } from '../../sim/trace.js';
import { BulkheadRejectedError, OperationCanceledError } from './errors.js';
import { integerAtLeast, InvalidOptionError } from '../options.js';
import type { Policy, PolicyFn } from './policy.js';

/** Options of {@link Bulkhead}. */
export interface BulkheadOptions {
  /** Name in errors and the trace; default `bulkhead`. */
  name?: string;
  /** Calls that may run at the same time. */
  maxConcurrent: number;
  /** Calls that may wait for a slot (first come, first served); default 0: no waiting. */
  maxQueue?: number;
  /** Trace to record `bulkhead.rejected` in. */
  trace?: TraceRecorder;
}

interface Waiter {
  start(): void;
}

const OWNER = 'bulkhead';

/**
 * Limits how many calls run at once, so one slow dependency cannot take up
 * every resource of the caller. Calls beyond the limit wait in a bounded
 * queue; when that is full too, they are refused at once with
 * {@link BulkheadRejectedError}. A waiting call leaves the queue when its
 * signal aborts.
 *
 * @example
 * const bulkhead = new Bulkhead({ maxConcurrent: 4, maxQueue: 8 });
 * await bulkhead.execute(() => http.get('http://reports/big'));
 */
export class Bulkhead implements Policy {
  readonly name: string;
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  private readonly trace: TraceRecorder | undefined;
  private running = 0;
  private readonly waiting: Waiter[] = [];
  /** Calls refused since the bulkhead was made. */
  rejected = 0;

  constructor(options: BulkheadOptions) {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError(OWNER, 'options', 'an object', options);
    this.name = options.name ?? 'bulkhead';
    this.maxConcurrent = integerAtLeast(OWNER, 'maxConcurrent', options.maxConcurrent, 1);
    this.maxQueue = options.maxQueue === undefined ? 0 : integerAtLeast(OWNER, 'maxQueue', options.maxQueue, 0);
    this.trace = options.trace;
  }

  /** Calls running now. */
  get active(): number {
    return this.running;
  }

  /** Calls waiting now. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `fn` when a slot is free. */
  execute<T>(fn: PolicyFn<T>, signal?: AbortSignal): Promise<T> {
    if (signal !== undefined && signal.aborted) return Promise.reject(new OperationCanceledError(this.name, { cause: signal.reason }));
    if (this.running < this.maxConcurrent) return this.run(fn, signal);
    if (this.waiting.length < this.maxQueue) return this.enqueue(fn, signal);
    this.rejected++;
    this.trace?.record('bulkhead.rejected', { source: this.name, bulkhead: this.name, active: this.running, queued: this.waiting.length });
    return Promise.reject(new BulkheadRejectedError(this.name, this.running, this.waiting.length));
  }

  private async run<T>(fn: PolicyFn<T>, signal: AbortSignal | undefined): Promise<T> {
    this.running++;
    try {
      return await fn({ signal });
    } finally {
      this.running--;
      this.waiting.shift()?.start();
    }
  }

  private enqueue<T>(fn: PolicyFn<T>, signal: AbortSignal | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new OperationCanceledError(this.name, { cause: signal!.reason }));
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.run(fn, signal).then(resolve, reject);
        },
      };
      this.waiting.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
