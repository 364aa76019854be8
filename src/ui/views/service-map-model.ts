import type { TraceEvent } from '../../sim/trace.js';
import { breakerStateAt, breakerTimeline } from './breaker-model.js';
import type { BreakerState } from './breaker-states.js';
import { describeEvent } from './describe-event.js';
import { isBrokerParty, partyKind, partyName, type PartyKind } from './parties.js';
import { placeOnHost, patternHosts } from './pattern-hosts.js';
import { queueStats, type QueueStats } from './queue-model.js';
import { prefixLength } from './trace-access.js';

/** A box on the map. */
export interface MapNode {
  id: string;
  name: string;
  kind: PartyKind;
  /** Top-left corner and size, px. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Column of the layered layout (callers left of callees). */
  layer: number;
  /** `false` once a `service.status` said it went down (until it came back). */
  up: boolean;
  /** Breakers this node owns, with their state at the view time. */
  breakers: { name: string; state: BreakerState }[];
  /** For queues: counts and depth at the view time. */
  queue?: QueueStats;
  /**
   * Left to right, for a box with an edge back past a column (a service publishing to the exchange
   * its queues hang off): its edges leave by its right side, go down a rail at `x` beside its column
   * and back along a lane at `y` under every box, so that they cross none. One rail and lane each.
   */
  back?: { x: number; y: number };
}

/** A line between two boxes, oriented caller → callee / publisher → consumer. */
export interface MapEdge {
  from: string;
  to: string;
  /** HTTP requests sent. */
  requests: number;
  /** Failed requests: status ≥ 400, timeout, refused. */
  failures: number;
  /** Messages moved along this edge (publish, route, deliver). */
  messages: number;
  /** Acks and nacks that came back along it. */
  acks: number;
  nacks: number;
  deadLetters: number;
  /** Saga compensations sent along it. */
  compensations: number;
  /** Other events between the two parties. */
  other: number;
  /** An exchange-to-queue (or exchange-to-exchange) binding declared by the view time. */
  bound: boolean;
  /** Mostly messages rather than calls. */
  async: boolean;
  /** Text for the edge: `12 calls · 3 failed`. */
  label: string;
}

/** The service map model. */
export interface ServiceMap {
  nodes: MapNode[];
  /** Edges with activity by the view time. */
  edges: MapEdge[];
  width: number;
  height: number;
  /** How the layers run. */
  direction: 'across' | 'down';
  /** Top to bottom, the route of each edge back up (key: `from` NUL `to`). */
  loops: Record<string, MapLoop>;
  /** The bends of each edge forward past a layer whose boxes are in its way (see {@link spanRoute}). */
  routes: Record<string, Array<[number, number]>>;
}

/** Options of {@link serviceMap}. */
export interface ServiceMapOptions {
  /** Scrub time (default: the whole trace). */
  until?: number;
  /** Narrowest box, px; left to right, a column widens to fit its longest name up to `maxNodeWidth`. */
  nodeWidth?: number;
  maxNodeWidth?: number;
  /** Narrow the widest boxes first (never below `nodeWidth`) until the map fits this width, px. */
  fitWidth?: number;
  nodeHeight?: number;
  columnGap?: number;
  rowGap?: number;
  /** `across` (default): layers left to right. `down`: layers top to bottom, for a narrow box. */
  direction?: 'across' | 'down';
  /** Width of a name in the boxes' font, px (default: an estimate per character). */
  measure?: MeasureName;
}

const newEdge = (from: string, to: string): MapEdge => ({ from, to, requests: 0, failures: 0, messages: 0, acks: 0, nacks: 0, deadLetters: 0, compensations: 0, other: 0, bound: false, async: false, label: '' });

/** What one event adds to the map: to the edge `key`, one to `count` (a dead letter is a message too), or a binding; or a service going down or up. */
type MapStep = { key: string; count?: 'requests' | 'failures' | 'messages' | 'acks' | 'nacks' | 'deadLetters' | 'compensations' | 'other'; bound?: boolean } | { service: string; up: boolean };

function addStep(edge: MapEdge, step: Extract<MapStep, { key: string }>): void {
  if (step.bound !== undefined) edge.bound = step.bound;
  else if (step.count === 'deadLetters') {
    edge.deadLetters++;
    edge.messages++;
  } else if (step.count !== undefined) edge[step.count]++;
}

