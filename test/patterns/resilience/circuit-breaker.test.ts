import { describe, expect, it } from 'vitest';
import { exponentialBackoff } from '../../../src/patterns/resilience/backoff.js';
import { TimeWindow } from '../../../src/patterns/resilience/breaker-window.js';
import type { BreakerEvent } from '../../../src/patterns/resilience/breaker-reporter.js';
import { CircuitBreaker, type CircuitBreakerOptions } from '../../../src/patterns/resilience/circuit-breaker.js';
import { BrokenCircuitError, IsolatedCircuitError } from '../../../src/patterns/resilience/errors.js';
import { InvalidOptionError } from '../../../src/patterns/options.js';
import { TraceRecorder } from '../../../src/sim/trace.js';
import { canceledError, deferred, flush, ManualClock, statusError, timeoutError } from '../helpers.js';

/**
 * A tiny script language for breaker scenarios, one token per step:
 * - `ok` `fail` `4xx` `timeout` `abort`: a call that is let through and ends that way at once
 * - `ok@1500`: a call that succeeds after 1500 ms (the clock moves while it runs)
 * - `+N`: N ms pass
 * - `start:a`: call `a` is let through and stays pending; `ok:a` `fail:a` `abort:a` end it
 * - `reject`: the next call is refused with BrokenCircuitError (`fn` never runs)
 * - `=closed` `=open` `=halfOpen` `=isolated`: the state now
 * - `isolate`, `reset`: manual controls
 */
async function play(options: Omit<CircuitBreakerOptions, 'clock'>, script: string) {
  const clock = new ManualClock();
  const breaker = new CircuitBreaker({ ...options, clock });
  const pending = new Map<string, { d: ReturnType<typeof deferred>; done: Promise<unknown> }>();
  const outcome = (kind: string): (() => unknown) => {
    switch (kind) {
      case 'ok':
        return () => 'fine';
      case 'fail':
        return () => Promise.reject(statusError(503));
      case '4xx':
        return () => Promise.reject(statusError(404));
      case 'timeout':
        return () => Promise.reject(timeoutError());
      case 'abort':
        return () => Promise.reject(canceledError());
      default:
        throw new Error(`unknown outcome ${kind}`);
    }
  };
  for (const [i, token] of script.split(/\s+/).filter(Boolean).entries()) {
    const where = `step ${i + 1} "${token}" of "${script}"`;
    if (token.startsWith('+')) clock.advance(Number(token.slice(1)));
    else if (token.startsWith('=')) expect(breaker.state, where).toBe(token.slice(1));
    else if (token === 'reject') {
      let ran = false;
      const e = await breaker.execute(() => (ran = true)).catch((err: unknown) => err);
      expect(e, where).toBeInstanceOf(BrokenCircuitError);
      expect(ran, where).toBe(false);
    } else if (token === 'isolate') breaker.isolate();
    else if (token === 'reset') breaker.reset();
    else if (token.startsWith('start:')) {
      const d = deferred();
      let ran = false;
      const done = breaker.execute(() => ((ran = true), d.promise)).catch((err: unknown) => err);
      expect(ran, `${where}: admitted`).toBe(true);
      pending.set(token.slice(6), { d, done });
    } else if (token.includes(':')) {
      const [kind, name] = token.split(':') as [string, string];
      const p = pending.get(name)!;
      const f = outcome(kind);
      Promise.resolve()
        .then(f)
        .then(p.d.resolve, p.d.reject);
      await p.done;
      pending.delete(name);
    } else {
      const [kind, ms] = token.split('@') as [string, string | undefined];
      if (ms === undefined) {
        let ran = false;
        await breaker.execute(() => ((ran = true), outcome(kind)())).catch(() => undefined);
        expect(ran, `${where}: admitted`).toBe(true);
      } else {
        const d = deferred();
        const done = breaker.execute(() => d.promise).catch(() => undefined);
        clock.advance(Number(ms));
        Promise.resolve().then(outcome(kind)).then(d.resolve, d.reject);
        await done;
      }
    }
    await flush();
  }
  return { breaker, clock };
}

