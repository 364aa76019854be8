import type { TraceEvent } from '../../sim/trace.js';
import { breakerStateAt, breakerTimeline } from './breaker-model.js';
import { describeEvent, isBrokerParty, partyKind, partyName, type BreakerState, type PartyKind } from './describe-event.js';
import { placeOnHost, patternHosts } from './pattern-hosts.js';
import { queueStats, type QueueStats } from './queue-model.js';
import { loose, num, prefixLength, str } from './trace-access.js';

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
  nodeWidth?: number;
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
    const e = loose(events[i]!);
    const live = i < end;
    if (e.kind === 'service.status') {
      const name = str(e, 'service') ?? e.source;
      if (name !== undefined) {
        see(name);
        if (live) {
          if (e['up'] === true) down.delete(name);
          else down.add(name);
        }
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
      if (edge) edge.bound = !str(e, 'action')?.endsWith('unbind');
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
        if (edge && (num(e, 'status') ?? 0) >= 400 && e['late'] !== true) edge.failures++;
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
  const nodes: MapNode[] = [];
  columns.forEach((col, c) => {
    const offset = topDown ? ((tallest - col.length) * (nodeWidth + sideGap)) / 2 : ((tallest - col.length) * (nodeHeight + rowGap)) / 2;
    col.forEach((id, r) => {
      const kind = partyKind(id);
      const name = partyName(id);
      const node: MapNode = {
        id,
        name,
        kind,
        x: topDown ? margin + offset + r * (nodeWidth + sideGap) : margin + c * (nodeWidth + columnGap),
        y: topDown ? margin + c * (nodeHeight + layerGap) : margin + offset + r * (nodeHeight + rowGap),
        width: nodeWidth,
        height: nodeHeight,
        layer: c,
        up: !down.has(id),
        breakers: breakersOf.get(id) ?? [],
      };
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
    width: topDown
      ? margin * 2 + tallest * nodeWidth + (tallest - 1) * sideGap
      : margin * 2 + Math.max(1, columns.length) * nodeWidth + Math.max(0, columns.length - 1) * columnGap,
    height: topDown
      ? margin * 2 + Math.max(1, columns.length) * nodeHeight + Math.max(0, columns.length - 1) * layerGap
      : margin * 2 + tallest * nodeHeight + (tallest - 1) * rowGap,
  };
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