/** A trace's parties in order of appearance, its edges' counts over the whole trace, and each event's {@link MapStep}. */
interface TraceShape {
  length: number;
  order: Map<string, number>;
  /** Each edge's counts at the end of the trace: the gaps between columns are sized for them, so that scrubbing never moves a box. */
  whole: Map<string, MapEdge>;
  /** Every edge's ends, by key (`from` NUL `to`). */
  pairs: Map<string, [string, string]>;
  hosts: ReturnType<typeof patternHosts>;
  steps: Array<MapStep | undefined>;
}

const shapes = new WeakMap<readonly TraceEvent[], TraceShape>();

/** The {@link TraceShape} of `events`, kept while the array lives (and worked out again should it grow). */
function traceShape(events: readonly TraceEvent[]): TraceShape {
  const kept = shapes.get(events);
  if (kept && kept.length === events.length) return kept;
  const order = new Map<string, number>();
  const whole = new Map<string, MapEdge>();
  const pairs = new Map<string, [string, string]>();
  const steps: Array<MapStep | undefined> = [];
  const see = (id: string) => {
    if (!order.has(id)) order.set(id, order.size);
  };
  const hosts = patternHosts(events);
  /** Adds the step to the whole trace's edge `from` → `to` and returns it for the scrub steps. */
  const step = (from: string, to: string, rest: Omit<Extract<MapStep, { key: string }>, 'key'>): MapStep => {
    const key = `${from}\u0000${to}`;
    if (!pairs.has(key)) pairs.set(key, [from, to]);
    let all = whole.get(key);
    if (!all) whole.set(key, (all = newEdge(from, to)));
    const s = { key, ...rest };
    addStep(all, s);
    return s;
  };
  for (const e of events) steps.push(stepOf(e));
  function stepOf(e: TraceEvent): MapStep | undefined {
    if (e.kind === 'service.status') {
      see(e.service);
      return { service: e.service, up: e.up };
    }
    const v = placeOnHost(describeEvent(e), hosts);
    if (v.shape !== 'arrow') {
      if (v.from !== 'world' && v.from !== 'console' && v.from !== '?' && v.from !== 'broker' && (isBrokerParty(v.from) || e.kind === 'log' || e.kind === 'state')) see(v.from);
      return undefined;
    }
    if (e.kind === 'mq.topology') {
      see(v.from);
      see(v.to);
      return step(v.from, v.to, { bound: !e.action.endsWith('unbind') });
    }
    if (v.quiet) return undefined;
    see(v.from);
    see(v.to);
    switch (e.kind) {
      case 'http.request':
        return step(v.from, v.to, { count: 'requests' });
      case 'http.response':
        // A response counts on the edge of its request (caller → callee); only failures add to it.
        return step(v.to, v.from, e.status >= 400 && e.late !== true ? { count: 'failures' } : {});
      case 'http.timeout':
      case 'http.refused':
        return step(v.from, v.to, { count: 'failures' });
      case 'http.canceled':
      case 'fault':
        return undefined;
    }
    if (v.style === 'ack' || v.style === 'nack') return step(v.to, v.from, { count: v.style === 'ack' ? 'acks' : 'nacks' });
    if (v.style === 'dead-letter') return step(v.from, v.to, { count: 'deadLetters' });
    if (v.style === 'message' || v.style === 'deliver' || v.style === 'redeliver') return step(v.from, v.to, { count: 'messages' });
    return step(v.from, v.to, { count: v.style === 'compensation' ? 'compensations' : 'other' });
  }
  const shape = { length: events.length, order, whole, pairs, hosts, steps };
  shapes.set(events, shape);
  return shape;
}

/**
 * The service map at `until`: services, the client, exchanges and queues as
 * boxes (laid out once from the whole trace, so scrubbing never moves them),
 * edges with call and message counts so far, queue depths, breaker badges
 * and down services.
 *
 * @example
 * const map = serviceMap(world.events, { until: 500 });
 * map.edges.find((e) => e.from === 'orders' && e.to === 'payment')?.requests // 3
 */