const consecutive3 = { policy: { kind: 'consecutive', failureThreshold: 3 }, breakDuration: 1000 } as const;
const count4 = { policy: { kind: 'count', windowSize: 4, failureRateThreshold: 0.5 }, breakDuration: 1000 } as const;
const time10s = { policy: { kind: 'time', windowMs: 10_000, bucketCount: 10, failureRateThreshold: 0.5, minimumCalls: 4 }, breakDuration: 1000 } as const;

describe('circuit breaker state machine (table)', () => {
  const table: Array<[string, Omit<CircuitBreakerOptions, 'clock'>, string]> = [
    // consecutive failures
    ['consecutive: opens on the third failure in a row', consecutive3, 'fail fail =closed fail =open reject'],
    ['consecutive: a success starts the count again', consecutive3, 'fail fail ok fail fail =closed fail =open'],
    ['consecutive: 4xx is the callee answering, not failing', consecutive3, 'fail fail 4xx fail fail =closed'],
    ['consecutive: timeouts count as failures', consecutive3, 'timeout timeout timeout =open'],
    ['consecutive: caller aborts are neither success nor failure', consecutive3, 'fail fail abort =closed fail =open'],
    // count window
    ['count: no verdict before minimumCalls (= window size)', count4, 'fail fail fail =closed ok =open'],
    ['count: 1 of 4 failed stays closed', count4, 'ok ok ok fail =closed'],
    ['count: old outcomes leave the ring', count4, 'fail ok ok ok ok ok fail =closed ok fail =open'],
    [
      'count: minimumCalls lower than the window',
      { policy: { kind: 'count', windowSize: 10, minimumCalls: 2, failureRateThreshold: 0.5 } },
      'ok fail =open',
    ],
    // time window
    ['time: opens at the threshold within the window', time10s, 'fail +1000 fail +1000 ok +1000 =closed fail =open'],
    ['time: failures older than the window are forgotten', time10s, 'fail fail +10000 fail ok =closed'],
    ['time: a failure 9.9 s old still counts', time10s, 'fail +9900 fail ok fail =open'],
    ['time: idle gap of exactly ten windows (same ring slot) forgets everything', time10s, 'fail fail fail +100000 fail =closed ok ok =closed'],
    ['time: idle gap that is not a multiple of the window', time10s, 'fail fail fail +123456 fail ok ok ok =closed'],
    ['time: idle gap shorter than the window keeps the newer buckets', time10s, 'fail fail +5000 fail +6000 ok =closed ok fail =open'],
    // slow calls
    [
      'slow calls open the breaker at the slow-call rate',
      { policy: { kind: 'count', windowSize: 4, failureRateThreshold: 1, slowCallDurationMs: 1000, slowCallRateThreshold: 0.75 } },
      'ok ok@1000 ok@1500 ok@999 =closed ok@2000 =open',
    ],
    // half-open
    ['half-open: the first call after the break is a trial; success closes', consecutive3, 'fail fail fail =open +999 reject +1 =halfOpen ok =closed ok fail fail =closed'],
    ['half-open: a failed trial reopens at once', consecutive3, 'fail fail fail +1000 fail =open reject +1000 =halfOpen'],
    ['half-open: calls beyond the permitted trials are refused', { ...consecutive3, halfOpen: { permittedCalls: 2 } }, 'fail fail fail +1000 start:a start:b reject ok:a =halfOpen reject ok:b =closed'],
    [
      'half-open: one failed trial of several reopens at once',
      { ...consecutive3, halfOpen: { permittedCalls: 3 } },
      'fail fail fail +1000 start:a start:b start:c ok:a fail:b =open reject ok:c =open',
    ],
    [
      'half-open: successesToClose below permittedCalls; late trials are stale',
      { ...consecutive3, halfOpen: { permittedCalls: 3, successesToClose: 2 } },
      'fail fail fail +1000 start:a start:b start:c ok:a ok:b =closed fail:c =closed',
    ],
    ['half-open: an aborted trial frees its slot', consecutive3, 'fail fail fail +1000 start:a reject abort:a =halfOpen start:b ok:b =closed'],
    [
      'half-open: a hung trial cannot hold it half-open past maxWaitMs',
      { ...consecutive3, halfOpen: { maxWaitMs: 5000 } },
      'fail fail fail +1000 start:hung reject +4999 =halfOpen +1 =open reject +1000 =halfOpen ok =closed',
    ],
    [
      'half-open: the hung trial finishing later is stale and closes nothing',
      { ...consecutive3, halfOpen: { maxWaitMs: 5000 } },
      'fail fail fail +1000 start:hung +5000 =open ok:hung =open reject',
    ],
    [
      'slow trial counts as a failed trial',
      { policy: { kind: 'count', windowSize: 2, failureRateThreshold: 0.5, slowCallDurationMs: 500 }, breakDuration: 1000 },
      'fail fail =open +1000 ok@600 =open',
    ],
    // stale outcomes
    ['stale failure from the closed state does not extend the break', consecutive3, 'start:old fail fail fail =open +999 fail:old +1 =halfOpen'],
    ['stale success from the closed state does not close a half-open breaker', consecutive3, 'start:old fail fail fail +1000 =halfOpen ok:old =halfOpen start:t reject ok:t =closed'],
    [
      'stale failure after closing again does not count in the new window',
      consecutive3,
      'start:old fail fail fail +1000 ok =closed fail fail fail:old =closed fail =open',
    ],
    // manual controls
    ['isolate holds it open until reset', consecutive3, 'isolate =isolated reject +100000 reject =isolated reset =closed ok'],
    ['reset forgets the failures', consecutive3, 'fail fail reset fail fail =closed fail =open'],
    ['reset while open closes it and stale calls change nothing', consecutive3, 'start:x fail fail fail reset =closed fail:x fail fail =closed'],
  ];

  it.each(table)('%s', async (_name, options, script) => {
    await play(options, script);
  });
});

