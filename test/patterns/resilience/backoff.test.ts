import { describe, expect, it } from 'vitest';
import { constantBackoff, exponentialBackoff, linearBackoff, type Backoff, type Jitter } from '../../../src/patterns/resilience/backoff.js';
import { InvalidOptionError } from '../../../src/patterns/options.js';
import { Rng } from '../../../src/sim/rng.js';

const delays = (b: Backoff, n: number, rng = new Rng(1)) => {
  const out: number[] = [];
  let prev = 0;
  for (let a = 1; a <= n; a++) out.push((prev = b.delay(a, rng, prev)));
  return out;
};

describe('backoff curves without jitter', () => {
  it('constant', () => {
    expect(delays(constantBackoff(250), 4)).toEqual([250, 250, 250, 250]);
  });
  it('linear, with a step and a cap', () => {
    expect(delays(linearBackoff({ initialMs: 100 }), 4)).toEqual([100, 200, 300, 400]);
    expect(delays(linearBackoff({ initialMs: 100, stepMs: 50, maxMs: 220 }), 5)).toEqual([100, 150, 200, 220, 220]);
  });
  it('exponential, with a factor and a cap', () => {
    expect(delays(exponentialBackoff({ initialMs: 100 }), 5)).toEqual([100, 200, 400, 800, 1600]);
    expect(delays(exponentialBackoff({ initialMs: 100, factor: 3, maxMs: 1000 }), 4)).toEqual([100, 300, 900, 1000]);
  });
  it('draws nothing from the rng', () => {
    const rng = new Rng(1);
    delays(exponentialBackoff({ initialMs: 100 }), 5, rng);
    expect(rng.draws).toBe(0);
  });
});

describe('jitter, with the seeded rng (exact values)', () => {
  const twin = () => new Rng(42).fork('retry');
  it('full: d · r', () => {
    const r = twin();
    const expected = [100, 200, 400].map((d) => d * r.next());
    expect(delays(exponentialBackoff({ initialMs: 100, jitter: 'full' }), 3, twin())).toEqual(expected);
  });
  it('equal: d/2 + d/2 · r', () => {
    const r = twin();
    const expected = [100, 200, 400].map((d) => d / 2 + (d / 2) * r.next());
    expect(delays(exponentialBackoff({ initialMs: 100, jitter: 'equal' }), 3, twin())).toEqual(expected);
  });
  it('decorrelated: between the curve and three times the previous delay, capped', () => {
    const r = twin();
    const expected: number[] = [];
    let prev = 100;
    for (let i = 0; i < 6; i++) {
      const upper = Math.min(1000, prev * 3);
      prev = 100 + (upper - 100) * r.next();
      expected.push(prev);
    }
    const got = delays(constantBackoff(100, { jitter: 'decorrelated', maxMs: 1000 }), 6, twin());
    expect(got).toEqual(expected);
    expect(got.every((d) => d >= 100 && d <= 1000)).toBe(true);
  });
  it('the same seed gives the same delays; another seed others', () => {
    const b = exponentialBackoff({ initialMs: 100, jitter: 'full' });
    expect(delays(b, 5, new Rng(3))).toEqual(delays(b, 5, new Rng(3)));
    expect(delays(b, 5, new Rng(3))).not.toEqual(delays(b, 5, new Rng(4)));
  });
  it('one draw per delay', () => {
    const rng = new Rng(9);
    delays(linearBackoff({ initialMs: 10, jitter: 'equal' }), 7, rng);
    expect(rng.draws).toBe(7);
  });
});

describe('no NaN, Infinity or negative delay at any attempt', () => {
  const jitters: Jitter[] = ['none', 'full', 'equal', 'decorrelated'];
  const makers: Array<[string, (j: Jitter) => Backoff]> = [
    ['constant', (jitter) => constantBackoff(300, { jitter })],
    ['constant 0', (jitter) => constantBackoff(0, { jitter })],
    ['linear', (jitter) => linearBackoff({ initialMs: 100, stepMs: 1e300, jitter })],
    ['linear 0', (jitter) => linearBackoff({ initialMs: 0, stepMs: 0, jitter })],
    ['exponential', (jitter) => exponentialBackoff({ initialMs: 100, factor: 10, jitter })],
    ['exponential 0', (jitter) => exponentialBackoff({ initialMs: 0, factor: 2, jitter })],
  ];
  const attempts = [-1, 0, 0.5, NaN, 1, 2, 30, 1024, 1025, 2000, 1e6, Number.MAX_SAFE_INTEGER, Infinity];
  for (const [name, make] of makers) {
    for (const jitter of jitters) {
      it(`${name}, jitter ${jitter}`, () => {
        const b = make(jitter);
        const rng = new Rng(5);
        for (const a of attempts) {
          for (const prev of [0, -5, NaN, Infinity, 1e308, 250]) {
            const d = b.delay(a, rng, prev);
            expect(Number.isFinite(d), `attempt ${a}, previous ${prev}: ${d}`).toBe(true);
            expect(d).toBeGreaterThanOrEqual(0);
            expect(d).toBeLessThanOrEqual(b.maxMs);
          }
        }
      });
    }
  }
  it('attempt 2,000 of an exponential backoff is its cap', () => {
    expect(exponentialBackoff({ initialMs: 100, maxMs: 60_000 }).delay(2000, new Rng(1), 0)).toBe(60_000);
  });
});

describe('backoff options', () => {
  const bad: Array<[string, () => unknown, RegExp]> = [
    ['negative constant', () => constantBackoff(-1), /constantBackoff: "ms" must be a finite number ≥ 0, got -1/],
    ['NaN initial', () => exponentialBackoff({ initialMs: NaN }), /"initialMs"/],
    ['factor below 1', () => exponentialBackoff({ initialMs: 10, factor: 0.5 }), /"factor" must be a finite number ≥ 1, got 0\.5/],
    ['cap below the first delay', () => linearBackoff({ initialMs: 500, maxMs: 100 }), /"maxMs" must be a finite number ≥ the first delay \(500\), got 100/],
    ['infinite cap', () => linearBackoff({ initialMs: 5, maxMs: Infinity }), /"maxMs" must be a finite number > 0/],
    ['unknown jitter', () => constantBackoff(5, { jitter: 'lots' as Jitter }), /"jitter" must be one of "none", "full", "equal", "decorrelated", got "lots"/],
  ];
  it.each(bad)('rejects %s', (_n, make, message) => {
    expect(make).toThrow(InvalidOptionError);
    expect(make).toThrow(message);
  });
});
