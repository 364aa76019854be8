import type { TraceEvent } from '../../sim/trace.js';
import { queueStats, type QueueStats } from './queue-model.js';
import { prefixLength } from './trace-access.js';

/** Calls and latency of one route (callee, method and path pattern). */
export interface RouteMetrics {
  /** `payment POST /payments/:id`. */
  route: string;
  service: string;
  method: string;
  /** Path with ids replaced by `:id`. */
  path: string;
  /** Requests sent. */
  calls: number;
  /** Responses the caller read. */
  responses: number;
  /** Responses with status ≥ 400, timeouts and refused connections. */
  failures: number;
  /** Responses with status ≥ 400 (part of `failures`). */
  errorResponses: number;
  timeouts: number;
  refused: number;
  canceled: number;
  /** Responses that arrived after the caller gave up. */
  late: number;
  /** Latency percentiles over read responses, ms (`undefined` without any). */
  p50?: number;
  p99?: number;
  max?: number;
  mean?: number;
}

/** The metrics view model. */
export interface Metrics {
  routes: RouteMetrics[];
  queues: QueueStats[];
  totals: { calls: number; failures: number; messages: number; deadLettered: number };
}

/**
 * Per-route call counts, failures and p50/p99 latency (from `durationMs` of
 * the responses the caller read), and per-queue message counts, for the trace
 * up to `until`. Linear in the trace plus a sort of each route's latencies.
 *
 * @example
 * const m = computeMetrics(world.events);
 * m.routes[0] // { route: 'payment POST /payments', calls: 10, failures: 2, p50: 12, p99: 40, … }
 */
export function computeMetrics(events: readonly TraceEvent[], until?: number): Metrics {
  const n = prefixLength(events, until);
  const routes = new Map<string, RouteMetrics & { durations: number[] }>();
  const routeOf = (service: string, method: string, rawPath: string) => {
    const path = normalizePath(rawPath);
    const key = `${service} ${method} ${path}`;
    let r = routes.get(key);
    if (!r) {
      r = { route: key, service, method, path, calls: 0, responses: 0, failures: 0, errorResponses: 0, timeouts: 0, refused: 0, canceled: 0, late: 0, durations: [] };
      routes.set(key, r);
    }
    return r;
  };
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    switch (e.kind) {
      case 'http.request':
        routeOf(e.target ?? '?', e.method, e.path).calls++;
        break;
      case 'http.response': {
        // A response goes from the callee (source) back to the caller.
        const r = routeOf(e.source ?? '?', e.method, e.path);
        if (e.late === true) {
          r.late++;
          break;
        }
        r.responses++;
        if (e.status >= 400) {
          r.failures++;
          r.errorResponses++;
        }
        if (Number.isFinite(e.durationMs)) r.durations.push(e.durationMs);
        break;
      }
      case 'http.timeout': {
        const r = routeOf(e.target ?? '?', e.method, e.path);
        r.timeouts++;
        r.failures++;
        break;
      }
      case 'http.refused': {
        const r = routeOf(e.target ?? '?', e.method, e.path);
        r.refused++;
        r.failures++;
        break;
      }
      case 'http.canceled':
        routeOf(e.target ?? '?', e.method, e.path).canceled++;
        break;
    }
  }
  const out: RouteMetrics[] = [];
  let calls = 0;
  let failures = 0;
  for (const r of routes.values()) {
    const { durations, ...rest } = r;
    calls += r.calls;
    failures += r.failures;
    if (durations.length) {
      durations.sort((a, b) => a - b);
      rest.p50 = percentile(durations, 0.5);
      rest.p99 = percentile(durations, 0.99);
      rest.max = durations[durations.length - 1]!;
      rest.mean = durations.reduce((s, d) => s + d, 0) / durations.length;
    }
    out.push(rest);
  }
  out.sort((a, b) => (a.route < b.route ? -1 : a.route > b.route ? 1 : 0));
  const queues = queueStats(events, until);
  let messages = 0;
  let deadLettered = 0;
  for (const q of queues) {
    messages += q.enqueued;
    deadLettered += q.deadLettered;
  }
  return { routes: out, queues, totals: { calls, failures, messages, deadLettered } };
}

/**
 * Nearest-rank percentile of an ascending array (`q` in (0, 1]).
 *
 * @example
 * percentile([1, 2, 3, 4], 0.5) // 2
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

/**
 * Replaces path segments that look like ids (numbers, UUIDs, long hex, `x-12`)
 * with `:id`, so `/orders/17` and `/orders/18` count as one route.
 *
 * @example
 * normalizePath('/orders/17/items?x=1') // '/orders/:id/items'
 */
export function normalizePath(path: string): string {
  const q = path.indexOf('?');
  const bare = q < 0 ? path : path.slice(0, q);
  return bare
    .split('/')
    .map((seg) => (/^\d+$|^[0-9a-f]{8}-[0-9a-f]{4}-|^[0-9a-f]{16,}$|^[a-z]+-\d+$/i.test(seg) ? ':id' : seg))
    .join('/');
}
