/**
 * Compare over real programs run in Node: the circuit-breaker example's
 * starting code against the reference solution of "forget failures", on one
 * seed and over many.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadExample } from '../../examples/index.js';
import type { ExecutedRun, RunRequest } from '../../src/runner/protocol.js';
import { compareOneSeed, compareSeeds, type CompareProgress, type CompareRunner } from '../../src/ui/compare/compare-runs.js';
import { variantsFor } from '../../src/ui/compare/compare-variants.js';
import { nodeProgram, type NodeProgram } from '../explore/node-program.js';

const example = await loadExample('circuit-breaker');
const programs = new Map<string, NodeProgram>();
const program = (code: string) => {
  let p = programs.get(code);
  if (!p) programs.set(code, (p = nodeProgram(code)));
  return p;
};
afterAll(() => programs.forEach((p) => p.dispose()));

/** Runs in Node, one after another, like the page's sandbox without a pool. */
const runner: CompareRunner & { requests: RunRequest[] } = {
  requests: [],
  run(request): Promise<ExecutedRun> {
    this.requests.push(request);
    return program(request.code).run(request.seed, request.faults ?? {});
  },
  open: (code) => Promise.resolve({ ok: true, runners: [program(code).run], close: () => {} }),
};

const pair = variantsFor(example, { code: example.code, seed: example.seed, faults: example.faults! }, { kind: 'solution', exerciseId: 'forget-failures' });
if (!pair.ok) throw new Error(pair.message);
const { a, b } = pair;

describe('compare over real programs', () => {
  it('on one seed: the solution makes the exercise checks pass and keeps the breaker closed before the outage', { timeout: 60_000 }, async () => {
    const r = await compareOneSeed(example, a, b, runner);
    if (r?.kind !== 'single') throw new Error(`expected a single compare, got ${JSON.stringify(r)}`);
    expect(runner.requests.map((q) => [q.code === example.code, q.seed])).toEqual([
      [true, 'cb-1'],
      [false, 'cb-1'],
    ]);
    const row = (key: string) => r.rows.find((x) => x.key === key);
    expect(row('check:stays-closed-while-healthy')).toMatchObject({ a: '✗ fails', b: '✓ passes', verdict: 'better' });
    expect(row('check:healthy-orders-reach-payment')).toMatchObject({ verdict: 'better' });
    // A breaker that opens early sends fewer orders to payment-service; the fix lets more through, which this table counts as worse.
    const calls = row('calls:payment-service')!;
    expect(Number(calls.b.replace(/,/g, ''))).toBeGreaterThan(Number(calls.a.replace(/,/g, '')));
    expect(calls.label).toBe('payment-service (has faults)');
  });

  it('over many seeds: both variants run the same seeds, and the solution fails its checks on fewer of them', { timeout: 120_000 }, async () => {
    const progress: CompareProgress[] = [];
    let t = 0;
    const r = await compareSeeds(example, a, b, runner, { runs: 12, onProgress: (p) => progress.push(p), clock: () => (t += 10) });
    if (r?.kind !== 'seeds') throw new Error(`expected a seeds compare, got ${JSON.stringify(r)}`);
    expect([r.a.runs, r.b.runs, r.stopped]).toEqual([12, 12, false]);
    const failed = (x: typeof r.a, key: string) => x.checks.find((c) => c.key === key)!.failed;
    expect(failed(r.a, 'check:stays-closed-while-healthy')).toBeGreaterThan(failed(r.b, 'check:stays-closed-while-healthy'));
    expect(r.rows.find((x) => x.key === 'check:stays-closed-while-healthy')).toMatchObject({ verdict: 'better' });
    expect(r.rows.find((x) => x.key === 'latency-p99')).toBeDefined();
    expect(progress.at(-1)).toMatchObject({ side: 'b', done: 24, total: 24 });
    expect(progress.some((p) => p.side === 'a')).toBe(true);
  });

  it('stops when asked and keeps what the first variant found', { timeout: 60_000 }, async () => {
    const stop = new AbortController();
    const r = await compareSeeds(example, a, b, runner, { runs: 30, signal: stop.signal, onProgress: (p) => p.done >= 3 && stop.abort(), clock: (() => { let t = 0; return () => (t += 200); })() });
    if (r?.kind !== 'seeds') throw new Error(`expected a seeds compare, got ${JSON.stringify(r)}`);
    expect(r.stopped).toBe(true);
    expect(r.a.runs).toBeGreaterThanOrEqual(3);
    expect(r.a.runs).toBeLessThan(30);
    expect(r.b.runs).toBe(0);
    expect(r.rows.find((x) => x.key === 'failed-runs')!.b).toBe('—');
  });

  it('names a variant that does not compile', async () => {
    const broken = { ...b, label: 'broken', code: 'export default async function main( {' };
    const r = await compareSeeds(example, a, broken, { ...runner, open: (code) => (code === broken.code ? Promise.resolve({ ok: false, report: { runId: 'x', status: 'error', error: { kind: 'syntax', message: 'Unexpected token', line: 1 }, events: [], traceHash: '', eventsRun: 0, virtualTime: 0, droppedLogs: 0, wallMs: 0 } }) : runner.open(code)) }, { runs: 2 });
    expect(r).toEqual({ kind: 'failed', message: 'The second variant (broken) does not run: Unexpected token (line 1).' });
  });
});
