import type { FaultPlan, LatencySpec, Partition, QueueFaults, ServiceFaults, TimeWindow } from './faults.js';
import { Rng } from './rng.js';

/** An inclusive range of numbers. */
export interface NumberRange {
  min: number;
  max: number;
}

/**
 * A fault that a sampled plan has with probability `chance` (0..1), its value
 * drawn uniformly from [min, max]: a rate (0..1) or a time in ms.
 */
export interface ValueRange extends NumberRange {
  chance: number;
}

/**
 * Windows of virtual time that a sampled plan has with probability `chance`:
 * `count` of them, each starting in `start` (ms) and lasting `length` (ms).
 */
export interface WindowRange {
  chance: number;
  count: NumberRange;
  start: NumberRange;
  length: NumberRange;
}

/** What may vary for one service (or, without `down`, one of its routes). */
export interface ServiceFaultSpace {
  /** Probability that a request is answered with an error. */
  errorRate?: ValueRange;
  /** Status of injected errors, copied into every sampled plan. */
  errorStatus?: number;
  /** Extra time (ms) before the handler runs: a sampled plan gets a uniform latency between two draws. */
  latency?: ValueRange;
  /** Windows in which the service refuses connections. */
  down?: WindowRange;
}

/** What may vary for one route of a service. */
export interface RouteFaultSpace extends Omit<ServiceFaultSpace, 'down'> {
  service: string;
  path: string;
  method?: string;
}

/** What may vary on the link between two parties: its one-way latency (ms). */
export interface LinkFaultSpace {
  from: string;
  to: string;
  latency: ValueRange;
}

/** Windows in which `a` and `b` cannot reach each other. */
export interface PartitionSpace extends WindowRange {
  a: string;
  b: string;
}

/** What may vary for one queue of the broker. */
export interface QueueFaultSpace {
  /** Probability that a delivery is delivered twice. */
  duplicateRate?: ValueRange;
  /** Probability that the consumer crashes after its effect, before its ack (the message is redelivered). */
  crashBeforeAckRate?: ValueRange;
  /** Probability that a published message is lost. */
  dropRate?: ValueRange;
  /** Extra delivery delay (ms), sampled like a service's latency. */
  delay?: ValueRange;
}

/** What may vary for the broker as a whole. */
export interface BrokerFaultSpace {
  /** Delivery latency (ms), sampled like a service's latency. */
  latency?: ValueRange;
  /** Restarts: `count` of them at virtual times drawn from `at`, with probability `chance`. */
  restarts?: { chance: number; count: NumberRange; at: NumberRange };
}

/**
 * A fault space: a plain, serialisable description of the fault plans an
 * explore may try. Each dimension is present in a sampled plan with its
 * `chance`, with a value from its range; {@link sampleFaultPlan} draws one plan.
 *
 * @example
 * const space: FaultSpace = {
 *   services: { payment: { errorRate: { chance: 0.5, min: 0, max: 0.5 }, down: { chance: 0.3, count: { min: 1, max: 1 }, start: { min: 0, max: 4000 }, length: { min: 100, max: 2000 } } } },
 *   queues: { 'payment.orders': { duplicateRate: { chance: 0.5, min: 0, max: 0.8 } } },
 * };
 */
export interface FaultSpace {
  services?: Record<string, ServiceFaultSpace>;
  routes?: RouteFaultSpace[];
  links?: LinkFaultSpace[];
  partitions?: PartitionSpace[];
  queues?: Record<string, QueueFaultSpace>;
  broker?: BrokerFaultSpace;
}

/** One problem found in a fault space, for an inline message next to the field. */
export interface FaultSpaceIssue {
  /** Where, e.g. `services.payment.errorRate.max`. */
  path: string;
  /** What is allowed, with the value found. */
  message: string;
}

/** The latest virtual time (ms) a space may name: one day. */
export const MAX_SPACE_MS = 86_400_000;
/** Most windows or restarts one dimension may ask for. */
export const MAX_SPACE_COUNT = 10;

