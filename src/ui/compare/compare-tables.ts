import { runMetrics, type ExploreResult, type RunJudgement } from '../../explore/index.js';
import type { ExecutedRun } from '../../runner/protocol.js';
import type { FaultPlan } from '../../sim/faults.js';
import { numberRow, outcomeRow, type Better, type CompareRow } from './compare-rows.js';

/** A run and what the checks and invariants made of it. */
export interface JudgedRun {
  run: ExecutedRun;
  judgement: RunJudgement;
}

/**
 * Services that a fault plan makes fail (errors, down windows, per route):
 * fewer calls reaching them is an improvement (a breaker's whole point).
 */
export function failingServices(...plans: readonly FaultPlan[]): Set<string> {
  const out = new Set<string>();
  for (const plan of plans) {
    for (const [name, f] of Object.entries(plan.services ?? {})) if ((f.errorRate ?? 0) > 0 || (f.down?.length ?? 0) > 0) out.add(name);
    for (const r of plan.routes ?? []) if ((r.errorRate ?? 0) > 0) out.add(r.service);
  }
  return out;
}

/** The value below which a fraction `q` of the sorted `values` lie (nearest rank). */
function percentile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : undefined);

function statusOf(r: ExecutedRun): { passed: boolean; text: string } {
  if (r.status === 'ok') return { passed: true, text: 'ok' };
  const message = r.error?.message ?? '';
  return { passed: false, text: `${r.status}${message ? `: ${message.length > 90 ? `${message.slice(0, 89)}…` : message}` : ''}` };
}

/** Keys in the order they first appear in either list. */
function union<T>(a: Iterable<T>, b: Iterable<T>): T[] {
  return [...new Set([...a, ...b])];
}

const callsBetter = (service: string, failing: ReadonlySet<string>): Better => (failing.has(service) ? 'lower' : 'none');
const serviceLabel = (service: string, failing: ReadonlySet<string>) => (failing.has(service) ? `${service} (has faults)` : service);

/**
 * The rows of a single-seed compare: how each run ended, the client's
 * latency, how the orders ended, the calls each service received, and every
 * check and invariant, each with the difference and whether it improved.
 *
 * @example
 * const rows = singleRunRows({ run: a, judgement: judgeRun(a, checks) }, { run: b, judgement: judgeRun(b, checks) }, { failing: failingServices(plan) });
 */
export function singleRunRows(a: JudgedRun, b: JudgedRun, options: { failing?: ReadonlySet<string> } = {}): CompareRow[] {
  const failing = options.failing ?? new Set<string>();
  const ma = runMetrics(a.run.events);
  const mb = runMetrics(b.run.events);
  const rows: CompareRow[] = [];
  const run = 'Run';
  rows.push(outcomeRow({ key: 'status', group: run, label: 'How the run ended' }, statusOf(a.run), statusOf(b.run)));
  rows.push(numberRow({ key: 'virtual-time', group: run, label: 'Virtual time at the end' }, a.run.virtualTime, b.run.virtualTime, 'ms', 'none'));
  rows.push(numberRow({ key: 'events', group: run, label: 'Trace events' }, a.run.events.length, b.run.events.length, 'count', 'none'));

  const la = [...ma.clientLatencies].sort((x, y) => x - y);
  const lb = [...mb.clientLatencies].sort((x, y) => x - y);
  if (la.length || lb.length) {
    const g = 'Client latency';
    rows.push(numberRow({ key: 'latency-count', group: g, label: 'Requests the client made' }, la.length, lb.length, 'count', 'none'));
    rows.push(numberRow({ key: 'latency-mean', group: g, label: 'mean' }, mean(la), mean(lb), 'ms', 'lower'));
    rows.push(numberRow({ key: 'latency-p95', group: g, label: 'p95' }, percentile(la, 0.95), percentile(lb, 0.95), 'ms', 'lower'));
    rows.push(numberRow({ key: 'latency-max', group: g, label: 'slowest' }, la.at(-1), lb.at(-1), 'ms', 'lower'));
  }
  if (ma.orders || mb.orders) {
    const g = 'Orders';
    rows.push(numberRow({ key: 'orders-completed', group: g, label: 'completed' }, ma.orders?.completed, mb.orders?.completed, 'count', 'higher'));
    rows.push(numberRow({ key: 'orders-cancelled', group: g, label: 'cancelled' }, ma.orders?.cancelled, mb.orders?.cancelled, 'count', 'none'));
    rows.push(numberRow({ key: 'orders-pending', group: g, label: 'still pending' }, ma.orders?.pending, mb.orders?.pending, 'count', 'lower'));
  }
  for (const s of union(ma.serviceCalls.keys(), mb.serviceCalls.keys()).sort()) {
    rows.push(numberRow({ key: `calls:${s}`, group: 'Calls received', label: serviceLabel(s, failing) }, ma.serviceCalls.get(s) ?? 0, mb.serviceCalls.get(s) ?? 0, 'count', callsBetter(s, failing)));
  }
  const va = new Map(a.judgement.verdicts.map((v) => [v.key, v]));
  const vb = new Map(b.judgement.verdicts.map((v) => [v.key, v]));
  for (const key of union(va.keys(), vb.keys())) {
    const x = va.get(key);
    const y = vb.get(key);
    const text = (v: typeof x) => v && { passed: v.passed, text: v.passed ? '✓ passes' : '✗ fails' };
    rows.push(outcomeRow({ key, group: 'Checks and invariants', label: (x ?? y)!.title }, text(x), text(y)));
  }
  return rows;
}

