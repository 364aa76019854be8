import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/sim/trace.js';
import { breakerTimeline } from '../../src/ui/views/breaker-model.js';
import { filterLogs, levelCounts, logEntries } from '../../src/ui/views/log-model.js';
import { computeMetrics, normalizePath, percentile } from '../../src/ui/views/metrics-model.js';
import { queueStats } from '../../src/ui/views/queue-model.js';
import { badgeWidth, nameLines, nameWidth, roundedPath, serviceMap, spanRoute, type MapNode } from '../../src/ui/views/service-map-model.js';
import { prefixLength } from '../../src/ui/views/trace-access.js';
import { Buffer, connect } from '../../src/messaging/index.js';
import { createWorld } from '../../src/sim/world.js';
import { brokerTrace, callsAndEventsTrace, choreographyBrokerTrace, ev, orderWorldTrace, pollingTrace, resetSeq } from './fixtures.js';

describe('service map', () => {
  it('has the services and edges with call and failure counts', async () => {
    const map = serviceMap(await orderWorldTrace());
    expect(map.nodes.map((n) => n.id).sort()).toEqual(['client', 'orders', 'payment']);
    const edge = (a: string, b: string) => map.edges.find((e) => e.from === a && e.to === b);
    expect(edge('client', 'orders')).toMatchObject({ requests: 3, failures: 2 }); // two 502s
    expect(edge('orders', 'payment')).toMatchObject({ requests: 3, failures: 2 }); // a timeout and a 402
    expect(edge('payment', 'orders')).toBeUndefined(); // responses count on the caller's edge
    const x = Object.fromEntries(map.nodes.map((n) => [n.id, n.x]));
    expect(x['client']!).toBeLessThan(x['orders']!);
    expect(x['orders']!).toBeLessThan(x['payment']!);
  });

  it('counts only what happened by the scrub time, without moving the boxes', async () => {
    const events = await orderWorldTrace();
    const all = serviceMap(events);
    const early = serviceMap(events, { until: 0 });
    expect(early.nodes).toEqual(all.nodes.map((n) => ({ ...n, breakers: [], up: true })));
    expect(early.edges.map((e) => [e.from, e.to, e.requests])).toEqual([['client', 'orders', 1]]);
  });

  it('gives the same map of a trace it has seen before, and counts what a trace gained since', async () => {
    const events = await orderWorldTrace();
    const half = events.slice(0, Math.floor(events.length / 2));
    const grown = [...half];
    const first = serviceMap(grown);
    expect(serviceMap(grown)).toEqual(first);
    expect(serviceMap(grown, { until: 0 })).toEqual(serviceMap([...half], { until: 0 }));
    // The same array, grown (as while a run streams in): its map is that of the whole trace, not the half seen before.
    grown.push(...events.slice(half.length));
    const whole = serviceMap(grown);
    expect(whole).toEqual(serviceMap([...events]));
    expect(whole.edges.find((e) => e.from === 'orders' && e.to === 'payment')!.requests).toBeGreaterThan(first.edges.find((e) => e.from === 'orders' && e.to === 'payment')!.requests);
  });

  it('shows queue depth at the scrub time from broker events', () => {
    const events = brokerTrace();
    const queueAt = (t: number) => serviceMap(events, { until: t }).nodes.find((n) => n.id === 'queue:emails')!.queue!;
    expect(queueAt(3)).toMatchObject({ ready: 2, unacked: 0 });
    expect(queueAt(6)).toMatchObject({ ready: 0, unacked: 2 });
    expect(queueAt(9)).toMatchObject({ ready: 0, unacked: 0, acked: 1, nacked: 1, deadLettered: 1 });
    const map = serviceMap(events);
    expect(map.edges.find((e) => e.from === 'queue:emails' && e.to === 'mailer')).toMatchObject({ messages: 2, acks: 1, nacks: 1 });
    expect(map.edges.find((e) => e.to === 'exchange:dlx')).toMatchObject({ deadLetters: 1 });
    expect(map.edges.find((e) => e.from === 'exchange:shop' && e.to === 'queue:emails')).toMatchObject({ bound: true, messages: 2 });
    expect(serviceMap(events, { until: 0 }).edges.map((e) => [e.from, e.to, e.label])).toEqual([
      ['exchange:shop', 'queue:emails', 'bound'],
      ['orders', 'exchange:shop', '1 msg'],
    ]);
  });

  it('puts broker faults (duplicate, delay, crash before ack) on their queue, not on a service of the same name', async () => {
    const world = createWorld({ seed: 3, faults: { queues: { jobs: { duplicateRate: 1, delay: { kind: 'fixed', ms: 5 }, crashBeforeAckRate: 0.5 } } } });
    const work = (async () => {
      const ch = await (await connect(world, 'worker')).createChannel();
      await ch.assertQueue('jobs');
      await ch.consume('jobs', (m) => m && ch.ack(m));
      for (let i = 0; i < 4; i++) ch.sendToQueue('jobs', Buffer.from(`job ${i}`));
    })();
    await world.run();
    await work;
    const faults = world.events.filter((e) => e.kind === 'fault');
    expect(new Set(faults.map((e) => e.kind === 'fault' && e.fault))).toEqual(new Set(['duplicate', 'delay', 'crash-before-ack']));
    const map = serviceMap(world.events);
    expect(map.nodes.map((n) => n.id).sort()).toEqual(['queue:jobs', 'worker']);
  });

  it('widens boxes to fit long names, and narrows them again (not below the minimum) to fit a given width', () => {
    const events = brokerTrace();
    const long = 'notification-service-eu-west';
    const renamed = events.map((e) => ({ ...e, ...(e.source === 'mailer' ? { source: long } : {}) }) as TraceEvent);
    const wide = serviceMap(renamed);
    const box = wide.nodes.find((n) => n.id === long)!;
    expect(box.width).toBe(nameWidth(long));
    expect(wide.nodes.find((n) => n.id === 'orders')!.width).toBe(128);
    const fitted = serviceMap(renamed, { fitWidth: wide.width - 100 });
    expect(fitted.width).toBeLessThanOrEqual(wide.width - 100);
    expect(fitted.nodes.find((n) => n.id === long)!.width).toBeLessThan(box.width);
    // Never below the minimum: a queue's depth line needs 128 px, other boxes 96.
    const cramped = serviceMap(renamed, { fitWidth: 10 });
    expect(Math.min(...cramped.nodes.filter((n) => n.kind === 'queue').map((n) => n.width))).toBe(128);
    expect(Math.min(...cramped.nodes.filter((n) => n.kind !== 'queue').map((n) => n.width))).toBe(96);
    const down = serviceMap(renamed, { direction: 'down' });
    expect(down.nodes.find((n) => n.id === long)!.width).toBe(nameWidth(long));
    // Boxes of one layer never overlap.
    for (const a of down.nodes) for (const b of down.nodes) if (a !== b && a.layer === b.layer) expect(a.x + a.width <= b.x || b.x + b.width <= a.x).toBe(true);
  });

  it('splits a long name after its last dot or a hyphen, and cuts only what still does not fit', () => {
    expect(nameLines('payments', 128)).toEqual(['payments']);
    expect(nameLines('order-service.PaymentCompleted', nameWidth('order-service.PaymentCompleted'))).toEqual(['order-service.PaymentCompleted']);
    // Two lines: the first keeps room for the kind mark, the second does not need it.
    expect(nameLines('order-service.ItemsReserved', 140)).toEqual(['order-service.', 'ItemsReserved']);
    expect(nameLines('inventory-service.PaymentCompleted', 140)).toEqual(['inventory-ser…', 'PaymentCompleted']);
    // No dot: after the hyphen that makes the narrowest box; no dot nor hyphen: cut.
    expect(nameLines('order-orchestrator', 110)).toEqual(['order-', 'orchestrator']);
    expect(nameLines('notification-service-eu-west', 128)).toEqual(['notificatio…', 'service-eu-west']);
    expect(nameLines('notificationserviceeuwest', 128)).toEqual(['notificatio…']);
    // Measured by the page: every character 10 px.
    expect(nameLines('ab.cdefghijkl', 140, (t) => t.length * 10)).toEqual(['ab.', 'cdefghijkl']);
    expect(nameLines('ab.cdefghijklmnop', 140, (t) => t.length * 10)).toEqual(['ab.', 'cdefghijklm…']);
  });

  it('makes a gap between columns as wide as the labels it holds at the end, whatever the scrub time', () => {
    const events = brokerTrace();
    const map = serviceMap(events);
    const x = (id: string) => map.nodes.find((n) => n.id === id)!;
    const gap = (a: string, b: string) => x(b).x - (x(a).x + x(a).width);
    // orders → shop carries "2 msg"; emails → mailer "2 msg · 1 ack · 1 nack", one figure per line: room for "1 nack".
    const label = (from: string, to: string) => map.edges.find((e) => e.from === from && e.to === to)!.label;
    expect(label('orders', 'exchange:shop')).toBe('2 msg');
    expect(gap('orders', 'exchange:shop')).toBe('2 msg'.length * 6.5 + 28);
    expect(label('queue:emails', 'mailer')).toBe('2 msg · 1 ack · 1 nack');
    expect(gap('queue:emails', 'mailer')).toBe('1 nack'.length * 6.5 + 28);
    // Laid out from the whole trace: at t=0 nothing has been sent yet, and no box has moved.
    const boxes = (m: typeof map) => m.nodes.map((n) => [n.id, n.x, n.y, n.width]);
    expect(boxes(serviceMap(events, { until: 0 }))).toEqual(boxes(map));
  });

  it('gives each box with an edge back past a column a rail and a lane of its own, nested so that none cross', () => {
    const map = serviceMap(choreographyBrokerTrace());
    expect(map.direction).toBe('across');
    const services = ['order-service', 'payment-service', 'inventory-service'].map((id) => map.nodes.find((n) => n.id === id)!);
    // Services publish to the exchange two columns to their left: each has a rail right of its column and a lane under every box.
    expect(services.map((n) => n.layer)).toEqual([2, 2, 2]);
    expect(map.nodes.find((n) => n.id === 'exchange:events')!.layer).toBe(0);
    const right = Math.max(...services.map((n) => n.x + n.width));
    const bottom = Math.max(...map.nodes.map((n) => n.y + n.height));
    for (const n of services) {
      expect(n.back!.x).toBeGreaterThan(right);
      expect(n.back!.y).toBeGreaterThan(bottom);
      expect(n.back!.x).toBeLessThanOrEqual(map.width);
      expect(n.back!.y).toBeLessThanOrEqual(map.height);
    }
    // The box highest up goes furthest out and furthest down: its line then goes round the others'.
    const [top, middle, low] = [...services].sort((a, b) => a.y - b.y);
    expect(top!.back!.x).toBeGreaterThan(middle!.back!.x);
    expect(middle!.back!.x).toBeGreaterThan(low!.back!.x);
    expect(top!.back!.y).toBeGreaterThan(middle!.back!.y);
    expect(middle!.back!.y).toBeGreaterThan(low!.back!.y);
    // Queues have no edge back: no rail.
    expect(map.nodes.filter((n) => n.kind === 'queue' && n.back)).toEqual([]);
    // Top to bottom there are no rails.
    expect(serviceMap(choreographyBrokerTrace(), { direction: 'down' }).nodes.filter((n) => n.back)).toEqual([]);
  });

  it('top to bottom, routes each edge back up round the right of every box', () => {
    const map = serviceMap(callsAndEventsTrace(), { direction: 'down' });
    const node = (id: string) => map.nodes.find((n) => n.id === id)!;
    expect(Object.keys(map.loops).map((k) => k.replace('\u0000', ' → ')).sort()).toEqual([
      'notification-service → exchange:events',
      'queue:inventory-service.OrderPaid → inventory-service',
      'queue:order-service.CustomerNotified → order-service',
    ]);
    const right = Math.max(...map.nodes.map((n) => n.x + n.width));
    for (const [key, loop] of Object.entries(map.loops)) {
      const [from, to] = key.split('\u0000').map(node);
      expect(loop.x).toBeGreaterThan(right);
      expect(loop.x).toBeLessThanOrEqual(map.width);
      // Under the source's row and over the target's, inside the gaps between rows.
      expect(loop.exit).toBeGreaterThan(from!.y + from!.height);
      expect(loop.exit).toBeLessThanOrEqual(map.height);
      expect(loop.entry).toBeLessThan(to!.y);
      expect(loop.entry).toBeGreaterThan(Math.max(...map.nodes.filter((n) => n.layer === to!.layer - 1).map((n) => n.y + n.height)));
    }
    // The shortest loop has the nearest rail.
    const loops = Object.values(map.loops).sort((a, b) => a.x - b.x);
    expect(loops[0]).toBe(map.loops['queue:inventory-service.OrderPaid\u0000inventory-service']);
    // Left to right there are no loops.
    expect(serviceMap(callsAndEventsTrace()).loops).toEqual({});
  });

  it('routes an edge forward past layers round the boxes in its way, along a channel free in every layer between', () => {
    const node = (id: string, layer: number, x: number, width = 100): MapNode => ({ id, name: id, kind: 'service', x, y: 16 + layer * 128, width, height: 58, layer, up: true, breakers: [] });
    const a = node('a', 0, 100);
    const block = node('block', 1, 60, 200);
    const b = node('b', 2, 100);
    const m = { nodes: [a, block, b], direction: 'down' as const, width: 400, height: 400 };
    const route = spanRoute(m, a, b)!;
    // Down out of a, to the nearer side of the box in the way (8 px clear of it), down past it, back and
    // into b; out and in at the side of the middle nearer the channel (clear of edges at the middle).
    const channel = route[2]![0];
    expect(channel).toBe(block.x - 8);
    expect(route[3]![0]).toBe(channel);
    expect(route[0]).toEqual([a.x + 25, a.y + a.height]);
    expect(route.at(-1)).toEqual([b.x + 25, b.y - 2]);
    // Its runs across lie in the gaps, not in a box's rows.
    expect(route[1]![1]).toBeGreaterThan(a.y + a.height);
    expect(route[1]![1]).toBeLessThan(block.y);
    expect(route[4]![1]).toBeGreaterThan(block.y + block.height);
    expect(route[4]![1]).toBeLessThan(b.y);
    // Nothing in the way: no route; neighbours: no route.
    expect(spanRoute({ ...m, nodes: [a, { ...block, x: 300, width: 60 }, b] }, a, b)).toBeUndefined();
    expect(spanRoute(m, a, block)).toBeUndefined();
    // No free channel (the box spans the whole width): no route either.
    expect(spanRoute({ ...m, nodes: [a, { ...block, x: 0, width: 400 }, b] }, a, b)).toBeUndefined();
    // Left to right: the same with x and y swapped.
    const swap = (n: MapNode): MapNode => ({ ...n, x: n.y, y: n.x, width: n.height, height: n.width });
    const across = spanRoute({ nodes: m.nodes.map(swap), direction: 'across', width: 400, height: 400 }, swap(a), swap(b))!;
    expect(across).toEqual(route.map(([x, y]) => [y, x]));
  });

  it('gives each route past a box its own channel and its own way in, the same at any scrub time', () => {
    resetSeq();
    // client and orders both call payment past inventory, which orders calls and which calls payment.
    const call = (t: number, source: string, target: string) => ev(t, 'http.request', { source, target, method: 'GET', path: '/', requestId: `${source}-${target}-${t}` });
    const events = [call(0, 'orders', 'inventory'), call(1, 'inventory', 'payment'), call(2, 'client', 'payment'), call(3, 'orders', 'payment')];
    const map = serviceMap(events, { direction: 'down' });
    const routes = ['client', 'orders'].map((from) => map.routes[`${from}\u0000payment`]!);
    expect(routes.every(Boolean)).toBe(true);
    const [c1, c2] = routes.map((r) => r[2]![0]);
    expect(Math.abs(c1! - c2!)).toBeGreaterThanOrEqual(8);
    const [in1, in2] = routes.map((r) => r.at(-1)![0]);
    expect(Math.abs(in1! - in2!)).toBeGreaterThanOrEqual(8);
    // Their runs across the last gap are apart too.
    expect(routes[0]![4]![1]).not.toBe(routes[1]![4]![1]);
    // Laid out from the whole trace: before any of these calls, the same routes.
    expect(serviceMap(events, { direction: 'down', until: -1 }).routes).toEqual(map.routes);
  });

  it('draws a route with straight runs and rounded corners', () => {
    expect(roundedPath([[0, 0], [0, 20], [30, 20]], 6)).toBe('M 0 0 L 0 14 Q 0 20 6 20 L 30 20');
    // A short run rounds less; points in line add no corner.
    expect(roundedPath([[0, 0], [0, 4], [30, 4]], 6)).toBe('M 0 0 L 0 2 Q 0 4 2 4 L 30 4');
    expect(roundedPath([[0, 0], [0, 10], [0, 20]])).toBe('M 0 0 L 0 10 L 0 20');
  });

  it('makes a box wide enough for its breaker badges', () => {
    resetSeq();
    const events = [ev(0, 'http.request', { source: 'a', target: 'b', method: 'GET', path: '/', requestId: 'r1' }), ev(1, 'state', { source: 'a', component: 'payment-breaker-eu', from: 'CLOSED', to: 'HALF_OPEN' })];
    const a = serviceMap(events, { fitWidth: 10 }).nodes.find((n) => n.id === 'a')!;
    expect(a.width).toBeGreaterThanOrEqual(badgeWidth('payment-breaker-eu'));
    expect(badgeWidth('payment-breaker-eu')).toBeGreaterThan(96);
  });

  it('badges a breaker with its state at the scrub time and marks down services', () => {
    resetSeq();
    const events = [
      ev(0, 'http.request', { source: 'orders', target: 'payment', method: 'GET', path: '/', requestId: 'r1' }),
      ev(10, 'state', { source: 'orders', component: 'payment-breaker', from: 'CLOSED', to: 'OPEN' }),
      ev(12, 'service.status', { source: 'payment', service: 'payment', up: false }),
      ev(50, 'state', { source: 'orders', component: 'payment-breaker', from: 'OPEN', to: 'HALF_OPEN' }),
    ];
    const orders = (t: number) => serviceMap(events, { until: t }).nodes.find((n) => n.id === 'orders')!;
    expect(orders(5).breakers).toEqual([{ name: 'payment-breaker', state: 'closed' }]);
    expect(orders(20).breakers).toEqual([{ name: 'payment-breaker', state: 'open' }]);
    expect(orders(60).breakers).toEqual([{ name: 'payment-breaker', state: 'half-open' }]);
    expect(serviceMap(events, { until: 11 }).nodes.find((n) => n.id === 'payment')!.up).toBe(true);
    expect(serviceMap(events, { until: 12 }).nodes.find((n) => n.id === 'payment')!.up).toBe(false);
  });
});