describe('circuit breaker details', () => {
  it('BrokenCircuitError says when a call may get through (virtual time)', async () => {
    const { breaker, clock } = await play(consecutive3, '+250 fail fail fail =open +100');
    const e = (await breaker.execute(() => 1).catch((err: unknown) => err)) as BrokenCircuitError;
    expect(e).toBeInstanceOf(BrokenCircuitError);
    expect(e.state).toBe('open');
    expect(e.retryAt).toBe(1250);
    expect(e.rejectedAt).toBe(clock.now());
    expect(e.retryAfterMs).toBe(900);
    breaker.isolate();
    const iso = (await breaker.execute(() => 1).catch((err: unknown) => err)) as IsolatedCircuitError;
    expect(iso).toBeInstanceOf(IsolatedCircuitError);
    expect(iso.retryAt).toBeUndefined();
  });

  it('break duration grows with consecutive openings and starts over after closing', async () => {
    const { breaker } = await play(
      { policy: { kind: 'consecutive', failureThreshold: 1 }, breakDuration: exponentialBackoff({ initialMs: 1000, maxMs: 8000 }), rng: { next: () => 0.5 } },
      'fail',
    );
    const breaks: number[] = [];
    const snap = () => breaker.snapshot();
    breaks.push(snap().nextAttemptAt! - snap().openedAt!);
    for (let i = 0; i < 4; i++) {
      const wait = snap().nextAttemptAt! - snap().time;
      // let the break pass, then fail the trial
      (breaker as unknown as { clock: ManualClock }).clock.advance(wait);
      await breaker.execute(() => Promise.reject(statusError(500))).catch(() => undefined);
      breaks.push(snap().nextAttemptAt! - snap().openedAt!);
    }
    expect(breaks).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(snap().openings).toBe(5);
    (breaker as unknown as { clock: ManualClock }).clock.advance(8000);
    await breaker.execute(() => 'ok');
    expect(breaker.state).toBe('closed');
    await breaker.execute(() => Promise.reject(statusError(500))).catch(() => undefined);
    expect(snap().nextAttemptAt! - snap().openedAt!).toBe(1000);
  });

  it('predicates decide what is a failure, by error and by result', async () => {
    const { breaker } = await play(
      {
        policy: { kind: 'consecutive', failureThreshold: 2 },
        isFailure: (e) => e instanceof Error && e.message === 'boom',
        isIgnored: () => false,
        isFailureResult: (r) => (r as { status?: number }).status === 503,
      },
      '',
    );
    await breaker.execute(() => Promise.reject(new Error('other'))).catch(() => undefined);
    await breaker.execute(() => ({ status: 503 }));
    expect(breaker.state).toBe('closed');
    await breaker.execute(() => ({ status: 503 }));
    expect(breaker.state).toBe('open');
    const s = breaker.snapshot();
    expect(s.totals).toMatchObject({ admitted: 3, successes: 1, failures: 2 });
  });

  it('reports state changes, outcomes and refusals as typed events, and state changes in the trace', async () => {
    const clock = new ManualClock();
    const trace = new TraceRecorder(() => clock.now());
    const breaker = new CircuitBreaker({ name: 'payment', clock, policy: { kind: 'consecutive', failureThreshold: 1 }, breakDuration: 500, trace });
    const events: BreakerEvent[] = [];
    const sub = breaker.events$.subscribe((e) => events.push(e));
    await breaker.execute(() => Promise.reject(statusError(502))).catch(() => undefined);
    await breaker.execute(() => 1).catch(() => undefined);
    clock.advance(500);
    await breaker.execute(() => 'ok');
    sub.unsubscribe();
    expect(events.map((e) => (e.type === 'stateChange' ? `${e.from}>${e.to}:${e.reason}` : e.type))).toEqual([
      'failure',
      'closed>open:consecutiveFailures',
      'rejected',
      'closed>halfOpen:breakElapsed'.replace('closed', 'open'),
      'success',
      'halfOpen>closed:trialsSucceeded',
    ]);
    const rejected = events.find((e) => e.type === 'rejected');
    expect(rejected).toMatchObject({ state: 'open', retryAt: 500, time: 0 });
    const states = trace.events.filter((e) => e.kind === 'state');
    expect(states.map((e) => e.kind === 'state' && [e.component, e.from, e.to, e.time])).toEqual([
      ['payment', 'closed', 'open', 0],
      ['payment', 'open', 'halfOpen', 500],
      ['payment', 'halfOpen', 'closed', 500],
    ]);
    expect(trace.events.filter((e) => e.kind === 'breaker.call').map((e) => e.kind === 'breaker.call' && e.outcome)).toEqual(['failure', 'rejected', 'success']);
  });

  it('a stale outcome is reported (stale: true) and counted, but changes nothing', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({ clock, policy: { kind: 'consecutive', failureThreshold: 1 }, breakDuration: 1000 });
    const events: BreakerEvent[] = [];
    breaker.events$.subscribe((e) => events.push(e));
    const slow = deferred();
    const late = breaker.execute(() => slow.promise).catch(() => undefined);
    await breaker.execute(() => Promise.reject(statusError(500))).catch(() => undefined);
    clock.advance(400);
    slow.reject(statusError(500));
    await late;
    expect(events.at(-1)).toMatchObject({ type: 'failure', stale: true, state: 'closed', durationMs: 400 });
    expect(breaker.snapshot()).toMatchObject({ state: 'open', nextAttemptAt: 1000, totals: { failures: 2, stale: 1 } });
  });

  it('the trace state event carries the reason, the end of the break and the window', async () => {
    const clock = new ManualClock();
    const trace = new TraceRecorder(() => clock.now());
    const breaker = new CircuitBreaker({ name: 'stock', clock, policy: { kind: 'count', windowSize: 2, failureRateThreshold: 0.5 }, breakDuration: 700, trace });
    await breaker.execute(() => 'ok');
    await breaker.execute(() => Promise.reject(statusError(500))).catch(() => undefined);
    breaker.isolate();
    breaker.reset();
    const states = trace.events.filter((e) => e.kind === 'state');
    expect(states[0]).toMatchObject({ component: 'stock', from: 'closed', to: 'open', detail: { reason: 'failureRate', nextAttemptAt: 700, window: { kind: 'count', calls: 2, failures: 1, failureRate: 0.5 } } });
    expect(states.slice(1).map((e) => e.kind === 'state' && `${e.from}>${e.to}`)).toEqual(['open>isolated', 'isolated>closed']);
  });

  it('a jittered break duration needs an rng, and uses it', async () => {
    const clock = new ManualClock();
    const jittered = { kind: 'consecutive', failureThreshold: 1 } as const;
    expect(() => new CircuitBreaker({ clock, policy: jittered, breakDuration: exponentialBackoff({ initialMs: 1000, jitter: 'full' }) })).toThrow(
      /circuitBreaker: "rng" must be a fork of the world's Rng when breakDuration is a Backoff/,
    );
    const { Rng } = await import('../../../src/sim/rng.js');
    const withRng = new CircuitBreaker({ clock, policy: jittered, rng: new Rng(8).fork('breaker'), breakDuration: exponentialBackoff({ initialMs: 1000, jitter: 'full' }) });
    await withRng.execute(() => Promise.reject(statusError(500))).catch(() => undefined);
    expect(withRng.snapshot().nextAttemptAt).toBe(1000 * new Rng(8).fork('breaker').next());
  });

  it('snapshot shows the window, buckets and times for the UI', async () => {
    const { breaker } = await play(time10s, 'fail +1000 ok +1000 fail +1500');
    const s = breaker.snapshot();
    expect(s).toMatchObject({ state: 'closed', time: 3500, openedAt: undefined, nextAttemptAt: undefined, halfOpen: undefined });
    expect(s.window).toMatchObject({ kind: 'time', calls: 3, failures: 2, failureRate: undefined });
    expect(s.window.buckets).toHaveLength(4);
    expect(s.window.buckets![0]).toEqual({ start: 0, end: 1000, calls: 1, failures: 1, slowCalls: 0 });
    expect(s.window.buckets![3]).toEqual({ start: 3000, end: 4000, calls: 0, failures: 0, slowCalls: 0 });
    await breaker.execute(() => Promise.reject(statusError(500))).catch(() => undefined);
    const open = breaker.snapshot();
    expect(open).toMatchObject({ state: 'open', openedAt: 3500, nextAttemptAt: 4500 });
    expect(open.window.failureRate).toBe(0.75);
  });

  it('reading a time window changes nothing, even a read at a later time than the next record', () => {
    const w = new TimeWindow(10_000, 10, { minimumCalls: 1, failureRateThreshold: 0.5, slowCallRateThreshold: Infinity });
    w.record(0, true, false);
    w.record(1500, false, false);
    const before = w.snapshot(2000);
    expect(before).toMatchObject({ calls: 2, failures: 1, failureRate: 0.5 });
    // A view looks ahead: by 12.5 s the first two buckets have left the window, by 30 s all of them.
    expect(w.snapshot(12_500)).toMatchObject({ calls: 0, failures: 0 });
    expect(w.verdict(30_000)).toBeUndefined();
    expect(w.snapshot(30_000).buckets!.every((b) => b.calls === 0)).toBe(true);
    // Nothing was forgotten or moved by those reads.
    expect(w.snapshot(2000)).toEqual(before);
    expect(w.verdict(2000)).toBe('failureRate');
    w.record(2500, true, false);
    const after = w.snapshot(2500);
    expect(after).toMatchObject({ calls: 3, failures: 2 });
    expect(after.buckets![2]).toEqual({ start: 2000, end: 3000, calls: 1, failures: 1, slowCalls: 0 });
    // A read past an idle gap counts only what is still in the window.
    expect(w.snapshot(11_200)).toMatchObject({ calls: 1, failures: 1, failureRate: 1 });
    expect(w.verdict(11_200)).toBe('failureRate');
    expect(w.verdict(12_100)).toBeUndefined();
  });

  it('passes the caller signal to the call and refuses an already aborted one', async () => {
    const breaker = new CircuitBreaker({ clock: new ManualClock(), policy: { kind: 'consecutive', failureThreshold: 1 } });
    const c = new AbortController();
    let seen: AbortSignal | undefined;
    await breaker.execute(({ signal }) => (seen = signal), c.signal);
    expect(seen).toBe(c.signal);
    c.abort();
    await expect(breaker.execute(() => 1, c.signal)).rejects.toThrow(/canceled/);
    expect(breaker.state).toBe('closed');
  });

  it('works without a running world: an already-resolved call needs no scheduler', async () => {
    const { VirtualScheduler } = await import('../../../src/sim/scheduler.js');
    const breaker = new CircuitBreaker({ clock: new VirtualScheduler(), policy: { kind: 'count', windowSize: 5, failureRateThreshold: 0.5 } });
    for (let i = 0; i < 10; i++) expect(await breaker.execute(() => i)).toBe(i);
  });
});

