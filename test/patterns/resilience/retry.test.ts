import { describe, expect, it } from 'vitest';
import { constantBackoff, exponentialBackoff } from '../../../src/patterns/resilience/backoff.js';
import { BrokenCircuitError, BulkheadRejectedError, OperationCanceledError, RetryDeadlineExceededError } from '../../../src/patterns/resilience/errors.js';
import { isRetryableResponse, isTimeout } from '../../../src/patterns/resilience/failure-predicates.js';
import { HttpCanceledError } from '../../../src/sim/http-errors.js';
import { InvalidOptionError } from '../../../src/patterns/options.js';
import { parseRetryAfter } from '../../../src/patterns/resilience/retry-after.js';
import { RetryBudget } from '../../../src/patterns/resilience/retry-budget.js';
import { RetryPolicy, type GiveUpEvent, type RetryEvent, type RetryOptions } from '../../../src/patterns/resilience/retry.js';
import { Rng } from '../../../src/sim/rng.js';
import { VirtualScheduler } from '../../../src/sim/scheduler.js';
import { createWorld, DEFAULT_EPOCH, type World } from '../../../src/sim/world.js';
import { canceledError, runIn, statusError, timeoutError } from '../helpers.js';

function setup(options: Partial<RetryOptions> = {}, seed = 11) {
  const world = createWorld({ seed });
  const retries: RetryEvent[] = [];
  const giveUps: GiveUpEvent[] = [];
  const policy = new RetryPolicy({
    clock: world.scheduler,
    rng: world.rng.fork('retry'),
    onRetry: (e) => retries.push(e),
    onGiveUp: (e) => giveUps.push(e),
    ...options,
  });
  return { world, policy, retries, giveUps };
}

/** A call that fails with the given errors in turn, then succeeds; records the virtual time of each attempt. */
function script(world: World, ...errors: unknown[]) {
  const times: number[] = [];
  const fn = () => {
    times.push(world.now());
    const e = errors[times.length - 1];
    return e === undefined ? Promise.resolve(`ok after ${times.length}`) : Promise.reject(e);
  };
  return { fn, times };
}

