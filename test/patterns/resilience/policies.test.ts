import { describe, expect, it } from 'vitest';
import { Bulkhead } from '../../../src/patterns/resilience/bulkhead.js';
import { CircuitBreaker } from '../../../src/patterns/resilience/circuit-breaker.js';
import { BrokenCircuitError, BulkheadRejectedError, OperationCanceledError, TimeoutRejectedError } from '../../../src/patterns/resilience/errors.js';
import { isTimeout } from '../../../src/patterns/resilience/failure-predicates.js';
import { FallbackPolicy } from '../../../src/patterns/resilience/fallback.js';
import { InvalidOptionError } from '../../../src/patterns/options.js';
import type { Policy, PolicyContext, PolicyFn } from '../../../src/patterns/resilience/policy.js';
import { constantBackoff } from '../../../src/patterns/resilience/backoff.js';
import { RetryPolicy } from '../../../src/patterns/resilience/retry.js';
import { TimeoutPolicy } from '../../../src/patterns/resilience/timeout.js';
import { wrap } from '../../../src/patterns/resilience/wrap.js';
import { createWorld, type World } from '../../../src/sim/world.js';
import { deferred, runIn, statusError } from '../helpers.js';

/** A service whose GET /work takes `ms` and, if `honour`, stops when the request is cancelled. */
function slowService(world: World, ms: number) {
  const calls: number[] = [];
  world.service('slow').get('/work', async () => {
    calls.push(world.now());
    await world.sleep(ms);
    return { done: true };
  });
  return calls;
}

describe('timeout', () => {
  it('cooperative: aborts the callee through its signal and rejects with TimeoutRejectedError', async () => {
    const world = createWorld({ seed: 1 });
    slowService(world, 5000);
    const timeout = new TimeoutPolicy({ clock: world.scheduler, timeoutMs: 1000, trace: world.trace });
    let endedAt = -1;
    const out = await runIn(world, () => timeout.execute(({ signal }) => world.http.get('http://slow/work', { signal })).finally(() => (endedAt = world.now())));
    expect((out as { error: unknown }).error).toBeInstanceOf(TimeoutRejectedError);
    expect(((out as { error: Error }).error.cause as Error).name).toBe('HttpCanceledError');
    expect(endedAt).toBe(1000);
    expect(world.events.find((e) => e.kind === 'timeout.fired')).toMatchObject({ time: 1000, timeoutMs: 1000, strategy: 'cooperative' });
    expect(world.events.some((e) => e.kind === 'http.canceled' && e.time === 1000)).toBe(true);
  });

  it('cooperative: a callee that ignores the signal is waited for', async () => {
    const world = createWorld();
    const timeout = new TimeoutPolicy({ clock: world.scheduler, timeoutMs: 1000 });
    let endedAt = -1;
    const out = await runIn(world, () => timeout.execute(() => world.sleep(3000).then(() => 'late but here')).finally(() => (endedAt = world.now())));
    expect(out).toEqual({ ok: true, value: 'late but here' });
    expect(endedAt).toBe(3000);
  });

  it('aggressive: stops waiting at the limit; the callee keeps running, as the trace shows', async () => {
    const world = createWorld({ seed: 1 });
    const timeout = new TimeoutPolicy({ name: 'report-timeout', clock: world.scheduler, timeoutMs: 1000, strategy: 'aggressive', trace: world.trace });
    let endedAt = -1;
    let calleeDoneAt = -1;
    const out = await runIn(world, () =>
      timeout
        .execute(() => world.sleep(3000).then(() => (calleeDoneAt = world.now())))
        .finally(() => (endedAt = world.now())),
    );
    expect((out as { error: unknown }).error).toBeInstanceOf(TimeoutRejectedError);
    expect(endedAt).toBe(1000);
    expect(calleeDoneAt).toBe(3000);
    const kinds = world.events.filter((e) => e.kind.startsWith('timeout.'));
    expect(kinds).toMatchObject([
      { kind: 'timeout.fired', time: 1000, policy: 'report-timeout', strategy: 'aggressive' },
      { kind: 'timeout.orphan', time: 3000, outcome: 'resolved', afterMs: 2000 },
    ]);
  });

  it('aggressive: a late failure of the abandoned callee is caught and traced', async () => {
    const world = createWorld();
    const timeout = new TimeoutPolicy({ clock: world.scheduler, timeoutMs: 10, strategy: 'aggressive', trace: world.trace });
    await runIn(world, () => timeout.execute(() => world.sleep(20).then(() => Promise.reject(new Error('late boom')))));
    expect(world.events.find((e) => e.kind === 'timeout.orphan')).toMatchObject({ outcome: 'rejected', error: 'Error: late boom', afterMs: 10 });
  });

  it('a call that finishes in time is untouched and leaves no timer behind', async () => {
    for (const strategy of ['cooperative', 'aggressive'] as const) {
      const world = createWorld();
      const timeout = new TimeoutPolicy({ clock: world.scheduler, timeoutMs: 1000, strategy });
      const out = await runIn(world, () => timeout.execute(() => world.sleep(999).then(() => 'in time')));
      expect(out).toEqual({ ok: true, value: 'in time' });
      expect(world.now()).toBe(999);
    }
  });

  it('the caller cancelling is not a timeout', async () => {
    const world = createWorld({ seed: 1 });
    slowService(world, 5000);
    const c = new AbortController();
    world.scheduler.after(200, () => c.abort());
    const coop = new TimeoutPolicy({ clock: world.scheduler, timeoutMs: 1000 });
    const aggr = new TimeoutPolicy({ clock: world.scheduler, timeoutMs: 1000, strategy: 'aggressive' });
    const a = runIn(world, () => coop.execute(({ signal }) => world.http.get('http://slow/work', { signal }), c.signal));
    const out = await a;
    expect((out as { error: Error }).error.name).toBe('HttpCanceledError');
    const world2 = createWorld();
    const c2 = new AbortController();
    world2.scheduler.after(200, () => c2.abort());
    const aggr2 = new TimeoutPolicy({ clock: world2.scheduler, timeoutMs: 1000, strategy: 'aggressive' });
    let endedAt = -1;
    const out2 = await runIn(world2, () => aggr2.execute(() => world2.sleep(5000), c2.signal).finally(() => (endedAt = world2.now())));
    expect((out2 as { error: unknown }).error).toBeInstanceOf(OperationCanceledError);
    expect(endedAt).toBe(200);
    expect(aggr.strategy).toBe('aggressive');
  });

  it('rejects bad options', () => {
    const world = createWorld();
    expect(() => new TimeoutPolicy({ clock: world.scheduler, timeoutMs: 0 })).toThrow(/timeout: "timeoutMs" must be a finite number > 0, got 0/);
    expect(() => new TimeoutPolicy({ clock: world.scheduler, timeoutMs: 5, strategy: 'rude' as 'aggressive' })).toThrow(/"strategy" must be one of "cooperative", "aggressive"/);
  });
});