export function serviceMap(events: readonly TraceEvent[], options: ServiceMapOptions = {}): ServiceMap {
  const nodeWidth = options.nodeWidth ?? 128;
  const maxNodeWidth = Math.max(nodeWidth, options.maxNodeWidth ?? 270);
  const nodeHeight = options.nodeHeight ?? 58;
  const columnGap = options.columnGap ?? 116;
  const measure = options.measure ?? estimate;
  const rowGap = options.rowGap ?? 30;
  const margin = 16;
  const end = prefixLength(events, options.until);

  // What each event adds to the map, and the counts over the whole trace, are worked out once per trace
  // (see traceShape); each scrub step only adds up the events before it.
  const { order, whole, pairs: allPairs, hosts, steps } = traceShape(events);
  const edges = new Map<string, MapEdge>();
  const down = new Set<string>();
  for (let i = 0; i < end; i++) {
    const step = steps[i];
    if (step === undefined) continue;
    if ('service' in step) {
      if (step.up) down.delete(step.service);
      else down.add(step.service);
      continue;
    }
    let edge = edges.get(step.key);
    if (!edge) {
      const [from, to] = allPairs.get(step.key)!;
      edges.set(step.key, (edge = newEdge(from, to)));
    }
    addStep(edge, step);
  }

  // Layered layout over every pair of the whole trace (stable while scrubbing).
  const ids = [...order.keys()].sort((a, b) => (a === 'client' ? -1 : b === 'client' ? 1 : order.get(a)! - order.get(b)!));
  const succ = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [from, to] of allPairs.values()) if (from !== to) succ.get(from)?.push(to);
  const layer = layers(ids, succ);
  const columns: string[][] = [];
  for (const id of ids) (columns[layer.get(id)!] ??= []).push(id);
  // One barycentre sweep: order each column by the mean row of its predecessors.
  const row = new Map<string, number>();
  const preds = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [from, to] of allPairs.values()) if (from !== to) preds.get(to)?.push(from);
  columns.forEach((col, c) => {
    if (c > 0) {
      const bary = (id: string) => {
        const ps = preds.get(id)!.filter((p) => row.has(p));
        return ps.length ? ps.reduce((s, p) => s + row.get(p)!, 0) / ps.length : Infinity;
      };
      const keyed = col.map((id, i) => ({ id, b: bary(id), i }));
      keyed.sort((a, b) => a.b - b.b || a.i - b.i);
      columns[c] = keyed.map((k) => k.id);
    }
    columns[c]!.forEach((id, r) => row.set(id, r));
  });

  // Breakers of the whole trace (so a badge exists before its first change), in their state at `until`.
  const timeline = breakerTimeline(events);
  const at = options.until ?? Infinity;
  const breakersOf = new Map<string, { name: string; state: BreakerState }[]>();
  for (const t of timeline.tracks) {
    const owner = t.owner !== undefined ? (hosts.get(t.owner) ?? t.owner) : undefined;
    const host = owner !== undefined && order.has(owner) && owner !== 'world' ? owner : order.has(t.name) ? t.name : undefined;
    if (host === undefined) continue;
    const list = breakersOf.get(host) ?? [];
    list.push({ name: t.name, state: breakerStateAt(t, at) });
    breakersOf.set(host, list);
  }
  const queues = new Map(queueStats(events, options.until).map((q) => [q.queue, q]));

  const tallest = Math.max(1, ...columns.map((c) => c.length));
  const topDown = options.direction === 'down';
  // Top to bottom: a layer is a row; boxes of a layer side by side; room between layers for labels.
  const sideGap = 24;
  const layerGap = 70;
  // Boxes are as wide as their names need (within limits): left to right, a column takes its widest
  // box; top to bottom, each box its own. With `fitWidth`, the widest boxes give way first: every
  // box is capped at one width `k`, the largest that lets the map fit, so short names stay whole.
  // Left to right, a gap between two columns is as wide as the longest label it holds at the end of
  // the trace (half-way between the boxes; an edge that spans columns has its label, in one line, 40 px
  // into its first gap), within [MIN_COLUMN_GAP, columnGap].
  const layerOf = (id: string) => layer.get(id) ?? 0;
  const gaps = columns.slice(1).map(() => MIN_COLUMN_GAP);
  for (const e of whole.values()) {
    const from = layerOf(e.from);
    const span = layerOf(e.to) - from;
    if (e.from === e.to || span < 1) continue;
    const { ok, bad } = labelFigures(e);
    const figures = [...ok, ...bad];
    if (figures.length === 0) continue;
    // Between neighbouring columns a label has one figure per line ("8 msg" over "8 ack"); otherwise one
    // line of what went well and one of what went wrong.
    const px = (span === 1 ? Math.max(...figures.map((t) => t.length)) : Math.max(ok.join(' · ').length, bad.join(' · ').length)) * EDGE_CHAR_PX;
    gaps[from] = Math.min(columnGap, Math.max(gaps[from]!, span === 1 ? px + 28 : 40 + px / 2 + 8));
  }
  // Boxes with an edge back past a column get a rail of their own right of their column (see MapNode.back).
  const backSources = new Set<string>();
  if (!topDown) for (const [from, to] of allPairs.values()) if (from !== to && layerOf(to) < layerOf(from) - 1) backSources.add(from);
  const railsOf = (c: number) => (columns[c] ?? []).filter((id) => backSources.has(id));
  const railRoom = columns.map((_, c) => (railsOf(c).length ? RAIL_GAP + railsOf(c).length * RAIL_STEP : 0));
  // Top to bottom, every edge back up a row or more gets a loop round the right of the map (see ServiceMap.loops).
  const loopPairs = topDown ? [...allPairs.values()].filter(([from, to]) => from !== to && layerOf(to) < layerOf(from)) : [];
  const loopRoom = loopPairs.length ? RAIL_GAP + loopPairs.length * RAIL_STEP : 0;
  // A queue box is never narrower than `nodeWidth` (its depth line needs it); other boxes only as wide
  // as their breaker badges need, at least SMALL_NODE_WIDTH.
  const least = new Map(
    ids.map((id) => [
      id,
      partyKind(id) === 'queue' ? nodeWidth : Math.max(Math.min(SMALL_NODE_WIDTH, nodeWidth), ...(breakersOf.get(id) ?? []).map((b) => badgeWidth(b.name) + 12)),
    ]),
  );
  const want = new Map(ids.map((id) => [id, Math.min(Math.max(maxNodeWidth, least.get(id)!), Math.max(least.get(id)!, nameWidth(partyName(id), measure)))]));
  const widthAt = (id: string, k: number) => Math.max(least.get(id)!, Math.min(want.get(id)!, Math.floor(k)));
  const columnWidthAt = (col: readonly string[], k: number) => Math.max(0, ...col.map((id) => widthAt(id, k)));
  const rowWidthAt = (col: readonly string[], k: number) => col.reduce((a, id) => a + widthAt(id, k), 0) + Math.max(0, col.length - 1) * sideGap;
  const totalAt = (k: number) =>
    topDown
      ? margin * 2 + Math.max(0, ...columns.map((col) => rowWidthAt(col, k))) + loopRoom
      : margin * 2 + columns.reduce((a, col) => a + columnWidthAt(col, k), 0) + gaps.reduce((a, g) => a + g, 0) + railRoom.reduce((a, r) => a + r, 0);
  let k = maxNodeWidth;
  if (options.fitWidth !== undefined && totalAt(k) > options.fitWidth) {
    let lo = Math.min(...least.values());
    for (let i = 0; i < 12; i++) {
      const mid = (lo + k) / 2;
      if (totalAt(mid) > options.fitWidth) k = mid;
      else lo = mid;
    }
    k = lo;
    // It does not fit even with the narrowest boxes, so it scrolls anyway: then rather keep every
    // name whole (in two lines where it splits) than cut names and scroll.
    if (totalAt(k) > options.fitWidth) k = Math.max(k, ...ids.map((id) => Math.min(want.get(id)!, wholeNameWidth(partyName(id), measure))));
  }
  // Room to spare at full size (the box is 80 % of `fitWidth`): the gaps widen evenly towards
  // `columnGap`, so that labels and converging lines get air.
  if (!topDown && options.fitWidth !== undefined) {
    let spare = Math.floor(options.fitWidth * 0.8 - totalAt(k));
    for (let open = gaps.filter((g) => g < columnGap).length; spare >= 1 && open > 0; open = gaps.filter((g) => g < columnGap).length) {
      const step = Math.min(spare / open, ...gaps.filter((g) => g < columnGap).map((g) => columnGap - g));
      gaps.forEach((g, c) => void (g < columnGap && (gaps[c] = g + step)));
      spare -= step * open;
    }
  }
  const totalWidth = totalAt(k);
  const columnX: number[] = [];
  columns.forEach((_col, c) => columnX.push(c === 0 ? margin : columnX[c - 1]! + columnWidthAt(columns[c - 1]!, k) + railRoom[c - 1]! + gaps[c - 1]!));
  const nodes: MapNode[] = [];
  columns.forEach((col, c) => {
    const colWidth = columnWidthAt(col, k);
    let x = margin + (totalWidth - loopRoom - margin * 2 - rowWidthAt(col, k)) / 2;
    const offset = ((tallest - col.length) * (nodeHeight + rowGap)) / 2;
    col.forEach((id, r) => {
      const kind = partyKind(id);
      const name = partyName(id);
      const width = topDown ? widthAt(id, k) : colWidth;
      const node: MapNode = {
        id,
        name,
        kind,
        x: topDown ? x : columnX[c]!,
        y: topDown ? margin + c * (nodeHeight + layerGap) : margin + offset + r * (nodeHeight + rowGap),
        width,
        height: nodeHeight,
        layer: c,
        up: !down.has(id),
        breakers: breakersOf.get(id) ?? [],
      };
      x += width + sideGap;
      const q = kind === 'queue' ? queues.get(name) : undefined;
      if (q) node.queue = q;
      nodes.push(node);
    });
  });

  const outEdges = [...edges.values()].filter(
    (e) => e.from !== e.to && (e.bound || e.requests || e.failures || e.messages || e.acks || e.nacks || e.deadLetters || e.compensations || e.other),
  );
  for (const e of outEdges) {
    e.async = e.messages > e.requests;
    e.label = edgeLabel(e);
  }
  const height = topDown
    ? margin * 2 + Math.max(1, columns.length) * nodeHeight + Math.max(0, columns.length - 1) * layerGap
    : margin * 2 + tallest * nodeHeight + (tallest - 1) * rowGap;
  // Rails and lanes of the edges back past a column (laid out from the whole trace, so they never move).
  const bottom = Math.max(0, ...nodes.map((n) => n.y + n.height));
  // Nested, so that no two cross: the lowest box of a column takes the rail nearest to it and, of the
  // lanes, the highest; the box above it the next rail out and the next lane down.
  const lanes = backSources.size;
  let lane = 0;
  for (let c = columns.length - 1; c >= 0; c--) {
    const rails = railsOf(c).map((id) => nodes.find((x) => x.id === id)!).sort((p, q) => q.y - p.y);
    rails.forEach((n, i) => (n.back = { x: n.x + n.width + RAIL_GAP + i * RAIL_STEP, y: bottom + RAIL_GAP + lane++ * RAIL_STEP }));
  }
  // Loops, top to bottom: the shorter a loop, the nearer its rail; of the loops out of one row, the one
  // with the rail further out leaves lower; of those into one row, it comes in higher: none cross.
  const loops: Record<string, MapLoop> = {};
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const exits = new Map<number, number>();
  const entries = new Map<number, number>();
  const right = Math.max(0, ...nodes.map((n) => n.x + n.width));
  loopPairs
    .map(([from, to], i) => ({ a: byId.get(from)!, b: byId.get(to)!, i }))
    .sort((p, q) => p.a.layer - p.b.layer - (q.a.layer - q.b.layer) || p.i - q.i)
    .forEach(({ a, b }, i) => {
      const out = exits.get(a.layer) ?? 0;
      const into = entries.get(b.layer) ?? 0;
      exits.set(a.layer, out + 1);
      entries.set(b.layer, into + 1);
      loops[`${a.id}\u0000${b.id}`] = { x: right + RAIL_GAP + i * RAIL_STEP, exit: a.y + a.height + 10 + out * RAIL_STEP, entry: b.y - 10 - into * RAIL_STEP };
    });
  const lowestLoop = Math.max(0, ...Object.values(loops).map((l) => l.exit + 8));
  // Routes of the edges forward past a layer, from the whole trace (stable while scrubbing), each in a channel of its own.
  const routes: Record<string, Array<[number, number]>> = {};
  const used: RouteSpace = { channels: [], ends: new Map() };
  const sized = { nodes, direction: topDown ? ('down' as const) : ('across' as const), width: totalWidth, height };
  for (const [from, to] of allPairs.values()) {
    const a = byId.get(from);
    const b = byId.get(to);
    const route = a && b ? spanRoute(sized, a, b, used) : undefined;
    if (route) routes[`${from}\u0000${to}`] = route;
  }
  return {
    nodes,
    edges: outEdges,
    direction: topDown ? 'down' : 'across',
    width: totalWidth,
    height: Math.max(height, lanes ? bottom + RAIL_GAP + lanes * RAIL_STEP : 0, lowestLoop),
    loops,
    routes,
  };
}