describe('retry: attempts', () => {
  it('maxAttempts counts the first call: 3 means one call and two retries', async () => {
    const { world, policy, giveUps } = setup({ maxAttempts: 3, backoff: constantBackoff(100) });
    const { fn, times } = script(world, statusError(503), statusError(503), statusError(503), statusError(503));
    const out = await runIn(world, () => policy.execute(fn));
    expect(out.ok).toBe(false);
    expect(times).toEqual([0, 100, 200]);
    expect(giveUps).toMatchObject([{ reason: 'attempts', attempts: 3, time: 200 }]);
    expect((out as { error: unknown }).error).toMatchObject({ response: { status: 503 } });
  });

  it('returns the first success and stops', async () => {
    const { world, policy, retries, giveUps } = setup({ maxAttempts: 5, backoff: constantBackoff(100) });
    const { fn, times } = script(world, timeoutError());
    const out = await runIn(world, () => policy.execute(fn));
    expect(out).toEqual({ ok: true, value: 'ok after 2' });
    expect(times).toEqual([0, 100]);
    expect(retries).toHaveLength(1);
    expect(giveUps).toHaveLength(0);
  });

  it('passes the attempt number to the call', async () => {
    const { world, policy } = setup({ maxAttempts: 3, backoff: constantBackoff(1) });
    const seen: Array<number | undefined> = [];
    await runIn(world, () => policy.execute(({ attempt }) => (seen.push(attempt), Promise.reject(new Error('x'))))).catch(() => undefined);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('with seeded full jitter the waits are exact and reproducible', async () => {
    const backoff = exponentialBackoff({ initialMs: 100, maxMs: 10_000, jitter: 'full' });
    const { world, policy, retries } = setup({ maxAttempts: 5, backoff }, 2024);
    const { fn, times } = script(world, ...Array.from({ length: 5 }, () => statusError(502)));
    await runIn(world, () => policy.execute(fn));
    const twin = new Rng(2024).fork('retry');
    const waits = [100, 200, 400, 800].map((d) => d * twin.next());
    expect(retries.map((r) => r.delayMs)).toEqual(waits);
    const expectedTimes = [0];
    for (const w of waits) expectedTimes.push(expectedTimes.at(-1)! + w);
    expect(times).toEqual(expectedTimes);
  });
});

describe('retry: what is retried', () => {
  const cases: Array<[string, number, unknown]> = [
    ['500', 3, statusError(500)],
    ['503', 3, statusError(503)],
    ['408', 3, statusError(408)],
    ['429', 3, statusError(429)],
    ['timeout', 3, timeoutError()],
    ['plain error', 3, new Error('flaky')],
    ['400', 1, statusError(400)],
    ['404', 1, statusError(404)],
    ['409', 1, statusError(409)],
    ['open breaker', 1, new BrokenCircuitError('b', 'open', 1000, 0)],
    ['full bulkhead', 1, new BulkheadRejectedError('b', 1, 0)],
    ['caller abort', 1, canceledError()],
  ];
  it.each(cases)('%s → %s attempt(s) by default', async (_n, calls, error) => {
    const { world, policy, giveUps } = setup({ maxAttempts: 3, backoff: constantBackoff(10) });
    const { fn, times } = script(world, error, error, error);
    const out = await runIn(world, () => policy.execute(fn));
    expect(out).toEqual({ ok: false, error });
    expect(times).toHaveLength(calls);
    expect(giveUps[0]!.reason).toBe(calls === 1 ? 'not-retryable' : 'attempts');
  });

  it('retryOn replaces the default', async () => {
    const { world, policy } = setup({ maxAttempts: 3, backoff: constantBackoff(10), retryOn: (e) => (e as Error).message === 'again' });
    const { fn, times } = script(world, new Error('again'), new Error('stop'));
    await runIn(world, () => policy.execute(fn));
    expect(times).toHaveLength(2);
  });

  it('retries by result and returns the last result when it gives up', async () => {
    const { world, policy, giveUps } = setup({ maxAttempts: 3, backoff: constantBackoff(10), retryOnResult: isRetryableResponse });
    let n = 0;
    const out = await runIn(world, () => policy.execute(() => ({ status: 503, n: ++n })));
    expect(out).toEqual({ ok: true, value: { status: 503, n: 3 } });
    expect(giveUps).toMatchObject([{ reason: 'attempts', result: { status: 503, n: 3 } }]);
    let m = 0;
    const ok = await runIn(world, () => policy.execute(() => ({ status: ++m === 2 ? 200 : 503 })));
    expect(ok).toEqual({ ok: true, value: { status: 200 } });
  });
});

describe('retry: Retry-After', () => {
  it('parses seconds and HTTP dates in virtual wall time', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter(' 0 ', 0)).toBe(0);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:05 GMT', DEFAULT_EPOCH)).toBe(5000);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:05 GMT', DEFAULT_EPOCH + 9000)).toBe(0);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter('-3', 0)).toBeUndefined();
  });

  it('waits what a 503 with Retry-After (seconds) asks, through the simulated network', async () => {
    const world = createWorld({ seed: 1 });
    let n = 0;
    const arrivals: number[] = [];
    world.service('api').get('/stock', (_req, res) => {
      arrivals.push(world.now());
      if (++n === 1) return res.status(503).set('Retry-After', '2').json({ error: 'busy' });
      return res.json({ items: 3 });
    });
    const retries: RetryEvent[] = [];
    const policy = new RetryPolicy({ clock: world.scheduler, rng: world.rng.fork('r'), backoff: constantBackoff(50), onRetry: (e) => retries.push(e) });
    const out = await runIn(world, () => policy.execute(({ signal }) => world.http.get('http://api/stock', { signal })));
    expect(out.ok).toBe(true);
    // 1 ms each way: the 503 reaches the client at 2, the retry leaves at 2002 and arrives at 2003.
    expect(arrivals).toEqual([1, 2003]);
    expect(retries).toMatchObject([{ attempt: 1, delayMs: 2000, retryAfterMs: 2000 }]);
  });

  it('reads an HTTP date against the world epoch; a longer backoff wins', async () => {
    const { world, policy, retries } = setup({ maxAttempts: 2, backoff: constantBackoff(100) });
    const at5s = new Date(DEFAULT_EPOCH + 5000).toUTCString();
    const { fn, times } = script(world, statusError(429, { 'retry-after': at5s }));
    await runIn(world, () => policy.execute(fn));
    expect(times).toEqual([0, 5000]);
    expect(retries[0]!.retryAfterMs).toBe(5000);
    const short = setup({ maxAttempts: 2, backoff: constantBackoff(3000) });
    const s = script(short.world, statusError(429, { 'retry-after': '1' }));
    await runIn(short.world, () => short.policy.execute(s.fn));
    expect(s.times).toEqual([0, 3000]);
  });

  it('can be told to ignore Retry-After', async () => {
    const { world, policy } = setup({ maxAttempts: 2, backoff: constantBackoff(100), respectRetryAfter: false });
    const { fn, times } = script(world, statusError(503, { 'retry-after': '60' }));
    await runIn(world, () => policy.execute(fn));
    expect(times).toEqual([0, 100]);
  });
});

