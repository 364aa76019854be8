import type { TraceEvent } from '../../sim/trace.js';
import { percentile } from './metrics-model.js';
import { prefixLength } from './trace-access.js';

/** One second of one load: what was sent, how it ended, how long it took. */
export interface LoadSecond {
  /** Start of the second, ms. */
  from: number;
  /** Calls that started in it. */
  sent: number;
  /** Calls that settled in it, successfully or not. */
  ok: number;
  failed: number;
  /** `failed / (ok + failed)`; undefined when nothing settled. */
  errorRate: number | undefined;
  /** Latency percentiles of the calls that settled in it, ms. */
  p50: number | undefined;
  p95: number | undefined;
  p99: number | undefined;
  /** Most calls in flight at one time during the second. */
  inFlight: number;
}

/** One load of the run, per second. */
export interface LoadSeries {
  name: string;
  ratePerSecond: number;
  durationMs: number;
  clients: number;
  seconds: LoadSecond[];
  totals: { sent: number; ok: number; failed: number; p99: number | undefined };
}

/** HTTP requests that reached one service, per second: to compare with what the loads sent. */
export interface ServiceCalls {
  service: string;
  perSecond: number[];
  total: number;
}

/** The load chart's model. */
export interface LoadChart {
  loads: LoadSeries[];
  /** Services called during the run, busiest first (at most {@link MAX_SERVICES}). */
  services: ServiceCalls[];
  /** Seconds the axis spans: the whole trace, so scrubbing fills the chart in. */
  span: number;
}

/** Services the chart draws a line for, at most. */
export const MAX_SERVICES = 3;

interface Open {
  series: LoadSeries;
  durations: number[][];
  inFlight: number;
}

/**
 * Per load and per second, for the trace up to `until`: calls sent, calls
 * that succeeded and failed, the error rate, p50/p95/p99 latency of the calls
 * that settled in that second, and the most calls in flight at once; and per
 * service, the HTTP requests that reached it each second (their total over a
 * load's calls is the amplification factor). The seconds span the whole
 * trace, so the axis does not move while scrubbing. Linear in the trace plus
 * a sort of each second's latencies.
 *
 * @example
 * const chart = loadChart(events);
 * chart.loads[0].seconds[3]; // { from: 3000, sent: 31, ok: 12, failed: 19, errorRate: 0.61, p99: 2502, inFlight: 44, … }
 */
export function loadChart(events: readonly TraceEvent[], until?: number): LoadChart {
  const end = events.length ? events[events.length - 1]!.time : 0;
  const span = Math.max(1, Math.ceil(Math.max(end, Number.isFinite(until ?? Infinity) ? until! : 0) / 1000 + 1e-9));
  const n = prefixLength(events, until);
  const loads = new Map<string, Open>();
  const services = new Map<string, ServiceCalls>();
  const second = (t: number) => Math.min(span - 1, Math.max(0, Math.floor(t / 1000)));
  const emptySecond = (s: number): LoadSecond => ({ from: s * 1000, sent: 0, ok: 0, failed: 0, errorRate: undefined, p50: undefined, p95: undefined, p99: undefined, inFlight: 0 });
  const open = (name: string): Open => {
    let o = loads.get(name);
    if (!o) {
      const seconds = Array.from({ length: span }, (_, s) => emptySecond(s));
      o = { series: { name, ratePerSecond: 0, durationMs: 0, clients: 1, seconds, totals: { sent: 0, ok: 0, failed: 0, p99: undefined } }, durations: seconds.map(() => []), inFlight: 0 };
      loads.set(name, o);
    }
    return o;
  };
  const allDurations = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    switch (e.kind) {
      case 'load.start': {
        const s = open(e.load).series;
        s.ratePerSecond = e.ratePerSecond;
        s.durationMs = e.durationMs;
        s.clients = e.clients;
        break;
      }
      case 'load.call': {
        const o = open(e.load);
        const sec = o.series.seconds[second(e.time)]!;
        sec.sent++;
        o.series.totals.sent++;
        o.inFlight++;
        if (o.inFlight > sec.inFlight) sec.inFlight = o.inFlight;
        break;
      }
      case 'load.done': {
        const o = open(e.load);
        const s = second(e.time);
        const sec = o.series.seconds[s]!;
        if (e.ok) sec.ok++;
        else sec.failed++;
        if (e.ok) o.series.totals.ok++;
        else o.series.totals.failed++;
        o.durations[s]!.push(e.durationMs);
        let all = allDurations.get(e.load);
        if (!all) allDurations.set(e.load, (all = []));
        all.push(e.durationMs);
        o.inFlight = Math.max(0, o.inFlight - 1);
        break;
      }
      case 'http.request': {
        const target = e.target;
        if (target === undefined || target === 'client' || target === '?') break;
        let c = services.get(target);
        if (!c) services.set(target, (c = { service: target, perSecond: new Array<number>(span).fill(0), total: 0 }));
        c.perSecond[second(e.time)]!++;
        c.total++;
        break;
      }
    }
  }
  const out: LoadSeries[] = [];
  for (const o of loads.values()) {
    // A second with calls still in flight from before, and none starting, still has them in flight.
    let carried = 0;
    for (let s = 0; s < span; s++) {
      const sec = o.series.seconds[s]!;
      const settled = sec.ok + sec.failed;
      if (settled > 0) {
        sec.errorRate = sec.failed / settled;
        const d = o.durations[s]!.sort((a, b) => a - b);
        sec.p50 = percentile(d, 0.5);
        sec.p95 = percentile(d, 0.95);
        sec.p99 = percentile(d, 0.99);
      }
      sec.inFlight = Math.max(sec.inFlight, carried);
      carried = Math.max(0, carried + sec.sent - settled);
    }
    const all = (allDurations.get(o.series.name) ?? []).sort((a, b) => a - b);
    o.series.totals.p99 = all.length ? percentile(all, 0.99) : undefined;
    out.push(o.series);
  }
  const busiest = [...services.values()].sort((a, b) => b.total - a.total || (a.service < b.service ? -1 : 1)).slice(0, MAX_SERVICES);
  return { loads: out, services: busiest, span };
}

/** Calls that reached `service` per call the loads sent, up to the scrub time (undefined before any was sent). */
export function amplification(chart: LoadChart, service: ServiceCalls): number | undefined {
  const sent = chart.loads.reduce((s, l) => s + l.totals.sent, 0);
  return sent ? service.total / sent : undefined;
}