/**
 * Top to bottom, an edge back up to an earlier row (a queue's consumer above it, a service publishing
 * to the exchange over it): it leaves its box by the bottom, runs along a lane under that row (`exit`),
 * up a rail right of every box (`x`), along a lane over the target's row (`entry`) and down into it, so
 * that it crosses no box.
 */
export interface MapLoop {
  x: number;
  exit: number;
  entry: number;
}

/**
 * The bends of an edge forward past one layer or more, when a straight run would cross a box of the
 * layers in between: out of its source into the first gap, across to a channel that is free in every
 * layer in between, along it to the last gap, across, and into its target. Top to bottom the channel
 * is an x; left to right a y. Undefined when nothing is in the way (or no channel is free).
 *
 * @example
 * // a and b 100 px wide at x 100, two layers apart; a box from x 60 to 260 in the layer between:
 * spanRoute(map, a, b); // [[125, 74], [125, 109], [52, 109], [52, 237], [125, 237], [125, 270]]
 */
export function spanRoute(
  m: Pick<ServiceMap, 'nodes' | 'direction' | 'width' | 'height'>,
  a: MapNode,
  b: MapNode,
  used: RouteSpace = { channels: [], ends: new Map() },
): Array<[number, number]> | undefined {
  if (b.layer - a.layer < 2) return undefined;
  const down = m.direction === 'down';
  // Work top to bottom; left to right is the same with x and y swapped.
  const flip = (n: MapNode) => (down ? n : { ...n, x: n.y, y: n.x, width: n.height, height: n.width });
  const [p, q] = [flip(a), flip(b)];
  const between = m.nodes.filter((n) => n.layer > a.layer && n.layer < b.layer).map(flip);
  const x1 = p.x + p.width / 2;
  const x2 = q.x + q.width / 2;
  const [lo, hi] = [Math.min(x1, x2), Math.max(x1, x2)];
  if (!between.some((n) => n.x < hi + 4 && n.x + n.width > lo - 4)) return undefined;
  // Free stretches of the cross axis in every layer in between, 8 px clear of each box.
  const extent = down ? m.width : m.height;
  let free: Array<[number, number]> = [[4, extent - 4]];
  for (const n of between) {
    const [s, e] = [n.x - 8, n.x + n.width + 8];
    free = free.flatMap(([f, t]): Array<[number, number]> => (e <= f || s >= t ? [[f, t]] : [...(s > f ? [[f, s] as [number, number]] : []), ...(e < t ? [[e, t] as [number, number]] : [])]));
  }
  // The free spot nearest the straight line, ROUTE_STEP px clear of the channels other routes took.
  const want = (x1 + x2) / 2;
  const spots = free.flatMap(([f, t]) => {
    const at = Math.min(t, Math.max(f, want));
    return Array.from({ length: 9 }, (_, i) => at + (i % 2 ? 1 : -1) * Math.ceil(i / 2) * ROUTE_STEP).filter((x) => x >= f && x <= t && used.channels.every((c) => Math.abs(c - x) >= ROUTE_STEP));
  });
  if (spots.length === 0) return undefined;
  const channel = spots.reduce((best, x) => (Math.abs(x - want) < Math.abs(best - want) ? x : best));
  used.channels.push(channel);
  // Out of the source and into the target as near the channel as their middle halves allow (clear of
  // the edges that leave and enter at the middle), each route at a box ROUTE_STEP px from the last.
  // Its runs across the gaps, too, ROUTE_STEP px from those of the routes before it at the same box.
  const near = (n: MapNode) => {
    const k = used.ends.get(n.id) ?? 0;
    used.ends.set(n.id, k + 1);
    const at = Math.min(n.x + n.width * 0.75, Math.max(n.x + n.width * 0.25, channel));
    return { at: at + (at < n.x + n.width / 2 ? 1 : -1) * k * ROUTE_STEP, k };
  };
  const [out, into] = [near(p), near(q)];
  const [from, to] = [out.at, into.at];
  // The gaps next to the source's and the target's layers.
  const first = Math.min(...between.filter((n) => n.layer === a.layer + 1).map((n) => n.y));
  const last = Math.max(...between.filter((n) => n.layer === b.layer - 1).map((n) => n.y + n.height));
  const g1 = (p.y + p.height + first) / 2 + out.k * ROUTE_STEP;
  const g2 = (last + q.y) / 2 - into.k * ROUTE_STEP;
  const points: Array<[number, number]> = [
    [from, p.y + p.height],
    [from, g1],
    [channel, g1],
    [channel, g2],
    [to, g2],
    [to, q.y - 2],
  ];
  return down ? points : points.map(([x, y]) => [y, x]);
}

