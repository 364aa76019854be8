/**
 * The load generator: open-loop Poisson arrivals on the world's clock and
 * seeded generator, each call in the trace, and a summary of how it went.
 */
import { describe, expect, it } from 'vitest';
import { generateLoad, InvalidOptionError, summarizeLatency, type LoadOptions, type LoadSummary } from '../../../src/patterns/index.js';
import { HttpStatusError } from '../../../src/sim/http-errors.js';
import type { TraceEventOf } from '../../../src/sim/trace.js';
import { createWorld, type World } from '../../../src/sim/world.js';

type Options<T> = Omit<LoadOptions<T>, 'clock' | 'rng' | 'trace'>;

async function run<T>(seed: number, optionsFor: Options<T> | ((world: World) => Options<T>)) {
  const world = createWorld({ seed });
  const options = typeof optionsFor === 'function' ? optionsFor(world) : optionsFor;
  let summary: LoadSummary | undefined;
  void generateLoad<T>({ ...options, clock: world.scheduler, rng: world.rng.fork('load'), trace: world.trace }).then((s) => (summary = s));
  await world.run();
  const of = <K extends 'load.start' | 'load.call' | 'load.done' | 'load.end'>(kind: K) => world.events.filter((e) => e.kind === kind) as unknown as TraceEventOf<K>[];
  return { world, summary: summary!, calls: of('load.call'), done: of('load.done'), start: of('load.start'), end: of('load.end') };
}

describe('generateLoad', () => {
  it('does not wait for earlier calls: slow calls pile up in flight (open loop)', async () => {
    const { summary, calls, done } = await run(1, (world) => ({
      ratePerSecond: 20,
      durationMs: 1000,
      request: () => world.sleep(5000),
    }));
    expect(calls.length).toBeGreaterThan(10);
    // Every call started within the first second, although none had ended by then.
    expect(Math.max(...calls.map((c) => c.time))).toBeLessThan(1000);
    expect(Math.min(...done.map((d) => d.durationMs))).toBe(5000);
    expect(summary).toMatchObject({ sent: calls.length, ok: calls.length, failed: 0 });
    expect(summary.latency.p50).toBe(5000);
  });

  it('draws exponential gaps: the rate on average, as variable as a Poisson process, the same for the same seed', async () => {
    const times = async (seed: number) => (await run(seed, { ratePerSecond: 100, durationMs: 60_000, request: () => undefined })).calls.map((c) => c.time);
    const t = await times(7);
    expect(t.length).toBeGreaterThan(5700); // 6,000 expected
    expect(t.length).toBeLessThan(6300);
    const gaps = t.slice(1).map((x, i) => x - t[i]!);
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
    expect(mean).toBeGreaterThan(9.5);
    expect(mean).toBeLessThan(10.5);
    expect(sd / mean).toBeGreaterThan(0.9); // an exponential's coefficient of variation is 1; evenly spaced calls would give 0
    expect(sd / mean).toBeLessThan(1.1);
    expect(await times(7)).toEqual(t);
    expect(await times(8)).not.toEqual(t);
  });

  it('counts rejections and error statuses as failures, and records every call in the trace', async () => {
    const { summary, calls, done, start, end } = await run(2, {
      name: 'shop',
      ratePerSecond: 50,
      durationMs: 2000,
      clients: 4,
      request: ({ index }) => {
        if (index % 5 === 1) throw new Error('boom');
        if (index % 5 === 2) return Promise.reject(new HttpStatusError({}, 'req-1', { status: 503, statusText: '', headers: {}, data: {}, config: {} } as never));
        if (index % 5 === 3) return { status: 404, data: {} };
        return { status: 200, data: {} };
      },
    });
    expect(start).toEqual([expect.objectContaining({ load: 'shop', ratePerSecond: 50, durationMs: 2000, clients: 4 })]);
    expect(done).toHaveLength(calls.length);
    const failed = done.filter((d) => !d.ok);
    expect(failed.length).toBe(calls.filter((c) => [1, 2, 3].includes(c.index % 5)).length);
    expect(done.find((d) => d.index === 1)).toMatchObject({ ok: false, error: 'Error: boom' });
    expect(done.find((d) => d.index === 2)).toMatchObject({ ok: false, status: 503 });
    expect(done.find((d) => d.index === 3)).toMatchObject({ ok: false, status: 404 });
    expect(done.find((d) => d.index === 4)).toMatchObject({ ok: true, status: 200 });
    expect(summary).toMatchObject({ name: 'shop', sent: calls.length, ok: calls.length - failed.length, failed: failed.length });
    expect(summary.errorRate).toBeCloseTo(failed.length / calls.length);
    expect(end).toEqual([expect.objectContaining({ load: 'shop', sent: calls.length, failed: failed.length })]);
    expect(new Set(calls.map((c) => c.client))).toEqual(new Set([1, 2, 3, 4]));
  });

  it('lets isOk decide what a success is', async () => {
    const { summary } = await run(3, { ratePerSecond: 20, durationMs: 1000, request: ({ index }) => index, isOk: (n) => n % 2 === 0 });
    expect(summary.ok).toBe(Math.ceil(summary.sent / 2));
  });

  it('ends on time when no call arrived at all', async () => {
    const { summary, world } = await run(4, { ratePerSecond: 0.001, durationMs: 500, request: () => 1 });
    expect(summary).toMatchObject({ sent: 0, ok: 0, failed: 0, errorRate: 0, latency: { p50: undefined } });
    expect(world.scheduler.now()).toBe(500);
  });

  it('refuses bad options with a message that names the option', () => {
    const world = createWorld({ seed: 1 });
    const base = { clock: world.scheduler, rng: world.rng.fork('l'), request: () => 1 };
    expect(() => generateLoad({ ...base, ratePerSecond: 0, durationMs: 1000 })).toThrow(/load: "ratePerSecond" must be a finite number > 0, got 0/);
    expect(() => generateLoad({ ...base, ratePerSecond: 10, durationMs: -1 })).toThrow(InvalidOptionError);
    expect(() => generateLoad({ ...base, ratePerSecond: 10, durationMs: 1000, clients: 1.5 })).toThrow(/"clients" must be an integer ≥ 1/);
    expect(() => generateLoad({ ...base, ratePerSecond: 10_000, durationMs: 60_000 })).toThrow(/at most 50,000 calls in all, got "600000 calls"/);
    expect(() => generateLoad({ ...base, ratePerSecond: 10, durationMs: 1000, request: 'x' as never })).toThrow(/"request" must be a function/);
  });
});

describe('summarizeLatency', () => {
  it('gives nearest-rank percentiles', () => {
    const d = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, unsorted
    expect(summarizeLatency(d)).toEqual({ p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 });
    expect(summarizeLatency([])).toEqual({ p50: undefined, p95: undefined, p99: undefined, max: undefined, mean: undefined });
  });
});
