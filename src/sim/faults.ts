import type { Rng } from './rng.js';

/** How long something takes, in virtual milliseconds. */
export type LatencySpec =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'normal'; mean: number; sd: number };

/** A half-open interval of virtual time: from ≤ t < to. */
export interface TimeWindow {
  from: number;
  to: number;
}

/** Faults of one service (or, in {@link RouteFaults}, of one of its routes). */
export interface ServiceFaults {
  /** Extra time before the handler runs. */
  latency?: LatencySpec;
  /** Probability (0..1) that a request is answered with `errorStatus` instead of reaching the handler. */
  errorRate?: number;
  /** Status of injected errors; 500 by default. */
  errorStatus?: number;
  /** While inside one of these windows the service refuses connections. */
  down?: TimeWindow[];
}

/** Faults of one route of a service. */
export interface RouteFaults extends Omit<ServiceFaults, 'down'> {
  service: string;
  /** Route path as registered, e.g. `/payments/:id`, or the concrete path. */
  path: string;
  /** HTTP method; all methods when absent. */
  method?: string;
}

/** Network faults between two parties. */
export interface LinkFaults {
  from: string;
  to: string;
  /** One-way latency on this link, replacing the network default. */
  latency?: LatencySpec;
}

/** The two sides cannot reach each other (both directions) during the window. */
export interface Partition {
  a: string;
  b: string;
  /** Start; 0 when absent. */
  from?: number;
  /** End; forever when absent. */
  to?: number;
}

/** Faults of one queue of the broker. */
export interface QueueFaults {
  /** Probability that a delivery is delivered twice. */
  duplicateRate?: number;
  /** Probability that a published message is lost before it is enqueued. */
  dropRate?: number;
  /** Extra delivery delay. */
  delay?: LatencySpec;
  /** Probability that the consumer crashes after its effect but before its ack. */
  crashBeforeAckRate?: number;
}

/** Faults of the broker as a whole. */
export interface BrokerFaults {
  /** Delivery latency of the broker (default: the network default). */
  latency?: LatencySpec;
  /** Virtual times at which the broker restarts. */
  restarts?: number[];
}

/**
 * A fault plan: a plain, serialisable value that says what goes wrong in a run.
 *
 * @example
 * const plan: FaultPlan = {
 *   services: { payment: { errorRate: 0.3, down: [{ from: 1000, to: 5000 }] } },
 *   partitions: [{ a: 'orders', b: 'inventory', from: 0, to: 2000 }],
 * };
 */
export interface FaultPlan {
  services?: Record<string, ServiceFaults>;
  routes?: RouteFaults[];
  links?: LinkFaults[];
  partitions?: Partition[];
  queues?: Record<string, QueueFaults>;
  broker?: BrokerFaults;
}

/** One problem found in a fault plan. */
export interface FaultPlanIssue {
  /** Where, e.g. `services.payment.errorRate`. */
  path: string;
  message: string;
}