/** What the routes laid out so far take: their channels, and how many start or end at each box. */
export interface RouteSpace {
  channels: number[];
  ends: Map<string, number>;
}

/** Distance between neighbouring routes, px. */
const ROUTE_STEP = 8;

/**
 * An SVG path through `points` with straight runs and corners rounded by up to `r` px (less where a
 * run is short); points on a straight line add no corner.
 */
export function roundedPath(points: ReadonlyArray<readonly [number, number]>, r = 6): string {
  const pts = points.filter((pt, i) => i === 0 || pt[0] !== points[i - 1]![0] || pt[1] !== points[i - 1]![1]);
  let d = `M ${pts[0]![0]} ${pts[0]![1]}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const [px, py] = pts[i - 1]!;
    const [x, y] = pts[i]!;
    const [nx, ny] = pts[i + 1]!;
    const inLen = Math.hypot(x - px, y - py);
    const outLen = Math.hypot(nx - x, ny - y);
    const k = Math.min(r, inLen / 2, outLen / 2);
    if (k <= 0 || (x - px) * (ny - y) === (y - py) * (nx - x)) {
      d += ` L ${x} ${y}`;
      continue;
    }
    d += ` L ${x - ((x - px) / inLen) * k} ${y - ((y - py) / inLen) * k} Q ${x} ${y} ${x + ((nx - x) / outLen) * k} ${y + ((ny - y) / outLen) * k}`;
  }
  const [ex, ey] = pts[pts.length - 1]!;
  return `${d} L ${ex} ${ey}`;
}

/** Distance from a column to its first rail, and from the lowest box to the first lane, px. */
const RAIL_GAP = 12;
/** Distance between neighbouring rails or lanes, px. */
const RAIL_STEP = 9;

/**
 * The figures an edge's label shows: what went well, and what went wrong (drawn in the error colour).
 *
 * @example
 * labelFigures(edge); // { ok: ['12 calls'], bad: ['3 failed', '2 comp.'] }
 */
export function labelFigures(e: MapEdge): { ok: string[]; bad: string[] } {
  const ok: string[] = [];
  const bad: string[] = [];
  if (e.requests) ok.push(`${e.requests} call${e.requests === 1 ? '' : 's'}`);
  if (e.messages) ok.push(`${e.messages} msg`);
  if (e.acks) ok.push(`${e.acks} ack`);
  if (e.failures) bad.push(`${e.failures} failed`);
  if (e.nacks) bad.push(`${e.nacks} nack`);
  if (e.deadLetters) bad.push(`${e.deadLetters} DLX`);
  if (e.compensations) bad.push(`${e.compensations} comp.`);
  if (!ok.length && !bad.length && e.other) ok.push(`${e.other} event${e.other === 1 ? '' : 's'}`);
  if (!ok.length && !bad.length && e.bound) ok.push('bound');
  return { ok, bad };
}

/** What an edge carried, in words, for its title: "3 calls · 1 failed", "6 msg · 6 ack", "bound". */
function edgeLabel(e: MapEdge): string {
  const { ok, bad } = labelFigures(e);
  return [...ok, ...bad].map((f) => f.replace(/ comp\.$/, e.compensations === 1 ? ' compensation' : ' compensations')).join(' · ');
}

/** Width a box needs for `name` in the map's 12 px name font (with its kind mark and padding), px. */
export function nameWidth(name: string, measure: MeasureName = estimate): number {
  return Math.ceil(measure(name) + 34);
}

/** Average advance of a character of the map's name font, px (when the map is not given a way to measure). */
export const NAME_CHAR_PX = 7.4;

/** Width of one character of an edge label (10.5 px monospace), px, a little over. */
export const EDGE_CHAR_PX = 6.5;

/** The narrowest box that is not a queue, px. */
const SMALL_NODE_WIDTH = 96;

/** Width of a breaker's badge ("payment: half-open", its name cut to 12 characters), px. */
export function badgeWidth(name: string): number {
  return (Math.min(name.length, 12) + ': half-open'.length) * 6.2 + 8;
}

/** The narrowest gap between two columns, px: room for an arrow's curve and its head. */
const MIN_COLUMN_GAP = 56;

/** Width of a name in the map's name font, px: measured by the page, or estimated. */
export type MeasureName = (text: string) => number;

const estimate: MeasureName = (text) => text.length * NAME_CHAR_PX;

/**
 * The name of a box `width` px wide, in one line or two. A name too long for one line is split after
 * its last dot ("order-service.PaymentCompleted": a queue named after its consumer and its event, so
 * the part that tells the queues of one consumer apart stays whole), or else after the hyphen that
 * makes the narrowest box ("order-" "orchestrator"); the first line keeps room for the kind mark, the second does not need
 * it. Any line still too long is cut with "…".
 *
 * @example
 * nameLines('order-service.PaymentCompleted', 150); // ['order-service.', 'PaymentCompleted']
 * nameLines('payment', 128); // ['payment']
 */
export function nameLines(name: string, width: number, measure: MeasureName = estimate): string[] {
  if (measure(name) + 34 <= width) return [name];
  const at = splitAt(name, measure);
  if (at === undefined) return [cut(name, width - 34, measure)];
  return [cut(name.slice(0, at), width - 34, measure), cut(name.slice(at), width - 12, measure)];
}

/**
 * Where a name goes on to its second line: after its last dot, or else after the hyphen that makes
 * the narrowest box; undefined when it has neither inside.
 */
function splitAt(name: string, measure: MeasureName): number | undefined {
  const dot = name.lastIndexOf('.');
  if (dot > 0 && dot < name.length - 1) return dot + 1;
  let best: { at: number; width: number } | undefined;
  for (let i = name.indexOf('-'); i > 0 && i < name.length - 1; i = name.indexOf('-', i + 1)) {
    const width = Math.max(measure(name.slice(0, i + 1)) + 34, measure(name.slice(i + 1)) + 12);
    if (!best || width < best.width) best = { at: i + 1, width };
  }
  return best?.at;
}

/** The narrowest box that shows `name` without cutting it: in two lines where {@link nameLines} splits it, px. */
export function wholeNameWidth(name: string, measure: MeasureName = estimate): number {
  const at = splitAt(name, measure);
  if (at === undefined) return nameWidth(name, measure);
  return Math.min(nameWidth(name, measure), Math.ceil(Math.max(measure(name.slice(0, at)) + 34, measure(name.slice(at)) + 12)));
}

/** `text` cut with "…" to at most `room` px (at least 7 characters). */
function cut(text: string, room: number, measure: MeasureName): string {
  if (measure(text) <= room) return text;
  let n = text.length - 1;
  while (n > 7 && measure(`${text.slice(0, n)}…`) > room) n--;
  return `${text.slice(0, n)}…`;
}


/** Longest-path layers of a graph after dropping the back edges of a depth-first search. */
function layers(ids: readonly string[], succ: Map<string, string[]>): Map<string, number> {
  const state = new Map<string, 1 | 2>();
  const topo: string[] = [];
  const dag = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const root of ids) {
    if (state.has(root)) continue;
    // Iterative DFS: stack of [node, next child index].
    const stack: [string, number][] = [[root, 0]];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const children = succ.get(top[0]) ?? [];
      if (top[1] < children.length) {
        const child = children[top[1]++]!;
        const s = state.get(child);
        if (s === 1) continue; // back edge: ignore
        dag.get(top[0])!.push(child);
        if (s === undefined) {
          state.set(child, 1);
          stack.push([child, 0]);
        }
      } else {
        state.set(top[0], 2);
        topo.push(top[0]);
        stack.pop();
      }
    }
  }
  topo.reverse();
  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const id of topo) for (const c of dag.get(id)!) layer.set(c, Math.max(layer.get(c)!, layer.get(id)! + 1));
  return layer;
}
