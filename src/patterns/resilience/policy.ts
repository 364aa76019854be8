import type { Rng } from '../../sim/rng.js';
import type { VirtualScheduler } from '../../sim/scheduler.js';
import { OperationCanceledError } from './errors.js';

/**
 * The part of the world's scheduler the patterns use: read the virtual time
 * and schedule a callback. Pass `world.scheduler`; in a unit test any object
 * with these two methods will do.
 */
export type Clock = Pick<VirtualScheduler, 'now' | 'after'>;

/** The part of an {@link Rng} the patterns draw from (pass a fork: `world.rng.fork('retry')`). */
export type RandomSource = Pick<Rng, 'next'>;

/** What a policy hands to the function it runs. */
export interface PolicyContext {
  /**
   * Aborted when the caller cancels or a timeout fires: pass it on
   * (`http.get(url, { signal: ctx.signal })`) so the work really stops.
   * `undefined` when nobody can cancel this call.
   */
  readonly signal: AbortSignal | undefined;
  /** Attempt number (1 for the first call), set by a retry policy. */
  readonly attempt?: number;
}

/** A function a policy runs: it may return a value or a promise. */
export type PolicyFn<T> = (ctx: PolicyContext) => T | PromiseLike<T>;

/**
 * What every resilience policy has in common, so they can be combined with
 * `wrap(...)`. `F` is the type of a value a policy may answer with instead
 * of the call's own (only a fallback has one; for the others it is `never`).
 *
 * @example
 * const result = await policy.execute(({ signal }) => http.get('http://stock/items', { signal }));
 */
export interface Policy<F = never> {
  /** Name used in errors, events and the trace. */
  readonly name: string;
  /** Runs `fn` under this policy. `signal` lets the caller cancel. */
  execute<T>(fn: PolicyFn<T>, signal?: AbortSignal): Promise<T | F>;
}

/**
 * Waits `ms` of virtual time. Rejects with {@link OperationCanceledError}
 * as soon as `signal` aborts (the timer is cancelled), or at once when it
 * already has.
 *
 * @example
 * await sleep(world.scheduler, 1_000, signal);
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal, by = 'sleep'): Promise<void> {
  if (signal?.aborted) return Promise.reject(new OperationCanceledError(by, { cause: signal.reason }));
  return new Promise<void>((resolve, reject) => {
    if (!signal) {
      clock.after(ms, resolve);
      return;
    }
    const onAbort = () => {
      timer.cancel();
      reject(new OperationCanceledError(by, { cause: signal.reason }));
    };
    const timer = clock.after(ms, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * An AbortController that also aborts when `parent` does (with the parent's
 * reason). Call `dispose()` when done so the parent keeps no listener.
 */
export function linkedController(parent: AbortSignal | undefined): { controller: AbortController; dispose: () => void } {
  const controller = new AbortController();
  if (!parent) return { controller, dispose: noop };
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, dispose: noop };
  }
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return { controller, dispose: () => parent.removeEventListener('abort', onAbort) };
}

function noop(): void {}

/** A short, JSON-safe description of an error for events and the trace. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