/**
 * The rows of a compare over many seeds: runs that failed, client latency
 * p50/p95/p99, orders per run, calls each service received per run, and
 * for every check and invariant the runs that failed it.
 *
 * @example
 * const rows = seedRows(await explore({ run: a, seeds, space, checks }), await explore({ run: b, seeds, space, checks }), { failing });
 */
export function seedRows(a: ExploreResult, b: ExploreResult, options: { failing?: ReadonlySet<string> } = {}): CompareRow[] {
  const failing = options.failing ?? new Set<string>();
  const rows: CompareRow[] = [];
  const g = 'Runs';
  rows.push(numberRow({ key: 'runs', group: g, label: 'Seeds run' }, a.runs, b.runs, 'count', 'none'));
  // A variant that ran no seed (stopped before it began) has no figures, not zeros.
  const ran = (r: ExploreResult, x: number) => (r.runs > 0 ? x : undefined);
  rows.push(numberRow({ key: 'failed-runs', group: g, label: 'Runs that failed a check, an invariant or ended in error' }, ran(a, a.failedRuns), ran(b, b.failedRuns), 'count', 'lower'));
  const errors = (r: ExploreResult) => ran(r, r.errors.reduce((s, e) => s + e.count, 0) + r.otherErrors);
  rows.push(numberRow({ key: 'error-runs', group: g, label: 'Runs that ended in error' }, errors(a), errors(b), 'count', 'lower'));

  const la = a.distributions.clientLatencyMs;
  const lb = b.distributions.clientLatencyMs;
  if (la.count || lb.count) {
    const l = 'Client latency (every request of every run)';
    const q = (h: typeof la, k: 'p50' | 'p95' | 'p99') => (h.count ? h[k] : undefined);
    for (const k of ['p50', 'p95', 'p99'] as const) rows.push(numberRow({ key: `latency-${k}`, group: l, label: k }, q(la, k), q(lb, k), 'ms', 'lower'));
  }
  const oa = a.distributions.orders;
  const ob = b.distributions.orders;
  if (oa || ob) {
    const o = 'Orders per run (mean)';
    rows.push(numberRow({ key: 'orders-completed', group: o, label: 'completed' }, oa?.completed.mean, ob?.completed.mean, 'mean', 'higher'));
    rows.push(numberRow({ key: 'orders-cancelled', group: o, label: 'cancelled' }, oa?.cancelled.mean, ob?.cancelled.mean, 'mean', 'none'));
    rows.push(numberRow({ key: 'orders-pending', group: o, label: 'still pending' }, oa?.pending.mean, ob?.pending.mean, 'mean', 'lower'));
  }
  const ca = a.distributions.serviceCalls;
  const cb = b.distributions.serviceCalls;
  for (const s of union(Object.keys(ca), Object.keys(cb)).sort()) {
    const m = (h: (typeof ca)[string] | undefined, runs: number) => (h ? h.mean : runs > 0 ? 0 : undefined);
    rows.push(numberRow({ key: `calls:${s}`, group: 'Calls received per run (mean)', label: serviceLabel(s, failing) }, m(ca[s], a.runs), m(cb[s], b.runs), 'mean', callsBetter(s, failing)));
  }
  const ka = new Map(a.checks.map((c) => [c.key, c]));
  const kb = new Map(b.checks.map((c) => [c.key, c]));
  for (const key of union(ka.keys(), kb.keys())) {
    const x = ka.get(key);
    const y = kb.get(key);
    rows.push(numberRow({ key, group: 'Runs that failed each check and invariant', label: (x ?? y)!.title }, x?.failed ?? (a.runs ? 0 : undefined), y?.failed ?? (b.runs ? 0 : undefined), 'count', 'lower'));
  }
  return rows;
}