describe('retry: deadline and cancellation', () => {
  it('gives up instead of waiting past the deadline, and the rejection says the deadline ended it', async () => {
    const { world, policy, giveUps } = setup({ maxAttempts: 10, backoff: constantBackoff(400), deadlineMs: 1000 });
    const { fn, times } = script(world, ...Array.from({ length: 10 }, () => statusError(500)));
    const out = await runIn(world, () => policy.execute(fn));
    // 0, 400, 800; a wait to 1200 would pass the deadline at 1000.
    expect(times).toEqual([0, 400, 800]);
    const error = (out as { error: unknown }).error;
    expect(error).toBeInstanceOf(RetryDeadlineExceededError);
    expect(error).toMatchObject({ policy: 'retry', deadlineMs: 1000, attempts: 3, phase: 'wait', cause: { response: { status: 500 } } });
    expect((error as Error).message).toMatch(/deadline of 1000 ms after 3 attempts .*status code 500/);
    // It skipped a wait: the last answer is known, so it is no timeout of the callee.
    expect(isTimeout(error)).toBe(false);
    expect(giveUps).toMatchObject([{ reason: 'deadline', attempts: 3, time: 800, error }]);
  });

  it('a result retried until the deadline is returned as it is', async () => {
    const { world, policy, giveUps } = setup({ maxAttempts: 10, backoff: constantBackoff(400), deadlineMs: 1000, retryOnResult: () => true });
    const out = await runIn(world, () => policy.execute(({ attempt }) => `answer ${attempt}`));
    expect(out).toEqual({ ok: true, value: 'answer 3' });
    expect(giveUps).toMatchObject([{ reason: 'deadline', attempts: 3, result: 'answer 3' }]);
  });

  /** A world whose service `slow` answers after 5 s, and a retry policy over it. */
  function slowService(options: Partial<RetryOptions>) {
    const world = createWorld({ seed: 1 });
    world.service('slow').get('/x', async () => {
      await world.sleep(5000);
      return { late: true };
    });
    const giveUps: GiveUpEvent[] = [];
    const policy = new RetryPolicy({ clock: world.scheduler, rng: world.rng.fork('r'), onGiveUp: (e) => giveUps.push(e), ...options });
    return { world, policy, giveUps };
  }

  it('aborts the attempt running at the deadline and rejects with the same deadline error', async () => {
    const { world, policy, giveUps } = slowService({ deadlineMs: 1500 });
    let endedAt = -1;
    const out = await runIn(world, () => policy.execute(({ signal }) => world.http.get('http://slow/x', { signal })).finally(() => (endedAt = world.now())));
    expect(out.ok).toBe(false);
    const error = (out as { error: unknown }).error;
    expect(error).toBeInstanceOf(RetryDeadlineExceededError);
    expect(error).toMatchObject({ deadlineMs: 1500, attempts: 1, phase: 'attempt' });
    // The cause is what the aborted attempt threw; the abort's reason says it was the policy's deadline.
    expect((error as Error).cause).toBeInstanceOf(HttpCanceledError);
    expect(isTimeout(error)).toBe(true);
    expect(endedAt).toBe(1500);
    expect(giveUps).toMatchObject([{ reason: 'deadline', attempts: 1 }]);
    expect(world.events.some((e) => e.kind === 'http.canceled')).toBe(true);
  });

  it('cancels while sleeping between attempts', async () => {
    const { world, policy, giveUps } = setup({ maxAttempts: 3, backoff: constantBackoff(1000) });
    const { fn, times } = script(world, statusError(500), statusError(500));
    const c = new AbortController();
    world.scheduler.after(250, () => c.abort());
    let endedAt = -1;
    const out = await runIn(world, () => policy.execute(fn, c.signal).finally(() => (endedAt = world.now())));
    const error = (out as { error: unknown }).error;
    expect(error).toBeInstanceOf(OperationCanceledError);
    expect((error as Error).cause).toBe(c.signal.reason);
    expect(endedAt).toBe(250);
    expect(times).toEqual([0]);
    expect(giveUps).toMatchObject([{ reason: 'canceled', attempts: 1, error }]);
    expect(world.scheduler.pending).toBe(0);
  });

  it('cancelled during an attempt, it rejects with the same OperationCanceledError, the attempt\'s error as its cause', async () => {
    const { world, policy, giveUps } = slowService({ maxAttempts: 5 });
    const c = new AbortController();
    world.scheduler.after(250, () => c.abort());
    let endedAt = -1;
    const out = await runIn(world, () => policy.execute(({ signal }) => world.http.get('http://slow/x', { signal }), c.signal).finally(() => (endedAt = world.now())));
    const error = (out as { error: unknown }).error;
    expect(error).toBeInstanceOf(OperationCanceledError);
    expect((error as Error).cause).toBeInstanceOf(HttpCanceledError);
    expect(endedAt).toBe(250);
    expect(giveUps).toMatchObject([{ reason: 'canceled', attempts: 1, error }]);
  });

  it('does not start when the signal is already aborted', async () => {
    const { world, policy } = setup();
    const c = new AbortController();
    c.abort();
    let called = false;
    const out = await runIn(world, () => policy.execute(() => (called = true), c.signal));
    expect((out as { error: unknown }).error).toBeInstanceOf(OperationCanceledError);
    expect(called).toBe(false);
  });
});