describe('service map, top to bottom', () => {
  it('puts each layer below the previous one, and is narrower than the left-to-right layout for a chain', async () => {
    const events = await brokerTrace();
    const across = serviceMap(events);
    const down = serviceMap(events, { direction: 'down' });
    expect(down.direction).toBe('down');
    for (const a of down.nodes) for (const b of down.nodes) if (b.layer > a.layer) expect(b.y).toBeGreaterThan(a.y);
    expect(down.nodes.map((n) => n.id).sort()).toEqual(across.nodes.map((n) => n.id).sort());
    expect(down.width).toBeLessThan(across.width);
  });
});

describe('breaker timeline', () => {
  resetSeq();
  const events = [
    ev(0, 'breaker.call', { source: 'orders', breaker: 'pay', outcome: 'failure', state: 'closed' }),
    ev(100, 'state', { source: 'orders', component: 'pay', from: 'closed', to: 'open', detail: { reason: 'failureRate', window: { kind: 'count', calls: 4, failures: 3, slowCalls: 0, failureRate: 0.75 } } }),
    ev(150, 'breaker.call', { source: 'orders', breaker: 'pay', outcome: 'rejected', state: 'open' }),
    ev(300, 'state', { source: 'orders', component: 'pay', from: 'open', to: 'halfOpen' }),
    ev(320, 'state', { source: 'orders', component: 'pay', from: 'halfOpen', to: 'closed' }),
    ev(400, 'log', { source: 'orders', level: 'info', message: 'done' }),
  ];

  it('gives closed/open/half-open intervals covering the time axis', () => {
    const { tracks, end } = breakerTimeline(events);
    expect(end).toBe(400);
    expect(tracks).toHaveLength(1);
    expect(tracks[0]!.intervals.map((i) => [i.state, i.start, i.end])).toEqual([
      ['closed', 0, 100],
      ['open', 100, 300],
      ['half-open', 300, 320],
      ['closed', 320, 400],
    ]);
    expect(tracks[0]!.transitions[0]).toMatchObject({ from: 'closed', to: 'open', reason: 'failureRate' });
    expect(tracks[0]!.calls.map((c) => c.outcome)).toEqual(['failure', 'rejected']);
    expect(tracks[0]!.window).toMatchObject({ kind: 'count', calls: 4, failures: 3, failureRate: 0.75, time: 100 });
  });

  it('stops at the scrub time with the current interval ongoing', () => {
    const { tracks, end } = breakerTimeline(events, 200);
    expect(end).toBe(200);
    expect(tracks[0]!.state).toBe('open');
    expect(tracks[0]!.intervals.at(-1)).toEqual({ state: 'open', start: 100, end: 200, ongoing: true });
    expect(breakerTimeline(events, 50).tracks[0]!.window).toBeUndefined();
  });

  it('ignores state events that are not breaker states', () => {
    resetSeq();
    expect(breakerTimeline([ev(0, 'state', { component: 'saga-1', from: 'pending', to: 'paid' })]).tracks).toEqual([]);
  });
});

