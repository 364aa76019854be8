import type { FaultPlan, LatencySpec, LinkFaults, Partition, QueueFaults, RouteFaults, ServiceFaults } from '../sim/faults.js';

/** The rates a queue may have. */
export type QueueRate = 'duplicateRate' | 'crashBeforeAckRate' | 'dropRate';

/**
 * One fault of a plan, on its own: what shrinking removes or makes smaller,
 * and what a diff counts. A plan is the sum of its items
 * ({@link faultItems}, {@link planFromItems}).
 */
export type FaultItem =
  | { kind: 'error-rate'; service: string; rate: number; status?: number }
  | { kind: 'latency'; service: string; latency: LatencySpec }
  | { kind: 'down'; service: string; from: number; to: number }
  | { kind: 'route'; route: RouteFaults }
  | { kind: 'link'; link: LinkFaults }
  | { kind: 'partition'; partition: Partition }
  | { kind: 'queue-rate'; queue: string; field: QueueRate; rate: number }
  | { kind: 'queue-delay'; queue: string; delay: LatencySpec }
  | { kind: 'broker-latency'; latency: LatencySpec }
  | { kind: 'restart'; at: number };

const QUEUE_RATES: readonly QueueRate[] = ['duplicateRate', 'crashBeforeAckRate', 'dropRate'];

/** The faults of a plan, one item each, in a fixed order. Faults that do nothing (a rate of 0) are left out. */
export function faultItems(plan: FaultPlan): FaultItem[] {
  const items: FaultItem[] = [];
  for (const [service, f] of Object.entries(plan.services ?? {})) {
    if (f.errorRate) items.push({ kind: 'error-rate', service, rate: f.errorRate, ...(f.errorStatus !== undefined ? { status: f.errorStatus } : {}) });
    if (f.latency) items.push({ kind: 'latency', service, latency: f.latency });
    for (const w of f.down ?? []) items.push({ kind: 'down', service, from: w.from, to: w.to });
  }
  for (const route of plan.routes ?? []) items.push({ kind: 'route', route });
  for (const link of plan.links ?? []) if (link.latency) items.push({ kind: 'link', link });
  for (const partition of plan.partitions ?? []) items.push({ kind: 'partition', partition });
  for (const [queue, q] of Object.entries(plan.queues ?? {})) {
    for (const field of QUEUE_RATES) if (q[field]) items.push({ kind: 'queue-rate', queue, field, rate: q[field] });
    if (q.delay) items.push({ kind: 'queue-delay', queue, delay: q.delay });
  }
  if (plan.broker?.latency) items.push({ kind: 'broker-latency', latency: plan.broker.latency });
  for (const at of plan.broker?.restarts ?? []) items.push({ kind: 'restart', at });
  return items;
}

/** The plan made of these items. */
export function planFromItems(items: readonly FaultItem[]): FaultPlan {
  const plan: FaultPlan = {};
  const service = (name: string): ServiceFaults => ((plan.services ??= {})[name] ??= {});
  const queue = (name: string): QueueFaults => ((plan.queues ??= {})[name] ??= {});
  for (const item of items) {
    switch (item.kind) {
      case 'error-rate': {
        const s = service(item.service);
        s.errorRate = item.rate;
        if (item.status !== undefined) s.errorStatus = item.status;
        break;
      }
      case 'latency':
        service(item.service).latency = item.latency;
        break;
      case 'down':
        (service(item.service).down ??= []).push({ from: item.from, to: item.to });
        break;
      case 'route':
        (plan.routes ??= []).push(item.route);
        break;
      case 'link':
        (plan.links ??= []).push(item.link);
        break;
      case 'partition':
        (plan.partitions ??= []).push(item.partition);
        break;
      case 'queue-rate':
        queue(item.queue)[item.field] = item.rate;
        break;
      case 'queue-delay':
        queue(item.queue).delay = item.delay;
        break;
      case 'broker-latency':
        (plan.broker ??= {}).latency = item.latency;
        break;
      case 'restart':
        ((plan.broker ??= {}).restarts ??= []).push(item.at);
        break;
    }
  }
  return plan;
}

