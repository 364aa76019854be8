import type { TraceRecorder } from '../../sim/trace.js';
import { OperationCanceledError, TimeoutRejectedError } from './errors.js';
import { InvalidOptionError, oneOf, positive } from '../options.js';
import { describeError, linkedController, type Clock, type Policy, type PolicyFn } from './policy.js';
import type { TimeoutStrategy } from './trace-events.js';

export type { TimeoutStrategy } from './trace-events.js';

/** Options of {@link TimeoutPolicy}. */
export interface TimeoutOptions {
  /** Name in errors and the trace; default `timeout`. */
  name?: string;
  /** The world's scheduler. */
  clock: Clock;
  /** Limit in ms of virtual time. */
  timeoutMs: number;
  /**
   * - `cooperative` (default): at the limit the callee's `ctx.signal` is
   *   aborted and the policy waits for the callee to stop; it then rejects
   *   with {@link TimeoutRejectedError}. A callee that ignores the signal is
   *   waited for to the end (and its result returned).
   * - `aggressive`: at the limit the signal is aborted too, but the policy
   *   rejects at once without waiting. A callee that ignores the signal
   *   keeps running in the background; when it finishes, a `timeout.orphan`
   *   trace event shows it.
   */
  strategy?: TimeoutStrategy;
  /** Trace to record `timeout.fired` and `timeout.orphan` in. */
  trace?: TraceRecorder;
}

const OWNER = 'timeout';

/**
 * Bounds how long a call may take.
 *
 * @example
 * const timeout = new TimeoutPolicy({ clock: world.scheduler, timeoutMs: 2_000 });
 * await timeout.execute(({ signal }) => http.get('http://slow/report', { signal }));
 */
export class TimeoutPolicy implements Policy {
  readonly name: string;
  readonly timeoutMs: number;
  readonly strategy: TimeoutStrategy;
  private readonly clock: Clock;
  private readonly trace: TraceRecorder | undefined;

  constructor(options: TimeoutOptions) {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError(OWNER, 'options', 'an object', options);
    this.name = options.name ?? 'timeout';
    if (!options.clock || typeof options.clock.after !== 'function') throw new InvalidOptionError(OWNER, 'clock', 'the world scheduler (an object with now() and after())', options.clock);
    this.clock = options.clock;
    this.timeoutMs = positive(OWNER, 'timeoutMs', options.timeoutMs);
    this.strategy = options.strategy === undefined ? 'cooperative' : oneOf(OWNER, 'strategy', options.strategy, ['cooperative', 'aggressive']);
    this.trace = options.trace;
  }

  /** Runs `fn` with a time limit. */
  execute<T>(fn: PolicyFn<T>, signal?: AbortSignal): Promise<T> {
    if (signal !== undefined && signal.aborted) return Promise.reject(new OperationCanceledError(this.name, { cause: signal.reason }));
    return this.strategy === 'cooperative' ? this.cooperative(fn, signal) : this.aggressive(fn, signal);
  }

  private fired(): TimeoutRejectedError {
    this.trace?.record('timeout.fired', { source: this.name, policy: this.name, timeoutMs: this.timeoutMs, strategy: this.strategy });
    return new TimeoutRejectedError(this.name, this.timeoutMs);
  }

  private async cooperative<T>(fn: PolicyFn<T>, signal: AbortSignal | undefined): Promise<T> {
    const { controller, dispose } = linkedController(signal);
    let timedOut = false;
    const timer = this.clock.after(this.timeoutMs, () => {
      timedOut = true;
      controller.abort(this.fired());
    });
    try {
      return await fn({ signal: controller.signal });
    } catch (error) {
      if (timedOut && !(signal !== undefined && signal.aborted)) throw new TimeoutRejectedError(this.name, this.timeoutMs, { cause: error });
      throw error;
    } finally {
      timer.cancel();
      dispose();
    }
  }

  private aggressive<T>(fn: PolicyFn<T>, signal: AbortSignal | undefined): Promise<T> {
    const { controller, dispose } = linkedController(signal);
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let firedAt: number | undefined;
      const finish = () => {
        settled = true;
        timer.cancel();
        dispose();
        signal?.removeEventListener('abort', onCallerAbort);
      };
      const onCallerAbort = () => {
        if (settled) return;
        finish();
        reject(new OperationCanceledError(this.name, { cause: signal!.reason }));
      };
      const timer = this.clock.after(this.timeoutMs, () => {
        if (settled) return;
        const error = this.fired();
        firedAt = this.clock.now();
        finish();
        controller.abort(error);
        reject(error);
      });
      signal?.addEventListener('abort', onCallerAbort, { once: true });
      const orphan = (outcome: 'resolved' | 'rejected', error?: unknown) => {
        if (firedAt === undefined) return; // the caller cancelled: not a timeout
        this.trace?.record('timeout.orphan', {
          source: this.name,
          policy: this.name,
          outcome,
          afterMs: this.clock.now() - firedAt,
          ...(outcome === 'rejected' ? { error: describeError(error) } : {}),
        });
      };
      let work: PromiseLike<T> | T;
      try {
        work = fn({ signal: controller.signal });
      } catch (error) {
        finish();
        reject(error);
        return;
      }
      Promise.resolve(work).then(
        (value) => {
          if (settled) return orphan('resolved');
          finish();
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return orphan('rejected', error);
          finish();
          reject(error);
        },
      );
    });
  }
}
