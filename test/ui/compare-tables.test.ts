import { describe, expect, it } from 'vitest';
import type { ExploreResult } from '../../src/explore/index.js';
import { judgeRun, type ExploreCheck } from '../../src/explore/index.js';
import type { ExecutedRun } from '../../src/runner/protocol.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { numberRow, outcomeRow, verdictCounts } from '../../src/ui/compare/compare-rows.js';
import { failingServices, seedRows, singleRunRows } from '../../src/ui/compare/compare-tables.js';

const id = { key: 'k', group: 'g', label: 'l' };

describe('compare rows', () => {
  it('writes the difference b − a and says whether it went the right way', () => {
    expect(numberRow(id, 2400, 900, 'ms', 'lower')).toMatchObject({ a: '2,400 ms', b: '900 ms', delta: '−1,500 ms', verdict: 'better' });
    expect(numberRow(id, 900, 2400, 'ms', 'lower')).toMatchObject({ delta: '+1,500 ms', verdict: 'worse' });
    expect(numberRow(id, 3, 5, 'count', 'higher')).toMatchObject({ delta: '+2', verdict: 'better' });
    expect(numberRow(id, 5, 3, 'count', 'higher')).toMatchObject({ delta: '−2', verdict: 'worse' });
    expect(numberRow(id, 5, 3, 'count', 'none')).toMatchObject({ delta: '−2', verdict: 'changed' });
  });

  it('calls a difference below the shown precision the same, and a missing figure neither better nor worse', () => {
    expect(numberRow(id, 1.001, 1.004, 'mean', 'lower')).toMatchObject({ a: '1', b: '1', delta: '0', verdict: 'same' });
    expect(numberRow(id, 100.02, 100.04, 'ms', 'lower')).toMatchObject({ verdict: 'same' });
    expect(numberRow(id, undefined, 4, 'count', 'lower')).toMatchObject({ a: '—', b: '4', delta: '', verdict: 'changed' });
  });

  it('judges pass/fail outcomes: failing then passing is better', () => {
    const pass = { passed: true, text: '✓ passes' };
    const fail = { passed: false, text: '✗ fails' };
    expect(outcomeRow(id, fail, pass)).toMatchObject({ delta: 'now passes', verdict: 'better' });
    expect(outcomeRow(id, pass, fail)).toMatchObject({ delta: 'now fails', verdict: 'worse' });
    expect(outcomeRow(id, pass, pass)).toMatchObject({ delta: '', verdict: 'same' });
    expect(outcomeRow(id, { passed: false, text: 'error: a' }, { passed: false, text: 'timeout' })).toMatchObject({ verdict: 'changed' });
    expect(verdictCounts([outcomeRow(id, fail, pass), outcomeRow(id, pass, fail), outcomeRow(id, pass, pass)])).toEqual({ better: 1, worse: 1, changed: 0 });
  });
});

/** A run whose client sent `latencies.length` orders to orders-service, which called payment `payments` times. */
function run(latencies: number[], payments: number, extra: Partial<ExecutedRun> = {}): ExecutedRun {
  const events: TraceEvent[] = [];
  let t = 0;
  const push = (e: object) => events.push({ seq: events.length, time: t++, ...e } as TraceEvent);
  for (const ms of latencies) {
    push({ kind: 'http.request', source: 'client', target: 'orders-service', requestId: `r${t}`, method: 'POST', path: '/orders', url: 'http://orders-service/orders' });
    push({ kind: 'http.response', source: 'orders-service', target: 'client', requestId: `r${t}`, method: 'POST', path: '/orders', status: 201, sentAt: t, durationMs: ms });
  }
  for (let i = 0; i < payments; i++) push({ kind: 'http.request', source: 'orders-service', target: 'payment-service', requestId: `p${i}`, method: 'POST', path: '/payments', url: 'http://payment-service/payments' });
  return { status: 'ok', events, traceHash: 'h', eventsRun: 1, virtualTime: t, droppedLogs: 0, ...extra };
}

const fewPayments: ExploreCheck = { id: 'few', title: 'payment gets at most 3 calls', check: (r) => { const n = r.events.filter((e) => e.target === 'payment-service').length; return { passed: n <= 3, message: `${n} calls` }; } };

