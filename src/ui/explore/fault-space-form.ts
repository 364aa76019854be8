import type { FaultSpace, FaultSpaceIssue, ValueRange, WindowRange } from '../../sim/fault-space.js';

/**
 * The fault space as a form: groups (a service, a queue, a partition, …),
 * each with dimensions that are on or off (a service's error rate, its down
 * windows), each with number fields. Pure functions over a `FaultSpace`, so
 * the editor element only draws and the tests need no DOM.
 */

/** Where a dimension lives in a space (names are kept whole: a queue name may contain dots). */
export type DimensionRef =
  | { kind: 'service'; name: string; dim: 'errorRate' | 'latency' | 'down' }
  | { kind: 'queue'; name: string; dim: 'duplicateRate' | 'crashBeforeAckRate' | 'dropRate' | 'delay' }
  | { kind: 'link'; index: number }
  | { kind: 'partition'; index: number }
  | { kind: 'broker'; dim: 'latency' | 'restarts' };

/** How a field's number reads: a probability (0–1), virtual ms, or a count. */
export type FieldUnit = 'rate' | 'ms' | 'count';

/** One number of a dimension. */
export interface SpaceField {
  /** Keys inside the dimension: `['max']`, `['start', 'min']`. */
  key: readonly string[];
  /** The path `checkFaultSpace` reports it under. */
  path: string;
  label: string;
  unit: FieldUnit;
  value: number | undefined;
}

/** One thing that may vary, with its fields when it is on. */
export interface SpaceDimension {
  ref: DimensionRef;
  path: string;
  label: string;
  on: boolean;
  fields: SpaceField[];
}

/** The dimensions of one service, queue, link, partition, or of the broker. */
export interface SpaceGroup {
  id: string;
  title: string;
  /** Partitions can be removed; the rest are switched off dimension by dimension. */
  removable?: DimensionRef;
  dimensions: SpaceDimension[];
}

const SERVICE_DIMS = [
  ['errorRate', 'Error rate', 'value-rate'],
  ['latency', 'Extra latency', 'value-ms'],
  ['down', 'Down windows', 'windows'],
] as const;
const QUEUE_DIMS = [
  ['duplicateRate', 'Duplicate deliveries', 'value-rate'],
  ['crashBeforeAckRate', 'Crash after the effect, before the ack (redelivered)', 'value-rate'],
  ['dropRate', 'Lost messages', 'value-rate'],
  ['delay', 'Delivery delay', 'value-ms'],
] as const;
type Shape = 'value-rate' | 'value-ms' | 'windows' | 'restarts';