describe('fallback', () => {
  const fallback = new FallbackPolicy({
    when: (e) => e instanceof BrokenCircuitError || isTimeout(e),
    whenResult: (r) => r === 'degraded',
    value: (failure) => ({ cached: true, because: failure.kind }),
  });

  it('answers for the failures it is meant for', async () => {
    await expect(fallback.execute(() => Promise.reject(new BrokenCircuitError('b', 'open', 10, 0)))).resolves.toEqual({ cached: true, because: 'error' });
    await expect(fallback.execute(() => Promise.reject(new TimeoutRejectedError('t', 5)))).resolves.toEqual({ cached: true, because: 'error' });
    await expect(fallback.execute(() => 'degraded')).resolves.toEqual({ cached: true, because: 'result' });
  });

  it('lets every other failure through untouched', async () => {
    const notFound = statusError(404);
    await expect(fallback.execute(() => Promise.reject(notFound))).rejects.toBe(notFound);
    await expect(fallback.execute(() => 'fresh')).resolves.toBe('fresh');
  });

  it('needs a predicate', () => {
    expect(() => new FallbackPolicy({ value: () => 1 } as never)).toThrow(InvalidOptionError);
    expect(() => new FallbackPolicy({ value: () => 1 } as never)).toThrow(/fallback: "when"/);
  });
});

describe('bulkhead', () => {
  it('runs up to maxConcurrent, queues up to maxQueue, refuses the rest', async () => {
    const world = createWorld();
    const bulkhead = new Bulkhead({ name: 'reports', maxConcurrent: 2, maxQueue: 1, trace: world.trace });
    const started: Array<[string, number]> = [];
    const job = (name: string, ms: number) => () => (started.push([name, world.now()]), world.sleep(ms).then(() => name));
    const results = await runIn(world, () =>
      Promise.allSettled([bulkhead.execute(job('a', 100)), bulkhead.execute(job('b', 300)), bulkhead.execute(job('c', 100)), bulkhead.execute(job('d', 100))]),
    );
    expect(started).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 100],
    ]);
    const settled = (results as { value: PromiseSettledResult<string>[] }).value;
    expect(settled.slice(0, 3).map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    const refused = (settled[3] as PromiseRejectedResult).reason as BulkheadRejectedError;
    expect(refused).toBeInstanceOf(BulkheadRejectedError);
    expect([refused.active, refused.queued]).toEqual([2, 1]);
    expect(world.events.find((e) => e.kind === 'bulkhead.rejected')).toMatchObject({ bulkhead: 'reports', active: 2, queued: 1 });
    expect([bulkhead.active, bulkhead.queued, bulkhead.rejected]).toEqual([0, 0, 1]);
  });

  it('a queued call leaves the queue when its signal aborts', async () => {
    const world = createWorld();
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 5 });
    const c = new AbortController();
    world.scheduler.after(50, () => c.abort());
    let ranSecond = false;
    const out = await runIn(world, () =>
      Promise.allSettled([bulkhead.execute(() => world.sleep(100)), bulkhead.execute(() => (ranSecond = true), c.signal)]),
    );
    const second = (out as { value: PromiseSettledResult<unknown>[] }).value[1] as PromiseRejectedResult;
    expect(second.reason).toBeInstanceOf(OperationCanceledError);
    expect(ranSecond).toBe(false);
    expect(bulkhead.queued).toBe(0);
  });

  it('rejects bad options', () => {
    expect(() => new Bulkhead({ maxConcurrent: 0 })).toThrow(/bulkhead: "maxConcurrent" must be an integer ≥ 1, got 0/);
    expect(() => new Bulkhead({ maxConcurrent: 1, maxQueue: -1 })).toThrow(/"maxQueue" must be an integer ≥ 0, got -1/);
  });
});

