import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/patterns/resilience/circuit-breaker.js';
import { RetryPolicy } from '../../src/patterns/resilience/retry.js';
import { createWorld } from '../../src/sim/world.js';
import { breakerTimeline } from '../../src/ui/views/breaker-model.js';
import { toMermaid } from '../../src/ui/views/mermaid.js';
import { patternHosts } from '../../src/ui/views/pattern-hosts.js';
import { layoutSequence } from '../../src/ui/views/sequence-model.js';
import { serviceMap } from '../../src/ui/views/service-map-model.js';

/** orders calls a failing payment through a retry and a breaker that opens after two failures in a row. */
async function breakerWorld() {
  const world = createWorld({ seed: 5, faults: { services: { payment: { errorRate: 1, errorStatus: 503 } } } });
  world.service('payment').post('/pay', () => ({ ok: true }));
  const orders = world.service('orders');
  const breaker = new CircuitBreaker({ name: 'pay-cb', clock: world.scheduler, policy: { kind: 'consecutive', failureThreshold: 2 }, breakDuration: 1000, trace: world.trace });
  const retry = new RetryPolicy({ name: 'pay-retry', clock: world.scheduler, rng: world.rng.fork('retry'), maxAttempts: 2, trace: world.trace });
  orders.post('/orders', async (_req, res) => {
    try {
      await retry.execute(() => breaker.execute(() => orders.http.post('http://payment/pay', {})));
      res.status(201).json({});
    } catch {
      res.status(503).json({});
    }
  });
  void (async () => {
    for (let i = 0; i < 3; i++) {
      await world.http.post('http://orders/orders', {}).catch(() => undefined);
      await world.sleep(50);
    }
  })();
  await world.run();
  return [...world.events];
}

describe('resilience policies in the views', () => {
  it('finds the service a breaker and a retry policy live in', async () => {
    const events = await breakerWorld();
    expect(events.some((e) => e.kind === 'state' && e.source === 'pay-cb')).toBe(true);
    const hosts = patternHosts(events);
    expect(hosts.get('pay-cb')).toBe('orders');
    expect(hosts.get('pay-retry')).toBe('orders');
  });

  it('draws their events on the host lifeline, not on lifelines of their own', async () => {
    const events = await breakerWorld();
    const layout = layoutSequence(events, { collapse: false });
    expect(layout.lifelines.map((l) => l.id)).toEqual(['client', 'orders', 'payment']);
    const notes = layout.rows.filter((r) => r.type === 'note' && (r.style === 'breaker' || r.style === 'retry'));
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((r) => r.type === 'note' && r.at === 'orders')).toBe(true);
    expect(notes.some((r) => r.type === 'note' && r.fullLabel === 'breaker pay-cb: closed → open')).toBe(true);
    expect(toMermaid(events)).not.toContain('as pay-cb');
  });

  it('badges the host service on the map and names it on the timeline', async () => {
    const events = await breakerWorld();
    const opened = events.find((e) => e.kind === 'state' && e.to === 'open')!.time;
    const map = serviceMap(events, { until: opened });
    expect(map.nodes.map((n) => n.id).sort()).toEqual(['client', 'orders', 'payment']);
    expect(map.nodes.find((n) => n.id === 'orders')!.breakers).toEqual([{ name: 'pay-cb', state: 'open' }]);
    expect(serviceMap(events, { until: opened - 1 }).nodes.find((n) => n.id === 'orders')!.breakers).toEqual([{ name: 'pay-cb', state: 'closed' }]);
    const [track] = breakerTimeline(events, opened).tracks;
    expect(track).toMatchObject({ name: 'pay-cb', owner: 'orders', state: 'open' });
    expect(breakerTimeline(events).tracks[0]!.calls.map((c) => c.outcome)).toContain('rejected');
  });
});