/** The path `checkFaultSpace` uses for a dimension. */
export function pathOf(ref: DimensionRef): string {
  switch (ref.kind) {
    case 'service':
      return `services.${ref.name}.${ref.dim}`;
    case 'queue':
      return `queues.${ref.name}.${ref.dim}`;
    case 'link':
      return `links[${ref.index}].latency`;
    case 'partition':
      return `partitions[${ref.index}]`;
    case 'broker':
      return `broker.${ref.dim}`;
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The dimension's value in a space (undefined when it is off). */
export function dimensionAt(space: FaultSpace, ref: DimensionRef): Obj | undefined {
  const s = space as Obj;
  const one = (key: string, name: string) => {
    const all = s[key];
    return isObj(all) && isObj(all[name]) ? all[name] : undefined;
  };
  let v: unknown;
  if (ref.kind === 'service') v = one('services', ref.name)?.[ref.dim];
  else if (ref.kind === 'queue') v = one('queues', ref.name)?.[ref.dim];
  else if (ref.kind === 'link') v = (space.links?.[ref.index] as Obj | undefined)?.['latency'];
  else if (ref.kind === 'partition') v = space.partitions?.[ref.index];
  else v = isObj(s['broker']) ? s['broker'][ref.dim] : undefined;
  return isObj(v) ? v : undefined;
}

/** What a dimension is when it is switched on: the usual ranges (as `faultSpaceFrom` gives them). */
export function defaultDimension(ref: DimensionRef, horizonMs = 5_000): Obj {
  const windows = (): WindowRange => ({ chance: 0.3, count: { min: 1, max: 1 }, start: { min: 0, max: horizonMs }, length: { min: 1, max: Math.round(horizonMs / 4) } });
  const rate = (max: number): ValueRange => ({ chance: 0.5, min: 0, max });
  const ms = (max: number): ValueRange => ({ chance: 0.5, min: 0, max });
  switch (ref.kind) {
    case 'service':
      return { ...(ref.dim === 'errorRate' ? rate(0.3) : ref.dim === 'latency' ? ms(500) : windows()) };
    case 'queue':
      return { ...(ref.dim === 'duplicateRate' ? rate(0.5) : ref.dim === 'crashBeforeAckRate' ? rate(0.3) : ref.dim === 'dropRate' ? rate(0.1) : ms(500)) };
    case 'link':
      return { ...ms(500) };
    case 'partition':
      return { ...windows(), chance: 0.5 };
    case 'broker':
      return ref.dim === 'latency' ? { ...ms(100) } : { chance: 0.5, count: { min: 1, max: 1 }, at: { min: 0, max: horizonMs } };
  }
}

/**
 * The space with one dimension set to `value` (a copy; `undefined` switches it
 * off). A service or queue left with nothing disappears, and so do empty records.
 */
export function withDimension(space: FaultSpace, ref: DimensionRef, value: Obj | undefined): FaultSpace {
  const next = structuredClone(space) as Obj;
  const record = (key: string, name: string, dim: string) => {
    const all = (isObj(next[key]) ? next[key] : (next[key] = {})) as Record<string, Obj>;
    const one = (all[name] ??= {});
    if (value === undefined) delete one[dim];
    else one[dim] = value;
    if (Object.keys(one).filter((k) => k !== 'errorStatus').length === 0) delete all[name];
    if (Object.keys(all).length === 0) delete next[key];
  };
  if (ref.kind === 'service') record('services', ref.name, ref.dim);
  else if (ref.kind === 'queue') record('queues', ref.name, ref.dim);
  else if (ref.kind === 'link' || ref.kind === 'partition') {
    const key = ref.kind === 'link' ? 'links' : 'partitions';
    const list = (next[key] as Obj[] | undefined) ?? [];
    if (value === undefined) list.splice(ref.index, 1);
    else list[ref.index] = ref.kind === 'link' ? { ...list[ref.index], latency: value } : { ...value, a: list[ref.index]?.['a'] ?? value['a'], b: list[ref.index]?.['b'] ?? value['b'] };
    if (list.length === 0) delete next[key];
    else next[key] = list;
  } else {
    const broker = (isObj(next['broker']) ? next['broker'] : (next['broker'] = {})) as Obj;
    if (value === undefined) delete broker[ref.dim];
    else broker[ref.dim] = value;
    if (Object.keys(broker).length === 0) delete next['broker'];
  }
  return next as FaultSpace;
}

/** The space with one number of a dimension set (`undefined`: the field was cleared, which the check reports). */
export function withField(space: FaultSpace, ref: DimensionRef, key: readonly string[], value: number | undefined): FaultSpace {
  const dim = structuredClone(dimensionAt(space, ref) ?? defaultDimension(ref));
  let at: Obj = dim;
  for (const k of key.slice(0, -1)) at = (isObj(at[k]) ? at[k] : (at[k] = {})) as Obj;
  const last = key[key.length - 1]!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return withDimension(space, ref, dim);
}

/** A space with a new partition between `a` and `b` (sometimes, in windows within the horizon). */
export function withPartition(space: FaultSpace, a: string, b: string, horizonMs = 5_000): FaultSpace {
  const index = space.partitions?.length ?? 0;
  return withDimension(space, { kind: 'partition', index }, { a, b, ...defaultDimension({ kind: 'partition', index }, horizonMs) });
}

function fieldsOf(shape: Shape, path: string, dim: Obj | undefined): SpaceField[] {
  const get = (key: readonly string[]): number | undefined => {
    let v: unknown = dim;
    for (const k of key) v = isObj(v) ? v[k] : undefined;
    return typeof v === 'number' ? v : undefined;
  };
  const field = (key: readonly string[], label: string, unit: FieldUnit): SpaceField => ({ key, path: `${path}.${key.join('.')}`, label, unit, value: get(key) });
  const chance = field(['chance'], 'chance', 'rate');
  switch (shape) {
    case 'value-rate':
      return [chance, field(['min'], 'rate from', 'rate'), field(['max'], 'rate to', 'rate')];
    case 'value-ms':
      return [chance, field(['min'], 'ms from', 'ms'), field(['max'], 'ms to', 'ms')];
    case 'windows':
      return [
        chance,
        field(['count', 'min'], 'windows from', 'count'),
        field(['count', 'max'], 'windows to', 'count'),
        field(['start', 'min'], 'start from (ms)', 'ms'),
        field(['start', 'max'], 'start to (ms)', 'ms'),
        field(['length', 'min'], 'length from (ms)', 'ms'),
        field(['length', 'max'], 'length to (ms)', 'ms'),
      ];
    case 'restarts':
      return [chance, field(['count', 'min'], 'restarts from', 'count'), field(['count', 'max'], 'restarts to', 'count'), field(['at', 'min'], 'at from (ms)', 'ms'), field(['at', 'max'], 'at to (ms)', 'ms')];
  }
}

function dimension(space: FaultSpace, ref: DimensionRef, label: string, shape: Shape): SpaceDimension {
  const value = dimensionAt(space, ref);
  const path = pathOf(ref);
  return { ref, path, label, on: value !== undefined, fields: value === undefined ? [] : fieldsOf(shape, path, value) };
}

/**
 * The groups the editor shows: every service and queue in the space or in
 * `known` (the last run's), each dimension on or off; the space's links and
 * partitions; the broker when the space varies it.
 */
export function spaceGroups(space: FaultSpace, known: { services?: readonly string[]; queues?: readonly string[] } = {}): SpaceGroup[] {
  const names = (inSpace: object | undefined, more: readonly string[] = []) => [...new Set([...Object.keys(inSpace ?? {}), ...more])].filter((n) => n !== 'client').sort();
  const groups: SpaceGroup[] = [];
  for (const name of names(space.services, known.services)) {
    groups.push({ id: `service:${name}`, title: `Service ${name}`, dimensions: SERVICE_DIMS.map(([dim, label, shape]) => dimension(space, { kind: 'service', name, dim }, label, shape)) });
  }
  (space.links ?? []).forEach((l, index) => {
    groups.push({ id: `link:${index}`, title: `Link ${l.from} → ${l.to}`, dimensions: [dimension(space, { kind: 'link', index }, 'Latency', 'value-ms')] });
  });
  (space.partitions ?? []).forEach((p, index) => {
    const ref: DimensionRef = { kind: 'partition', index };
    groups.push({ id: `partition:${index}`, title: `Partition ${p.a} ⇹ ${p.b}`, removable: ref, dimensions: [dimension(space, ref, 'Cut off in windows', 'windows')] });
  });
  for (const name of names(space.queues, known.queues)) {
    groups.push({ id: `queue:${name}`, title: `Queue ${name}`, dimensions: QUEUE_DIMS.map(([dim, label, shape]) => dimension(space, { kind: 'queue', name, dim }, label, shape)) });
  }
  if (space.broker) {
    groups.push({
      id: 'broker',
      title: 'Broker',
      dimensions: [dimension(space, { kind: 'broker', dim: 'latency' }, 'Delivery latency', 'value-ms'), dimension(space, { kind: 'broker', dim: 'restarts' }, 'Restarts', 'restarts')],
    });
  }
  return groups;
}

/**
 * Sorts the check's issues to where they show: by the path of a field or a
 * dimension the form has, and the rest (paths the form does not show) apart.
 */
export function placeIssues(groups: readonly SpaceGroup[], issues: readonly FaultSpaceIssue[]): { at: Map<string, string[]>; elsewhere: FaultSpaceIssue[] } {
  const paths = new Set<string>();
  for (const g of groups) for (const d of g.dimensions) [d.path, ...d.fields.map((f) => f.path)].forEach((p) => paths.add(p));
  const at = new Map<string, string[]>();
  const elsewhere: FaultSpaceIssue[] = [];
  for (const issue of issues) {
    // A dimension-wide path (`partitions[0].count`) shows at the dimension when no field has it.
    const path = paths.has(issue.path) ? issue.path : [...paths].filter((p) => issue.path.startsWith(`${p}.`)).sort((x, y) => y.length - x.length)[0];
    if (path === undefined) elsewhere.push(issue);
    else at.set(path, [...(at.get(path) ?? []), issue.message]);
  }
  return { at, elsewhere };
}

/** How many dimensions are on: what the form's summary says. */
export function countDimensions(groups: readonly SpaceGroup[]): number {
  return groups.reduce((n, g) => n + g.dimensions.filter((d) => d.on).length, 0);
}