describe('single-seed compare table', () => {
  const a = run([100, 200, 3000], 10);
  const b = run([100, 150, 400], 2, { invariants: [{ name: 'no storm', passed: true }] });
  const rows = singleRunRows({ run: a, judgement: judgeRun(a, [fewPayments]) }, { run: b, judgement: judgeRun(b, [fewPayments]) }, { failing: failingServices({ services: { 'payment-service': { errorRate: 0.2 } } }) });
  const row = (key: string) => rows.find((r) => r.key === key)!;

  it('shows client latency lower, fewer calls reaching the failing service, and the check that now passes as improvements', () => {
    expect(row('latency-max')).toMatchObject({ a: '3,000 ms', b: '400 ms', verdict: 'better' });
    expect(row('latency-mean')).toMatchObject({ a: '1,100 ms', b: '216.7 ms', verdict: 'better' });
    expect(row('calls:payment-service')).toMatchObject({ label: 'payment-service (has faults)', a: '10', b: '2', delta: '−8', verdict: 'better' });
    // A service without faults: fewer calls is neither good nor bad.
    expect(row('calls:orders-service')).toMatchObject({ a: '3', b: '3', verdict: 'same' });
    expect(row('check:few')).toMatchObject({ a: '✗ fails', b: '✓ passes', verdict: 'better' });
    expect(row('invariant:no storm')).toMatchObject({ a: '—', b: '✓ passes' });
    expect(row('status')).toMatchObject({ a: 'ok', b: 'ok', verdict: 'same' });
    expect(rows.some((r) => r.group === 'Orders')).toBe(false); // no order saga in these runs
  });

  it('reports a run that failed as worse, with its message', () => {
    const broken = run([], 0, { status: 'error', error: { kind: 'runtime', message: 'payment exploded' } });
    const r = singleRunRows({ run: a, judgement: judgeRun(a, []) }, { run: broken, judgement: judgeRun(broken, []) });
    expect(r.find((x) => x.key === 'status')).toMatchObject({ a: 'ok', b: 'error: payment exploded', verdict: 'worse' });
  });
});

function result(p: Partial<ExploreResult> & { runs: number }): ExploreResult {
  const h = (mean: number, p99 = mean) => ({ count: 10, min: 0, max: p99, mean, p50: mean, p95: p99, p99, buckets: [] });
  return {
    passedRuns: 0,
    failedRuns: 0,
    checks: [],
    errors: [],
    otherErrors: 0,
    failures: [],
    omittedFailures: 0,
    distributions: { clientLatencyMs: h(300, 2500), serviceCalls: { 'payment-service': h(40) }, virtualTimeMs: h(1) },
    total: p.runs,
    stopped: false,
    wallMs: 1,
    runsPerSecond: 1,
    ...p,
  };
}

describe('compare table over many seeds', () => {
  it('puts p99 latency, calls reaching the failing service and failed invariants side by side', () => {
    const a = result({ runs: 50, failedRuns: 30, checks: [{ key: 'invariant:x', kind: 'invariant', title: 'x holds', passed: 20, failed: 30, messages: [], otherMessages: 0 }] });
    const b = result({
      runs: 50,
      failedRuns: 2,
      checks: [{ key: 'invariant:x', kind: 'invariant', title: 'x holds', passed: 48, failed: 2, messages: [], otherMessages: 0 }],
      distributions: { clientLatencyMs: { count: 10, min: 0, max: 700, mean: 200, p50: 150, p95: 600, p99: 700, buckets: [] }, serviceCalls: { 'payment-service': { count: 50, min: 0, max: 9, mean: 6.5, p50: 6, p95: 9, p99: 9, buckets: [] } }, virtualTimeMs: a.distributions.virtualTimeMs },
    });
    const rows = seedRows(a, b, { failing: new Set(['payment-service']) });
    const row = (key: string) => rows.find((r) => r.key === key)!;
    expect(row('latency-p99')).toMatchObject({ a: '2,500 ms', b: '700 ms', delta: '−1,800 ms', verdict: 'better' });
    expect(row('calls:payment-service')).toMatchObject({ a: '40', b: '6.5', delta: '−33.5', verdict: 'better' });
    expect(row('invariant:x')).toMatchObject({ a: '30', b: '2', verdict: 'better' });
    expect(row('failed-runs')).toMatchObject({ a: '30', b: '2', verdict: 'better' });
  });

  it('shows no figures, rather than zeros, for a variant that ran no seed', () => {
    const a = result({ runs: 20, failedRuns: 5 });
    const b = result({ runs: 0, distributions: { clientLatencyMs: { count: 0, min: 0, max: 0, mean: 0, p50: 0, p95: 0, p99: 0, buckets: [] }, serviceCalls: {}, virtualTimeMs: a.distributions.virtualTimeMs } });
    const rows = seedRows(a, b);
    expect(rows.find((r) => r.key === 'failed-runs')).toMatchObject({ a: '5', b: '—', verdict: 'changed' });
    expect(rows.find((r) => r.key === 'latency-p99')).toMatchObject({ b: '—' });
    expect(rows.find((r) => r.key === 'calls:payment-service')).toMatchObject({ b: '—' });
  });
});