describe('metrics', () => {
  it('counts calls and failures per route and computes latency percentiles', async () => {
    const m = computeMetrics(await orderWorldTrace());
    const pay = m.routes.find((r) => r.route === 'payment POST /payments')!;
    expect(pay).toMatchObject({ calls: 3, responses: 2, timeouts: 1, errorResponses: 1, failures: 2, late: 1 });
    expect(pay.p50).toBeGreaterThan(10);
    expect(pay.p99).toBeGreaterThanOrEqual(pay.p50!);
    expect(m.totals).toMatchObject({ calls: 6, failures: 4 });
  });

  it('uses nearest-rank percentiles over many calls', async () => {
    const m = computeMetrics(await pollingTrace(200));
    expect(m.routes).toHaveLength(1);
    expect(m.routes[0]).toMatchObject({ calls: 200, responses: 200, failures: 0, p50: 2, p99: 2 });
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 0.99)).toBe(100);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 0.5)).toBe(5);
  });

  it('groups paths with ids into one route', () => {
    expect(normalizePath('/orders/17/items?x=1')).toBe('/orders/:id/items');
    expect(normalizePath('/orders/ord-12')).toBe('/orders/:id');
    expect(normalizePath('/orders/3f2a9c1e-1111-4222-8333-444455556666')).toBe('/orders/:id');
    expect(normalizePath('/health')).toBe('/health');
  });

  it('follows the broker’s own figures when publishes are refused at the door and a quorum queue drops past its delivery limit', async () => {
    const world = createWorld({ seed: 3 });
    const work = (async () => {
      const conn = await connect(world, 'worker');
      const ch = await conn.createChannel();
      await ch.assertQueue('full', { maxLength: 2, overflow: 'reject-publish' });
      for (let i = 0; i < 4; i++) ch.sendToQueue('full', Buffer.from(`m${i}`));
      await ch.assertQueue('qq', { arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 0 } });
      ch.sendToQueue('qq', Buffer.from('poison'));
      ch.sendToQueue('qq', Buffer.from('held'));
      const c = await conn.createChannel();
      await c.consume('qq', () => undefined); // holds both, never acks
      await world.sleep(10);
      await c.close(); // each comes back past the limit: dropped from the unacked ones
    })();
    await world.run();
    await work;
    const byName = Object.fromEntries(queueStats(world.events).map((q) => [q.queue, q]));
    expect(byName['full']).toMatchObject({ enqueued: 2, ready: 2, dropped: 2 });
    expect(byName['qq']).toMatchObject({ enqueued: 2, delivered: 2, ready: 0, unacked: 0, dropped: 2 });
  });

  it('counts messages per queue', () => {
    const [q, dead] = queueStats(brokerTrace());
    expect(q).toMatchObject({ queue: 'emails', enqueued: 2, delivered: 2, acked: 1, nacked: 1, deadLettered: 1, ready: 0, unacked: 0 });
    expect(dead).toMatchObject({ queue: 'emails.dead', enqueued: 1, ready: 1, depth: 1 });
    expect(computeMetrics(brokerTrace()).totals).toMatchObject({ messages: 3, deadLettered: 1 });
  });
});