/** Options of {@link faultSpaceFrom}. */
export interface FaultSpaceFromOptions {
  /** Services to vary besides those the plan names (error rate, latency, down windows). */
  services?: readonly string[];
  /** Queues to vary besides those the plan names (duplicates, crashes before ack). */
  queues?: readonly string[];
  /** Virtual time (ms) within which windows start when the plan gives no hint; default 5,000. */
  horizonMs?: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const rateUpTo = (max: number, chance = 0.5): ValueRange => ({ chance, min: 0, max: Math.min(1, round2(max)) });
/** A rate of the plan, `r`, varies from 0 to twice `r` (at least to 0.2). */
const rateAround = (r: number | undefined) => (r === undefined ? undefined : rateUpTo(Math.max(2 * r, 0.2)));
const msUpTo = (max: number): ValueRange => ({ chance: 0.5, min: 0, max: Math.min(MAX_SPACE_MS, Math.max(1, Math.round(max))) });

/** The largest time a latency spec usually gives. */
function latencyHigh(spec: LatencySpec): number {
  if (spec.kind === 'fixed') return spec.ms;
  if (spec.kind === 'uniform') return spec.max;
  return spec.mean + 2 * spec.sd;
}
const latencyAround = (spec: LatencySpec | undefined) => (spec ? msUpTo(Math.max(2 * latencyHigh(spec), 100)) : undefined);

/** Windows like `windows`: starts up to twice the latest, lengths up to twice the longest; without any, within the horizon. */
function windowsAround(windows: readonly { from: number; to: number }[], horizonMs: number): WindowRange {
  const latest = Math.max(0, ...windows.map((w) => w.from));
  const longest = Math.max(1, ...windows.map((w) => w.to - w.from));
  return {
    chance: 0.5,
    count: { min: 1, max: Math.min(MAX_SPACE_COUNT, Math.max(1, windows.length)) },
    start: { min: 0, max: Math.min(MAX_SPACE_MS, windows.length > 0 ? Math.max(2 * latest, 100) : horizonMs) },
    length: { min: 1, max: Math.min(MAX_SPACE_MS, windows.length > 0 ? Math.max(2 * longest, 100) : Math.round(horizonMs / 4)) },
  };
}

const compact = <T extends object>(o: T): T | undefined => {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return Object.keys(o).length > 0 ? o : undefined;
};

/** What a service the plan names (or `options.services` lists) may suffer, where the plan says nothing. */
const defaultServiceSpace = (horizon: number): ServiceFaultSpace => ({
  errorRate: rateUpTo(0.3),
  latency: msUpTo(500),
  down: { ...windowsAround([], horizon), chance: 0.3 },
});
/** What a queue the plan names (or `options.queues` lists) may suffer, where the plan says nothing: duplicates and redeliveries. */
const defaultQueueSpace = (): QueueFaultSpace => ({ duplicateRate: rateUpTo(0.5), crashBeforeAckRate: rateUpTo(0.3) });

/**
 * A sensible default space around a fault plan. Every service and queue the
 * plan names may suffer the usual faults (services: errors, latency, down
 * windows; queues: duplicates, crashes before ack), and every fault the plan
 * has varies around its value instead (rates from 0 to twice theirs, times up
 * to twice theirs); each is present in half the sampled plans (down windows in
 * 30%). Message loss (`dropRate`), routes, links, partitions and broker faults
 * vary only when the plan has them. `options` names more services and queues.
 *
 * @example
 * faultSpaceFrom({ queues: { q: { duplicateRate: 0.4 } } });
 * // { queues: { q: { duplicateRate: { chance: 0.5, min: 0, max: 0.8 }, crashBeforeAckRate: { chance: 0.5, min: 0, max: 0.3 } } } }
 */
export function faultSpaceFrom(plan: FaultPlan = {}, options: FaultSpaceFromOptions = {}): FaultSpace {
  const horizon = Math.max(100, Math.round(options.horizonMs ?? 5_000));
  const space: FaultSpace = {};
  const serviceSpace = (f: Omit<ServiceFaults, 'down'>) => ({
    errorRate: rateAround(f.errorRate),
    errorStatus: f.errorStatus,
    latency: latencyAround(f.latency),
  });
  const services: Record<string, ServiceFaultSpace> = {};
  for (const [name, f] of Object.entries(plan.services ?? {})) {
    const around = compact({ ...serviceSpace(f), down: f.down?.length ? windowsAround(f.down, horizon) : undefined }) ?? {};
    services[name] = { ...defaultServiceSpace(horizon), ...around };
  }
  for (const name of options.services ?? []) services[name] ??= defaultServiceSpace(horizon);
  if (Object.keys(services).length > 0) space.services = services;
  const routes = (plan.routes ?? []).flatMap((r) => {
    const s = compact(serviceSpace(r));
    return s ? [{ service: r.service, path: r.path, ...(r.method ? { method: r.method } : {}), ...s }] : [];
  });
  if (routes.length > 0) space.routes = routes;
  const links = (plan.links ?? []).flatMap((l) => (l.latency ? [{ from: l.from, to: l.to, latency: latencyAround(l.latency)! }] : []));
  if (links.length > 0) space.links = links;
  const partitions = (plan.partitions ?? []).map((p) => ({
    a: p.a,
    b: p.b,
    ...windowsAround([{ from: p.from ?? 0, to: p.to ?? (p.from ?? 0) + horizon }], horizon),
  }));
  if (partitions.length > 0) space.partitions = partitions;
  const queues: Record<string, QueueFaultSpace> = {};
  for (const [name, q] of Object.entries(plan.queues ?? {})) {
    const around = compact({
      duplicateRate: rateAround(q.duplicateRate),
      crashBeforeAckRate: rateAround(q.crashBeforeAckRate),
      dropRate: rateAround(q.dropRate),
      delay: latencyAround(q.delay),
    });
    queues[name] = { ...defaultQueueSpace(), ...around };
  }
  for (const name of options.queues ?? []) queues[name] ??= defaultQueueSpace();
  if (Object.keys(queues).length > 0) space.queues = queues;
  const restarts = plan.broker?.restarts ?? [];
  const broker = compact({
    latency: latencyAround(plan.broker?.latency),
    restarts:
      restarts.length > 0
        ? { chance: 0.5, count: { min: 1, max: Math.min(MAX_SPACE_COUNT, restarts.length) }, at: { min: 0, max: Math.min(MAX_SPACE_MS, 2 * Math.max(...restarts, 50)) } }
        : undefined,
  });
  if (broker) space.broker = broker;
  return space;
}

// --- Sampling -------------------------------------------------------------------

/**
 * Draws one fault plan from a space. Deterministic: the same space and the
 * same stream give the same plan. Each dimension draws from a fork of `rng`
 * named after its path, so changing one dimension of the space leaves the
 * others' draws alone, and records are walked in key order, so a space that
 * went through JSON with its keys reordered samples the same. Rates are
 * rounded to hundredths and times to whole ms, so plans read well.
 *
 * @example
 * const plan = sampleFaultPlan(space, new Rng(17, 'explore/faults'));
 */
export function sampleFaultPlan(space: FaultSpace, rng: Rng): FaultPlan {
  const plan: FaultPlan = {};
  const services: Record<string, ServiceFaults> = {};
  for (const name of sortedKeys(space.services)) {
    const s = space.services![name]!;
    const at = `services.${name}`;
    const f = compact<ServiceFaults>({
      ...serviceFaults(s, at, rng),
      down: s.down ? windowsOf(s.down, rng.fork(`${at}.down`)) : undefined,
    });
    if (f) services[name] = f;
  }
  if (Object.keys(services).length > 0) plan.services = services;
  const routes = (space.routes ?? []).flatMap((r, i) => {
    const f = compact(serviceFaults(r, `routes[${i}]`, rng));
    return f ? [{ service: r.service, path: r.path, ...(r.method ? { method: r.method } : {}), ...f }] : [];
  });
  if (routes.length > 0) plan.routes = routes;
  const links = (space.links ?? []).flatMap((l, i) => {
    const latency = latencyOf(l.latency, rng.fork(`links[${i}].latency`));
    return latency ? [{ from: l.from, to: l.to, latency }] : [];
  });
  if (links.length > 0) plan.links = links;
  const partitions: Partition[] = (space.partitions ?? []).flatMap((p, i) =>
    (windowsOf(p, rng.fork(`partitions[${i}]`)) ?? []).map((w) => ({ a: p.a, b: p.b, from: w.from, to: w.to })),
  );
  if (partitions.length > 0) plan.partitions = partitions;
  const queues: Record<string, QueueFaults> = {};
  for (const name of sortedKeys(space.queues)) {
    const q = space.queues![name]!;
    const at = `queues.${name}`;
    const f = compact<QueueFaults>({
      duplicateRate: rateOf(q.duplicateRate, rng.fork(`${at}.duplicateRate`)),
      crashBeforeAckRate: rateOf(q.crashBeforeAckRate, rng.fork(`${at}.crashBeforeAckRate`)),
      dropRate: rateOf(q.dropRate, rng.fork(`${at}.dropRate`)),
      delay: latencyOf(q.delay, rng.fork(`${at}.delay`)),
    });
    if (f) queues[name] = f;
  }
  if (Object.keys(queues).length > 0) plan.queues = queues;
  const b = space.broker;
  if (b) {
    const r = b.restarts;
    const restarts = r && rng.fork('broker.restarts').chance(r.chance) ? timesOf(r.count, r.at, rng.fork('broker.restarts')) : undefined;
    const broker = compact({ latency: latencyOf(b.latency, rng.fork('broker.latency')), restarts });
    if (broker) plan.broker = broker;
  }
  return plan;
}

const sortedKeys = (o: object | undefined) => (o ? Object.keys(o).sort() : []);

function serviceFaults(s: Omit<ServiceFaultSpace, 'down'>, at: string, rng: Rng): Omit<ServiceFaults, 'down'> {
  const errorRate = rateOf(s.errorRate, rng.fork(`${at}.errorRate`));
  return {
    errorRate,
    errorStatus: errorRate !== undefined ? s.errorStatus : undefined,
    latency: latencyOf(s.latency, rng.fork(`${at}.latency`)),
  };
}

/** A rate from its range, or nothing (absent, or drawn as 0). */
function rateOf(r: ValueRange | undefined, rng: Rng): number | undefined {
  if (!r || !rng.chance(r.chance)) return undefined;
  const v = round2(rng.uniform(r.min, r.max));
  return v > 0 ? v : undefined;
}

/** A latency between two draws from the range: fixed when they agree, uniform otherwise. */
function latencyOf(r: ValueRange | undefined, rng: Rng): LatencySpec | undefined {
  if (!r || !rng.chance(r.chance)) return undefined;
  const [lo, hi] = [rng.int(r.min, r.max), rng.int(r.min, r.max)].sort((x, y) => x - y) as [number, number];
  if (hi === 0) return undefined;
  return lo === hi ? { kind: 'fixed', ms: lo } : { kind: 'uniform', min: lo, max: hi };
}

function windowsOf(r: WindowRange, rng: Rng): TimeWindow[] | undefined {
  if (!rng.chance(r.chance)) return undefined;
  const n = rng.int(r.count.min, r.count.max);
  const out: TimeWindow[] = [];
  for (let i = 0; i < n; i++) {
    const from = rng.int(r.start.min, r.start.max);
    out.push({ from, to: from + Math.max(1, rng.int(r.length.min, r.length.max)) });
  }
  return out.length > 0 ? out.sort((x, y) => x.from - y.from) : undefined;
}

function timesOf(count: NumberRange, at: NumberRange, rng: Rng): number[] | undefined {
  const n = rng.int(count.min, count.max);
  const out = Array.from({ length: n }, () => rng.int(at.min, at.max)).sort((x, y) => x - y);
  return out.length > 0 ? out : undefined;
}
