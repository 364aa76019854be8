import { HttpCanceledError, HttpStatusError, HttpTimeoutError, type HttpResponse } from '../../src/sim/http-errors.js';
import type { TimerHandle } from '../../src/sim/scheduler.js';

/**
 * A clock for unit tests of the breaker: time moves only by `advance`, which
 * runs due timers in order. (Tests of waiting use a real world instead.)
 */
export class ManualClock {
  private time = 0;
  private timers: Array<{ at: number; seq: number; fn: () => void; done: boolean }> = [];
  private seq = 0;
  now(): number {
    return this.time;
  }
  after(ms: number, fn: () => void): TimerHandle {
    const t = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, done: false };
    this.timers.push(t);
    return {
      time: t.at,
      get done() {
        return t.done;
      },
      cancel: () => {
        t.done = true;
      },
    };
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.done && t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      due.done = true;
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }
}

/** Lets every pending promise reaction run. */
export function flush(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** A promise with its resolve and reject. */
export function deferred<T = unknown>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

/** An error as the simulated HTTP client throws for a response with `status`. */
export function statusError(status: number, headers: Record<string, string> = {}): HttpStatusError {
  const response: HttpResponse = { status, statusText: '', data: { error: 'x' }, headers, config: {}, requestId: 'req-t' };
  return new HttpStatusError({}, 'req-t', response);
}

export const timeoutError = (): HttpTimeoutError => new HttpTimeoutError({}, 'req-t', 1000);
export const canceledError = (): HttpCanceledError => new HttpCanceledError({}, 'req-t');

/**
 * Starts `body` in `world`, runs the world until it is quiet, and returns how
 * `body` ended (it must have ended by then).
 */
export async function runIn<T>(world: { run: () => Promise<unknown> }, body: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  body().then(
    (value) => (outcome = { ok: true, value }),
    (error: unknown) => (outcome = { ok: false, error }),
  );
  await world.run();
  if (outcome === undefined) throw new Error('runIn: the body did not finish by the time the world was quiet');
  return outcome;
}