describe('retry: budget', () => {
  it('a shared budget stops a retry storm', async () => {
    const world = createWorld({ seed: 3 });
    const budget = new RetryBudget({ clock: world.scheduler, capacity: 2, refillPerSecond: 0 });
    const reasons: string[] = [];
    const make = (name: string) =>
      new RetryPolicy({ name, clock: world.scheduler, rng: world.rng.fork(name), maxAttempts: 5, backoff: constantBackoff(10), budget, onGiveUp: (e) => reasons.push(`${name}:${e.reason}:${e.attempts}`) });
    const a = make('a');
    const b = make('b');
    let calls = 0;
    const failing = () => (calls++, Promise.reject(statusError(503)));
    await runIn(world, () => Promise.allSettled([a.execute(failing), b.execute(failing)]));
    // Two tokens in all: 2 first calls + 2 retries, then both give up for want of a token.
    expect(calls).toBe(4);
    expect(reasons.sort()).toEqual(['a:budget:2', 'b:budget:2']);
    expect(budget.refused).toBe(2);
  });

  it('refills in virtual time and earns tokens from successes', () => {
    const clock = new VirtualScheduler();
    const budget = new RetryBudget({ clock, capacity: 3, refillPerSecond: 0, depositPerSuccess: 0.5, initialTokens: 0 });
    expect(budget.tryWithdraw()).toBe(false);
    budget.recordSuccess();
    budget.recordSuccess();
    expect(budget.tryWithdraw()).toBe(true);
    expect(budget.tokens).toBe(0);
  });

  it('refills at refillPerSecond', async () => {
    const world = createWorld();
    const budget = new RetryBudget({ clock: world.scheduler, capacity: 2, refillPerSecond: 1, initialTokens: 0 });
    const seen: number[] = [];
    world.scheduler.after(500, () => seen.push(budget.tokens));
    world.scheduler.after(1500, () => seen.push(budget.tokens));
    world.scheduler.after(9000, () => seen.push(budget.tokens));
    await world.run();
    expect(seen).toEqual([0.5, 1.5, 2]);
  });
});

describe('retry: trace and surroundings', () => {
  it('records retry.scheduled and retry.gaveUp', async () => {
    const world = createWorld({ seed: 1 });
    const policy = new RetryPolicy({ name: 'to-stock', clock: world.scheduler, rng: world.rng.fork('r'), maxAttempts: 2, backoff: constantBackoff(100), trace: world.trace });
    await runIn(world, () => policy.execute(() => Promise.reject(statusError(502))));
    const kinds = world.events.filter((e) => e.kind.startsWith('retry.'));
    expect(kinds).toMatchObject([
      { kind: 'retry.scheduled', time: 0, policy: 'to-stock', attempt: 1, delayMs: 100, error: 'HttpStatusError: Request failed with status code 502' },
      { kind: 'retry.gaveUp', time: 100, policy: 'to-stock', attempts: 2, reason: 'attempts' },
    ]);
  });

  it('a first call that succeeds needs no running world', async () => {
    const policy = new RetryPolicy({ clock: new VirtualScheduler(), rng: new Rng(1) });
    expect(await policy.execute(() => 42)).toBe(42);
    expect(await policy.execute(async () => 'x')).toBe('x');
  });

  const bad: Array<[string, Partial<RetryOptions>, RegExp]> = [
    ['maxAttempts 0', { maxAttempts: 0 }, /retry: "maxAttempts" must be an integer ≥ 1 \(the first call included\) or Infinity, got 0/],
    ['maxAttempts 2.5', { maxAttempts: 2.5 }, /"maxAttempts"/],
    ['negative deadline', { deadlineMs: -1 }, /"deadlineMs" must be a finite number > 0, got -1/],
    ['no rng', { rng: undefined as unknown as Rng }, /"rng"/],
  ];
  it.each(bad)('rejects %s', (_n, options, message) => {
    const make = () => new RetryPolicy({ clock: new VirtualScheduler(), rng: new Rng(1), ...options });
    expect(make).toThrow(InvalidOptionError);
    expect(make).toThrow(message);
  });
});
