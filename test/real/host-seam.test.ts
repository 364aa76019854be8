/**
 * The playground module on the real host: the same functions a program
 * imports act on real infrastructure; what only the simulated broker can do
 * (its snapshot, restarts) says clearly that real mode lacks it.
 */
import { describe, expect, it } from 'vitest';
import * as playground from 'playground';
import { useRealHost as useHost } from './real-hosts.js';

const useRealHost = (seed: string | number = 'seam') => useHost({ seed });

describe('the playground module in real mode', () => {
  it('serves and calls services over real HTTP and logs into the real trace', async () => {
    const host = useRealHost();
    playground.service('greeter').get('/hello/:name', (req) => ({ hello: req.params['name'], from: req.from }));
    const { data } = await playground.http.get('http://greeter/hello/ada');
    playground.log.info('greeted');
    expect(data).toEqual({ hello: 'ada', from: 'client' });
    expect(host.trace.events.map((e) => e.kind)).toEqual(['http.request', 'http.response', 'log']);
  });

  it('reads the real clock, and draws random() and uuid() from the seed', async () => {
    useRealHost(42);
    const before = playground.now();
    await playground.sleep(50);
    expect(playground.now() - before).toBeGreaterThanOrEqual(45);
    const first = [playground.random(), playground.uuid()];
    useRealHost(42);
    expect([playground.random(), playground.uuid()]).toEqual(first);
  });

  it('runs a breaker on the real clock and records its states', async () => {
    const host = useRealHost();
    const breaker = playground.circuitBreaker({ name: 'pay', policy: { kind: 'consecutive', failureThreshold: 1 }, breakDuration: 100 });
    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
    expect(breaker.state).toBe('open');
    await playground.sleep(150);
    await breaker.execute(() => 'ok');
    const states = host.trace.events.filter((e) => e.kind === 'state').map((e) => (e.kind === 'state' ? `${e.from}→${e.to}` : ''));
    expect(states).toEqual(['closed→open', 'open→halfOpen', 'halfOpen→closed']);
  });

  it('keeps an event store in process memory', async () => {
    useRealHost();
    const store = playground.eventStore('orders');
    await store.append('order-1', { eventType: 'OrderPlaced', data: { total: 3 } });
    expect(store.streamVersion('order-1')).toBe(1);
  });

  it('says which part of the simulated broker is not available in real mode', async () => {
    useRealHost();
    expect(() => playground.broker().snapshot()).toThrow('broker().snapshot is not available in real mode: it needs the simulation');
    expect(playground.broker().queueStats('nothing')).toMatchObject({ name: 'nothing', ready: 0, published: 0 });
  });
});