describe('log console model', () => {
  resetSeq();
  const events = [
    ev(0, 'log', { source: 'orders', level: 'info', message: 'order created', data: { id: 7 } }),
    ev(1, 'log', { source: 'payment', level: 'debug', message: 'charging' }),
    ev(2, 'log', { source: 'payment', level: 'warn', message: 'slow bank' }),
    ev(3, 'error', { source: 'world', message: 'TypeError: x is undefined', line: 12, column: 5 }),
    ev(4, 'http.request', { source: 'client', target: 'orders', method: 'GET', path: '/' }),
  ];

  it('lists log lines and errors with their position in the code', () => {
    const lines = logEntries(events);
    expect(lines.map((l) => [l.level, l.source, l.message])).toEqual([
      ['info', 'orders', 'order created'],
      ['debug', 'payment', 'charging'],
      ['warn', 'payment', 'slow bank'],
      ['error', 'world', 'TypeError: x is undefined'],
    ]);
    expect(lines[0]!.data).toBe('{"id":7}');
    expect(lines[3]).toMatchObject({ kind: 'error', line: 12, column: 5 });
    expect(levelCounts(lines)).toEqual({ debug: 1, info: 1, warn: 1, error: 1 });
  });

  it('filters by level, text (message, source, data) and time', () => {
    const lines = logEntries(events);
    expect(filterLogs(lines, { levels: new Set(['warn', 'error']) }).map((l) => l.seq)).toEqual([2, 3]);
    expect(filterLogs(lines, { text: 'PAYMENT' }).map((l) => l.seq)).toEqual([1, 2]);
    expect(filterLogs(lines, { text: '"id":7' }).map((l) => l.seq)).toEqual([0]);
    expect(filterLogs(lines, { until: 1 }).map((l) => l.seq)).toEqual([0, 1]);
    expect(logEntries(events, 2)).toHaveLength(3);
  });
});

describe('prefix', () => {
  it('finds the events up to a time by binary search', () => {
    const times = [0, 0, 5, 5, 5, 9].map((time) => ({ time }));
    expect([-1, 0, 4, 5, 9, 100, Infinity].map((t) => prefixLength(times, t))).toEqual([0, 2, 2, 5, 6, 6, 6]);
  });
});

describe('performance', () => {
  it('every model handles 10,000 events in well under a second', async () => {
    const events = await pollingTrace(5000);
    const t0 = performance.now();
    serviceMap(events, { until: 20_000 });
    computeMetrics(events);
    breakerTimeline(events);
    logEntries(events);
    const ms = performance.now() - t0;
    expect(events.length).toBe(10_000);
    expect(ms).toBeLessThan(1500); // ~50 ms on an idle machine
  });
});