describe('circuit breaker options', () => {
  const clock = new ManualClock();
  const bad: Array<[string, unknown, RegExp]> = [
    ['negative threshold', { policy: { kind: 'consecutive', failureThreshold: -1 } }, /"policy\.failureThreshold" must be an integer ≥ 1, got -1/],
    ['ratio above 1', { policy: { kind: 'count', windowSize: 10, failureRateThreshold: 1.5 } }, /"policy\.failureRateThreshold" must be a number in \(0, 1\], got 1\.5/],
    ['zero count window', { policy: { kind: 'count', windowSize: 0, failureRateThreshold: 0.5 } }, /"policy\.windowSize" must be an integer ≥ 1, got 0/],
    ['zero time window', { policy: { kind: 'time', windowMs: 0, failureRateThreshold: 0.5 } }, /"policy\.windowMs" must be a finite number > 0, got 0/],
    ['minimumCalls above the window', { policy: { kind: 'count', windowSize: 5, minimumCalls: 6, failureRateThreshold: 0.5 } }, /"policy\.minimumCalls"/],
    ['slow rate without a slow duration', { policy: { kind: 'count', windowSize: 5, failureRateThreshold: 0.5, slowCallRateThreshold: 0.5 } }, /"policy\.slowCallDurationMs"/],
    ['negative break', { policy: { kind: 'consecutive', failureThreshold: 1 }, breakDuration: -5 }, /"breakDuration" must be a finite number ≥ 0, got -5/],
    ['zero trial calls', { policy: { kind: 'consecutive', failureThreshold: 1 }, halfOpen: { permittedCalls: 0 } }, /"halfOpen\.permittedCalls"/],
    ['more successes than trials', { policy: { kind: 'consecutive', failureThreshold: 1 }, halfOpen: { permittedCalls: 2, successesToClose: 3 } }, /"halfOpen\.successesToClose"/],
    ['unknown policy', { policy: { kind: 'sometimes' } }, /"policy\.kind"/],
  ];
  it.each(bad)('rejects %s with a message naming the option', (_name, options, message) => {
    const make = () => new CircuitBreaker({ clock, ...(options as object) } as unknown as CircuitBreakerOptions);
    expect(make).toThrow(InvalidOptionError);
    expect(make).toThrow(message);
  });
});
