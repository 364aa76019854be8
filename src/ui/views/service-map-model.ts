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
  const rowGap = options.rowGap ?? 30;
  const margin = 16;
  const end = prefixLength(events, options.until);

  const order = new Map<string, number>();
  const edges = new Map<string, MapEdge>();
  const allPairs = new Map<string, [string, string]>();
  const edgeOf = (from: string, to: string, live: boolean) => {
    const key = `${from}\u0000${to}`;
    if (!allPairs.has(key)) allPairs.set(key, [from, to]);
    if (!live) return undefined;
    let edge = edges.get(key);
    if (!edge) {
      edge = { from, to, requests: 0, failures: 0, messages: 0, acks: 0, nacks: 0, deadLetters: 0, compensations: 0, other: 0, bound: false, async: false, label: '' };
      edges.set(key, edge);
    }
    return edge;
  };
  const see = (id: string) => {
    if (!order.has(id)) order.set(id, order.size);
  };
  const down = new Set<string>();
  const hosts = patternHosts(events);

  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const live = i < end;
    if (e.kind === 'service.status') {
      see(e.service);
      if (live) {
        if (e.up) down.delete(e.service);
        else down.add(e.service);
      }
      continue;
    }
    const v = placeOnHost(describeEvent(e), hosts);
    if (v.shape !== 'arrow') {
      if (v.from !== 'world' && v.from !== 'console' && v.from !== '?' && v.from !== 'broker' && (isBrokerParty(v.from) || e.kind === 'log' || e.kind === 'state')) see(v.from);
      continue;
    }
    if (e.kind === 'mq.topology') {
      see(v.from);
      see(v.to);
      const edge = edgeOf(v.from, v.to, live);
      if (edge) edge.bound = !e.action.endsWith('unbind');
      continue;
    }
    if (v.quiet) continue;
    see(v.from);
    see(v.to);
    switch (e.kind) {
      case 'http.request': {
        const edge = edgeOf(v.from, v.to, live);
        if (edge) edge.requests++;
        continue;
      }
      case 'http.response': {
        const edge = edgeOf(v.to, v.from, live);
        if (edge && e.status >= 400 && e.late !== true) edge.failures++;
        continue;
      }
      case 'http.timeout':
      case 'http.refused': {
        const edge = edgeOf(v.from, v.to, live);
        if (edge) edge.failures++;
        continue;
      }
      case 'http.canceled':
      case 'fault':
        continue;
    }
    if (v.style === 'ack' || v.style === 'nack') {
      const edge = edgeOf(v.to, v.from, live);
      if (edge) edge[v.style === 'ack' ? 'acks' : 'nacks']++;
      continue;
    }
    const edge = edgeOf(v.from, v.to, live);
    if (!edge) continue;
    if (v.style === 'dead-letter') {
      edge.deadLetters++;
      edge.messages++;
    } else if (v.style === 'message' || v.style === 'deliver' || v.style === 'redeliver') edge.messages++;
    else if (v.style === 'compensation') edge.compensations++;
    else edge.other++;
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
  const want = new Map(ids.map((id) => [id, Math.min(maxNodeWidth, Math.max(nodeWidth, nameWidth(partyName(id))))]));
  const widthAt = (id: string, k: number) => Math.min(want.get(id)!, Math.floor(k));
  const columnWidthAt = (col: readonly string[], k: number) => Math.max(nodeWidth, ...col.map((id) => widthAt(id, k)));
  const rowWidthAt = (col: readonly string[], k: number) => col.reduce((a, id) => a + widthAt(id, k), 0) + Math.max(0, col.length - 1) * sideGap;
  const totalAt = (k: number) =>
    topDown
      ? margin * 2 + Math.max(nodeWidth, ...columns.map((col) => rowWidthAt(col, k)))
      : margin * 2 + columns.reduce((a, col) => a + columnWidthAt(col, k), 0) + Math.max(0, columns.length - 1) * columnGap;
  let k = maxNodeWidth;
  if (options.fitWidth !== undefined && totalAt(k) > options.fitWidth) {
    let lo = nodeWidth;
    for (let i = 0; i < 12; i++) {
      const mid = (lo + k) / 2;
      if (totalAt(mid) > options.fitWidth) k = mid;
      else lo = mid;
    }
    k = lo;
  }
  const totalWidth = totalAt(k);
  const columnX: number[] = [];
  columns.forEach((_col, c) => columnX.push(c === 0 ? margin : columnX[c - 1]! + columnWidthAt(columns[c - 1]!, k) + columnGap));
  const nodes: MapNode[] = [];
  columns.forEach((col, c) => {
    const colWidth = columnWidthAt(col, k);
    let x = margin + (totalWidth - margin * 2 - rowWidthAt(col, k)) / 2;
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
    const parts: string[] = [];
    if (e.requests) parts.push(`${e.requests} call${e.requests === 1 ? '' : 's'}`);
    if (e.failures) parts.push(`${e.failures} failed`);
    if (e.messages) parts.push(`${e.messages} msg`);
    if (e.acks) parts.push(`${e.acks} ack`);
    if (e.nacks) parts.push(`${e.nacks} nack`);
    if (e.deadLetters) parts.push(`${e.deadLetters} DLX`);
    if (e.compensations) parts.push(`${e.compensations} compensation${e.compensations === 1 ? '' : 's'}`);
    if (!parts.length && e.other) parts.push(`${e.other} event${e.other === 1 ? '' : 's'}`);
    if (!parts.length && e.bound) parts.push('bound');
    e.label = parts.join(' · ');
  }
  return {
    nodes,
    edges: outEdges,
    direction: topDown ? 'down' : 'across',
    width: totalWidth,
    height: topDown
      ? margin * 2 + Math.max(1, columns.length) * nodeHeight + Math.max(0, columns.length - 1) * layerGap
      : margin * 2 + tallest * nodeHeight + (tallest - 1) * rowGap,
  };
}

/** Width a box needs for `name` in the map's 12 px name font (with its kind mark and padding), px. */
export function nameWidth(name: string): number {
  return Math.ceil(name.length * NAME_CHAR_PX + 34);
}

/** Average advance of a character of the map's name font, px. */
export const NAME_CHAR_PX = 7.4;

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