/** Thrown for an invalid fault plan; lists every problem. */
export class FaultPlanError extends Error {
  constructor(readonly issues: FaultPlanIssue[]) {
    super(`Invalid fault plan: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'FaultPlanError';
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a fault plan's shape and ranges. When `knownServices` is given, every
 * service named in the plan must be one of them. Returns the problems found
 * (empty when the plan is valid).
 */
export function validateFaultPlan(plan: unknown, knownServices?: readonly string[]): FaultPlanIssue[] {
  const issues: FaultPlanIssue[] = [];
  const bad = (path: string, message: string) => issues.push({ path, message });
  if (plan === undefined || plan === null) return issues;
  if (!isObj(plan)) {
    bad('plan', 'must be an object');
    return issues;
  }
  const allowed = new Set(['services', 'routes', 'links', 'partitions', 'queues', 'broker']);
  for (const key of Object.keys(plan)) if (!allowed.has(key)) bad(key, 'is not a fault plan field');
  const known = knownServices ? new Set(knownServices) : undefined;
  const service = (path: string, name: unknown) => {
    if (typeof name !== 'string' || name === '') bad(path, 'must be a service name');
    else if (known && !known.has(name)) bad(path, `unknown service "${name}" (known: ${[...known].join(', ') || 'none'})`);
  };
  const nonNeg = (path: string, v: unknown) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) bad(path, 'must be a finite number');
    else if (v < 0) bad(path, `must not be negative (got ${v})`);
  };
  const rate = (path: string, v: unknown) => {
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v)) bad(path, 'must be a number between 0 and 1');
    else if (v < 0 || v > 1) bad(path, `must be between 0 and 1 (got ${v})`);
  };
  const latency = (path: string, v: unknown) => {
    if (v === undefined) return;
    if (!isObj(v)) return bad(path, 'must be { kind: "fixed" | "uniform" | "normal", ... }');
    if (v['kind'] === 'fixed') nonNeg(`${path}.ms`, v['ms']);
    else if (v['kind'] === 'uniform') {
      nonNeg(`${path}.min`, v['min']);
      nonNeg(`${path}.max`, v['max']);
      if (typeof v['min'] === 'number' && typeof v['max'] === 'number' && v['max'] < v['min'])
        bad(`${path}.max`, `must not be below min (${v['max']} < ${v['min']})`);
    } else if (v['kind'] === 'normal') {
      nonNeg(`${path}.mean`, v['mean']);
      nonNeg(`${path}.sd`, v['sd']);
    } else bad(`${path}.kind`, `must be "fixed", "uniform" or "normal" (got ${JSON.stringify(v['kind'])})`);
  };
  const status = (path: string, v: unknown) => {
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 100 || v > 599) bad(path, `must be an HTTP status 100..599 (got ${String(v)})`);
  };
  const windowOf = (path: string, w: unknown, optional: boolean) => {
    if (!isObj(w)) return bad(path, 'must be { from, to }');
    if (!(optional && w['from'] === undefined)) nonNeg(`${path}.from`, w['from']);
    if (!(optional && w['to'] === undefined)) nonNeg(`${path}.to`, w['to']);
    if (typeof w['from'] === 'number' && typeof w['to'] === 'number' && w['to'] <= w['from'])
      bad(`${path}.to`, `must be after from (${w['to']} ≤ ${w['from']})`);
  };
  const list = (path: string, v: unknown, each: (p: string, x: unknown) => void) => {
    if (v === undefined) return;
    if (!Array.isArray(v)) return bad(path, 'must be an array');
    v.forEach((x, i) => each(`${path}[${i}]`, x));
  };
  const faultsOf = (path: string, f: unknown, withDown: boolean) => {
    if (!isObj(f)) return bad(path, 'must be an object');
    latency(`${path}.latency`, f['latency']);
    rate(`${path}.errorRate`, f['errorRate']);
    status(`${path}.errorStatus`, f['errorStatus']);
    if (withDown) list(`${path}.down`, f['down'], (p, w) => windowOf(p, w, false));
  };

  if (plan['services'] !== undefined) {
    if (!isObj(plan['services'])) bad('services', 'must be an object keyed by service name');
    else
      for (const [name, f] of Object.entries(plan['services'])) {
        service(`services.${name}`, name);
        faultsOf(`services.${name}`, f, true);
      }
  }
  list('routes', plan['routes'], (p, r) => {
    if (!isObj(r)) return bad(p, 'must be an object');
    service(`${p}.service`, r['service']);
    if (typeof r['path'] !== 'string' || !r['path'].startsWith('/')) bad(`${p}.path`, 'must be a path starting with "/"');
    if (r['method'] !== undefined && (typeof r['method'] !== 'string' || !/^(GET|POST|PUT|DELETE|PATCH)$/i.test(r['method'])))
      bad(`${p}.method`, 'must be GET, POST, PUT, DELETE or PATCH');
    faultsOf(p, r, false);
  });
  list('links', plan['links'], (p, l) => {
    if (!isObj(l)) return bad(p, 'must be an object');
    service(`${p}.from`, l['from']);
    service(`${p}.to`, l['to']);
    latency(`${p}.latency`, l['latency']);
  });
  list('partitions', plan['partitions'], (p, x) => {
    if (!isObj(x)) return bad(p, 'must be an object');
    service(`${p}.a`, x['a']);
    service(`${p}.b`, x['b']);
    windowOf(p, x, true);
  });
  if (plan['queues'] !== undefined) {
    if (!isObj(plan['queues'])) bad('queues', 'must be an object keyed by queue name');
    else
      for (const [name, q] of Object.entries(plan['queues'])) {
        const p = `queues.${name}`;
        if (!isObj(q)) {
          bad(p, 'must be an object');
          continue;
        }
        rate(`${p}.duplicateRate`, q['duplicateRate']);
        rate(`${p}.dropRate`, q['dropRate']);
        rate(`${p}.crashBeforeAckRate`, q['crashBeforeAckRate']);
        latency(`${p}.delay`, q['delay']);
      }
  }
  if (plan['broker'] !== undefined) {
    const b = plan['broker'];
    if (!isObj(b)) bad('broker', 'must be an object');
    else {
      latency('broker.latency', b['latency']);
      list('broker.restarts', b['restarts'], nonNeg);
    }
  }
  return issues;
}

/** Throws {@link FaultPlanError} unless the plan is valid; returns a deep copy. */
export function checkFaultPlan(plan: unknown, knownServices?: readonly string[]): FaultPlan {
  const issues = validateFaultPlan(plan, knownServices);
  if (issues.length > 0) throw new FaultPlanError(issues);
  return plan === undefined || plan === null ? {} : (JSON.parse(JSON.stringify(plan)) as FaultPlan);
}

/** Every service name a plan mentions. */
export function servicesInPlan(plan: FaultPlan): string[] {
  const names = new Set<string>(Object.keys(plan.services ?? {}));
  for (const r of plan.routes ?? []) names.add(r.service);
  for (const l of plan.links ?? []) names.add(l.from).add(l.to);
  for (const p of plan.partitions ?? []) names.add(p.a).add(p.b);
  return [...names];
}

/**
 * Draws a duration from a latency spec: never negative, and random draws are
 * whole milliseconds, so traces and views read `1458 ms`, not `1458.26 ms`.
 */
export function sampleLatency(spec: LatencySpec | undefined, rng: Rng, fallback = 0): number {
  if (!spec) return fallback;
  switch (spec.kind) {
    case 'fixed':
      return spec.ms;
    case 'uniform':
      return Math.round(rng.uniform(spec.min, spec.max));
    case 'normal':
      return Math.max(0, Math.round(rng.normal(spec.mean, spec.sd)));
  }
}

/** True when `t` lies in one of the windows. */
export function inWindows(t: number, windows: readonly TimeWindow[] | undefined): boolean {
  if (!windows) return false;
  for (const w of windows) if (t >= w.from && t < w.to) return true;
  return false;
}

/** True when `a` and `b` are partitioned from each other at time `t`. */
export function partitioned(plan: FaultPlan, a: string, b: string, t: number): boolean {
  for (const p of plan.partitions ?? []) {
    if (((p.a === a && p.b === b) || (p.a === b && p.b === a)) && t >= (p.from ?? 0) && t < (p.to ?? Infinity)) return true;
  }
  return false;
}