const pct = (r: number) => `${+(r * 100).toFixed(1)}%`;
const ms = (spec: LatencySpec) => {
  if (spec.kind === 'fixed') return `${spec.ms} ms`;
  if (spec.kind === 'uniform') return `${spec.min}–${spec.max} ms`;
  return `${spec.mean}±${spec.sd} ms`;
};
const span = (from: number | undefined, to: number | undefined) => (to === undefined ? `from ${from ?? 0} ms` : `${from ?? 0}–${to} ms`);
const QUEUE_RATE_WORDS: Record<QueueRate, string> = { duplicateRate: 'duplicates', crashBeforeAckRate: 'crashes before ack', dropRate: 'drops' };

/**
 * What an item is about (`label`) and how much of it there is (`value`), in
 * words: `payment down` and `1200–4800 ms`. Items with equal labels are the
 * same fault, maybe of another size.
 */
export function describeItem(item: FaultItem): { label: string; value: string } {
  switch (item.kind) {
    case 'error-rate':
      return { label: `${item.service} errors`, value: `${pct(item.rate)}${item.status !== undefined ? ` (${item.status})` : ''}` };
    case 'latency':
      return { label: `${item.service} latency`, value: ms(item.latency) };
    case 'down':
      return { label: `${item.service} down`, value: span(item.from, item.to) };
    case 'route': {
      const r = item.route;
      const parts = [r.errorRate ? `errors ${pct(r.errorRate)}` : '', r.latency ? `latency ${ms(r.latency)}` : ''].filter(Boolean);
      return { label: `${r.method ? `${r.method.toUpperCase()} ` : ''}${r.service}${r.path}`, value: parts.join(', ') || 'no fault' };
    }
    case 'link':
      return { label: `${item.link.from}→${item.link.to} latency`, value: item.link.latency ? ms(item.link.latency) : 'default' };
    case 'partition':
      return { label: `${item.partition.a} ⇹ ${item.partition.b} partitioned`, value: span(item.partition.from, item.partition.to) };
    case 'queue-rate':
      return { label: `${item.queue} ${QUEUE_RATE_WORDS[item.field]}`, value: pct(item.rate) };
    case 'queue-delay':
      return { label: `${item.queue} delay`, value: ms(item.delay) };
    case 'broker-latency':
      return { label: 'broker latency', value: ms(item.latency) };
    case 'restart':
      return { label: 'broker restart', value: `at ${item.at} ms` };
  }
}

/** Where an item starts, for matching windows of the same fault across two plans. */
function startOf(item: FaultItem): number | undefined {
  if (item.kind === 'down') return item.from;
  if (item.kind === 'partition') return item.partition.from ?? 0;
  if (item.kind === 'restart') return item.at;
  return undefined;
}

/**
 * A one-line account of how `after` differs from `before`, as shrinking
 * changes a plan: how many faults went, and each that got smaller. Faults
 * are matched by what they are about (and, for windows, where they start).
 *
 * @example
 * describePlanDiff(original, shrunk);
 * // 'removed 3 of 5 faults; payment down 1200–4800 ms → 1200–1300 ms; orders.q duplicates 40% → 5%'
 */
export function describePlanDiff(before: FaultPlan, after: FaultPlan): string {
  const a = faultItems(before);
  const b = faultItems(after);
  const was = a.map(describeItem);
  const now = b.map(describeItem);
  const partner = new Map<number, number>(); // index in `a` → index in `b`
  const free = new Set(b.keys());
  const pair = (same: (i: number, j: number) => boolean) =>
    a.forEach((_, i) => {
      if (partner.has(i)) return;
      const j = [...free].find((k) => now[k]!.label === was[i]!.label && same(i, k));
      if (j === undefined) return;
      partner.set(i, j);
      free.delete(j);
    });
  pair((i, j) => startOf(a[i]!) === startOf(b[j]!)); // windows that kept their start first
  pair(() => true);
  const changes: string[] = [];
  a.forEach((_, i) => {
    const j = partner.get(i);
    if (j !== undefined && now[j]!.value !== was[i]!.value) changes.push(`${was[i]!.label} ${was[i]!.value} → ${now[j]!.value}`);
  });
  const removed = a.length - partner.size;
  const parts: string[] = [];
  if (removed > 0) parts.push(removed === a.length ? (a.length === 1 ? 'removed its only fault' : `removed all ${a.length} faults`) : `removed ${removed} of ${a.length} faults`);
  parts.push(...changes);
  for (const j of free) parts.push(`added ${now[j]!.label} ${now[j]!.value}`);
  return parts.length > 0 ? parts.join('; ') : 'no change';
}