describe('wrap', () => {
  /** A policy that logs when it is entered and passes a marker down. */
  const tracer = (name: string, log: string[]): Policy => ({
    name,
    async execute<T>(fn: PolicyFn<T>, signal?: AbortSignal): Promise<T> {
      log.push(`enter ${name}`);
      try {
        return await fn({ signal });
      } finally {
        log.push(`leave ${name}`);
      }
    },
  });

  it('runs policies outermost first', async () => {
    const log: string[] = [];
    const policy = wrap(tracer('a', log), tracer('b', log), tracer('c', log));
    expect(policy.name).toBe('a > b > c');
    await policy.execute(() => log.push('call'));
    expect(log).toEqual(['enter a', 'enter b', 'enter c', 'call', 'leave c', 'leave b', 'leave a']);
  });

  it('the call sees the innermost signal and the retry attempt', async () => {
    const world = createWorld();
    const seen: PolicyContext[] = [];
    const policy = wrap(
      new RetryPolicy({ clock: world.scheduler, rng: world.rng.fork('r'), maxAttempts: 2, backoff: constantBackoff(10) }),
      new TimeoutPolicy({ clock: world.scheduler, timeoutMs: 100 }),
    );
    await runIn(world, () => policy.execute((ctx) => (seen.push(ctx), Promise.reject(statusError(500))))).catch(() => undefined);
    expect(seen.map((c) => c.attempt)).toEqual([1, 2]);
    expect(seen.every((c) => c.signal instanceof AbortSignal)).toBe(true);
  });

  it('recommended order: retry > breaker > timeout stops hammering a hung service; fallback answers', async () => {
    const world = createWorld({ seed: 5 });
    const calls = slowService(world, 60_000);
    const clock = world.scheduler;
    const breaker = new CircuitBreaker({ name: 'slow', clock, policy: { kind: 'consecutive', failureThreshold: 3 }, breakDuration: 30_000, trace: world.trace });
    const policy = wrap(
      new FallbackPolicy({ when: (e) => e instanceof BrokenCircuitError || isTimeout(e), value: () => 'cached report' }),
      new RetryPolicy({ clock, rng: world.rng.fork('retry'), maxAttempts: 5, backoff: constantBackoff(100) }),
      breaker,
      new TimeoutPolicy({ clock, timeoutMs: 1000 }),
    );
    const answers: unknown[] = [];
    await runIn(world, async () => {
      answers.push(await policy.execute(({ signal }) => world.http.get('http://slow/work', { signal })));
      answers.push(await policy.execute(({ signal }) => world.http.get('http://slow/work', { signal })));
    });
    expect(answers).toEqual(['cached report', 'cached report']);
    // Three timed-out attempts open the breaker; the fourth attempt is refused and not retried; the second call is refused at once.
    expect(calls).toHaveLength(3);
    expect(breaker.snapshot().totals).toMatchObject({ admitted: 3, failures: 3, rejected: 2 });
    // Attempts at 0, 1100, 2200 each time out after 1000 ms: open at 3200, half-open when the 30 s break ends.
    expect(world.events.filter((e) => e.kind === 'state').map((e) => e.kind === 'state' && [e.to, e.time])).toEqual([
      ['open', 3200],
      ['halfOpen', 33200],
    ]);
  });

  it('rejects an empty wrap and non-policies', () => {
    expect(() => (wrap as () => unknown)()).toThrow(/wrap: "policies" must be at least one policy/);
    expect(() => wrap({} as Policy)).toThrow(/"policies\[0\]"/);
  });

  it('keeps a deferred-resolved chain working without a world', async () => {
    const d = deferred<number>();
    const policy = wrap(new Bulkhead({ maxConcurrent: 1 }), new Bulkhead({ maxConcurrent: 1 }));
    const p = policy.execute(() => d.promise);
    d.resolve(7);
    await expect(p).resolves.toBe(7);
  });
});
