import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_COMPARE_RUNS, decodeCompareLink, decodeShareLink, encodeCompareLink, encodeShareLink, type CompareState } from '../../src/share/index.js';

const BASE = 'https://example.org/play/';

function encode(state: CompareState): string {
  const r = encodeCompareLink(state, BASE);
  if (!r.ok) throw new Error(r.error.message);
  return r.url;
}

const FULL: CompareState = {
  exampleId: 'circuit-breaker',
  seed: 'demo_1',
  code: "console.log('mine');\n",
  faults: { services: { 'payment-service': { errorRate: 0.2 } } },
  against: { kind: 'solution', exerciseId: 'one-trial' },
  runs: 50,
};

describe('compare links', () => {
  it('round-trips every kind of variant, with and without code, plan and runs', () => {
    const states: CompareState[] = [
      FULL,
      { exampleId: 'retry-backoff', seed: 7, against: { kind: 'starting' } },
      { exampleId: 'retry-backoff', seed: -3, against: { kind: 'seed', seed: 'other_9' }, runs: 1 },
      { exampleId: 'choreography-saga', seed: 42, faults: { queues: { q: { duplicateRate: 0.5 } } }, against: { kind: 'faults', faults: {} } },
      { exampleId: 'choreography-saga', seed: 42, against: { kind: 'faults', faults: { services: { s: { down: [{ from: 0, to: 10 }] } } } }, runs: MAX_COMPARE_RUNS },
    ];
    for (const state of states) {
      const r = decodeCompareLink(encode(state));
      expect(r).toEqual({ ok: true, link: { version: 1, ...state } });
    }
  });

  it('round-trips any code, seed and run count (property)', () => {
    const seed = fc.oneof(fc.integer({ min: -1e9, max: 1e9 }), fc.stringMatching(/^[A-Za-z_-][A-Za-z0-9_-]{0,31}$/).filter((t) => !/^-?\d+$/.test(t))); // '-1' is the number -1 in a link, and the same run
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), seed, fc.integer({ min: 1, max: MAX_COMPARE_RUNS }), seed, (code, s, runs, other) => {
        const state: CompareState = { exampleId: 'x', seed: s, code, against: { kind: 'seed', seed: other }, runs };
        expect(decodeCompareLink(encode(state))).toEqual({ ok: true, link: { version: 1, ...state } });
      }),
      { numRuns: 150 },
    );
  });

  it('leaves share links to the share codec, and the share codec refuses nothing of its own', () => {
    const share = encodeShareLink({ exampleId: 'retry', seed: 7 }, BASE);
    if (!share.ok) throw new Error('share link');
    expect(decodeCompareLink(share.url)).toMatchObject({ ok: false, error: { kind: 'empty' } });
    expect(decodeCompareLink(BASE)).toMatchObject({ ok: false, error: { kind: 'empty' } });
    expect(decodeShareLink(share.url).ok).toBe(true);
  });

  it('refuses what cannot travel, with a sentence', () => {
    const bad: Array<[CompareState, string]> = [
      [{ ...FULL, exampleId: '../x' }, 'exampleId'],
      [{ ...FULL, seed: 'a b' }, 'seed'],
      [{ ...FULL, runs: 0 }, 'runs'],
      [{ ...FULL, runs: MAX_COMPARE_RUNS + 1 }, 'runs'],
      [{ ...FULL, against: { kind: 'solution', exerciseId: '' } }, 'against'],
      [{ ...FULL, against: { kind: 'seed', seed: 1.5 } }, 'against'],
      [{ ...FULL, against: { kind: 'faults', faults: [] as never } }, 'against'],
      [{ ...FULL, code: 'x'.repeat(70_000) }, 'code'],
    ];
    for (const [state, field] of bad) {
      const r = encodeCompareLink(state, BASE);
      expect(r.ok, field).toBe(false);
      if (!r.ok) {
        expect(r.error.field).toBe(field);
        expect(r.error.message).toMatch(/\.$/);
      }
    }
  });

  it('tells a cut-off link from a damaged one, and names the example only when that part is intact', () => {
    const url = encode(FULL);
    const cut = decodeCompareLink(url.slice(0, url.length - 5));
    expect(cut).toMatchObject({ ok: false, error: { kind: 'truncated', exampleId: 'circuit-breaker' } });
    expect(decodeCompareLink(url.slice(0, url.indexOf('&seed')))).toMatchObject({ ok: false, error: { kind: 'truncated' } });
    expect((decodeCompareLink(url.slice(0, url.indexOf('&seed'))) as { error: { exampleId?: string } }).error.exampleId).toBeUndefined();

    // One character of the code changed: it still decompresses (or not), but never passes as the original.
    const at = url.indexOf('&code=') + 10;
    const flipped = url.slice(0, at) + (url[at] === 'A' ? 'B' : 'A') + url.slice(at + 1);
    const r = decodeCompareLink(flipped);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(['corrupt', 'malformed']).toContain(r.error.kind);
  });

  it.each([
    ['an unknown field', (u: string) => u.replace('&vs=', '&zz=1&vs=')],
    ['a field twice', (u: string) => u.replace('&vs=', '&runs=3&vs=')],
    ['no variant', (u: string) => u.replace('&vs=solution', '')],
    ['an unknown variant', (u: string) => u.replace('vs=solution', 'vs=tomorrow')],
    ['a bad seed', (u: string) => u.replace('seed=demo_1', 'seed=a%20b')],
    ['too many runs', (u: string) => u.replace('runs=50', 'runs=99999999')],
    ['a broken escape', (u: string) => u.replace('seed=demo_1', 'seed=%E0%A4%A')],
    ['a field without value', (u: string) => u.replace('&vs=', '&orphan&vs=')],
    ['a bad checksum', (u: string) => u.replace(/sum=[0-9a-f]{16}/, 'sum=zzzzzzzzzzzzzzzz')],
  ])('calls a link with %s malformed and loads nothing from it', (_name, damage) => {
    const r = decodeCompareLink(damage(encode(FULL)));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('malformed');
      expect(r.error.message).toMatch(/nothing from it was loaded/);
    }
  });

  it('refuses a field that belongs to another variant, a newer version, and an unknown example', () => {
    const seedVariant = encode({ exampleId: 'x', seed: 1, against: { kind: 'seed', seed: 2 } });
    expect(decodeCompareLink(seedVariant.replace('&vsseed=2', '&vsseed=2&vsex=y'))).toMatchObject({ ok: false, error: { kind: 'malformed' } });
    expect(decodeCompareLink(seedVariant.replace('cmp=1', 'cmp=2'))).toMatchObject({ ok: false, error: { kind: 'unknown-version' } });
    expect(decodeCompareLink(seedVariant, { isKnownExample: (id) => id === 'y' })).toMatchObject({ ok: false, error: { kind: 'unknown-example' } });
  });

  it('never throws on any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (tail) => {
        const r = decodeCompareLink(`#cmp=1&${tail}`);
        expect(r.ok === true || typeof r.error.message === 'string').toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
