import { describe, expect, it } from 'vitest';
import { createWorld, type WorldOptions } from '../../src/sim/world.js';
import { hashTrace, traceFromJSON } from '../../src/sim/trace.js';

/** A small system with retries and random latency, so the seed matters. */
async function scenario(options: WorldOptions) {
  const world = createWorld(options);
  world.service('payment').post('/payments', async (req) => {
    await world.sleep(world.rng.fork('work').int(5, 50));
    return { paid: req.body.amount };
  });
  world.service('orders').post('/orders', async (req, res) => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const r = await world.service('orders').http.post('http://payment/payments', { amount: req.body.amount }, { timeout: 200 });
        return res.status(201).json({ order: req.body.id, paid: r.data.paid, attempt });
      } catch {
        await world.sleep(100 * attempt);
      }
    }
    res.status(502).json({ error: 'payment unavailable' });
  });
  for (let i = 0; i < 20; i++) world.scheduler.at(i * 30, () => void world.http.post('http://orders/orders', { id: i, amount: i * 10 }).catch(() => undefined));
  return { world, result: await world.run() };
}

const randomFaults = { services: { payment: { errorRate: 0.3, latency: { kind: 'uniform' as const, min: 0, max: 300 } } } };

describe('world', () => {
  it('the same seed and plan give an identical trace hash on two runs', async () => {
    const a = await scenario({ seed: 11, faults: randomFaults });
    const b = await scenario({ seed: 11, faults: randomFaults });
    expect(a.result.traceHash).toBe(b.result.traceHash);
    expect(a.world.events.length).toBeGreaterThan(40);
    expect(JSON.stringify(a.world.events)).toBe(JSON.stringify(b.world.events));
  });

  it('a different seed with random faults gives a different trace', async () => {
    const a = await scenario({ seed: 11, faults: randomFaults });
    const b = await scenario({ seed: 12, faults: randomFaults });
    expect(a.result.traceHash).not.toBe(b.result.traceHash);
  });

  it('two worlds run side by side without interfering', async () => {
    const [a, b] = await Promise.all([scenario({ seed: 5, faults: randomFaults }), scenario({ seed: 5, faults: randomFaults })]);
    const alone = await scenario({ seed: 5, faults: randomFaults });
    expect(a.result.traceHash).toBe(alone.result.traceHash);
    expect(b.result.traceHash).toBe(alone.result.traceHash);
  });

  it('the trace survives a JSON round trip with the same hash', async () => {
    const { world } = await scenario({ seed: 3, faults: randomFaults });
    const text = JSON.stringify(world.trace.toJSON());
    const back = traceFromJSON(text);
    expect(hashTrace(back)).toBe(world.trace.hash());
    expect(back).toEqual(world.events);
  });

  it('rejects malformed serialised traces with a message', () => {
    expect(() => traceFromJSON('{"format":"other"}')).toThrow('"format" must be "spp-trace"');
    expect(() => traceFromJSON({ format: 'spp-trace', version: 2, events: [] })).toThrow('unsupported version 2');
    expect(() => traceFromJSON({ format: 'spp-trace', version: 1, events: [{ seq: 1, time: 0, kind: 'log' }] })).toThrow('events[0].seq is 1, expected 0');
  });

  it('an uncaught error in a callback ends the run and is in the trace', async () => {
    const world = createWorld();
    world.scheduler.at(50, () => {
      throw new TypeError('cannot read x of undefined');
    });
    const r = await world.run();
    expect(r.reason).toBe('error');
    expect(world.events.at(-1)).toMatchObject({ kind: 'error', time: 50, message: 'TypeError: cannot read x of undefined' });
  });

  it('trace events reach live subscribers as they are recorded', async () => {
    const world = createWorld();
    const kinds: string[] = [];
    world.trace.events$.subscribe((e) => kinds.push(e.kind));
    world.service('a').get('/x', () => 'ok');
    void world.http.get('http://a/x');
    await world.run();
    expect(kinds).toEqual(['http.request', 'http.response']);
  });
});
