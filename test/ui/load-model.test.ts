/**
 * The load chart's model: per load and per second, from a real run's trace.
 */
import { describe, expect, it } from 'vitest';
import { generateLoad } from '../../src/patterns/index.js';
import { createWorld } from '../../src/sim/world.js';
import { amplification, loadChart } from '../../src/ui/views/load-model.js';
import { niceMax } from '../../src/ui/views/load-chart-svg.js';

/**
 * 20 calls a second for 3 s to `front`, which calls `back` once, or three
 * times (retrying) during the second second, when back answers 500 after 200 ms.
 */
async function stormTrace() {
  const world = createWorld({ seed: 11 });
  const front = world.service('front');
  world.service('back').get('/x', async (_req, res) => {
    const bad = world.scheduler.now() >= 1000 && world.scheduler.now() < 2000;
    await world.sleep(bad ? 200 : 10);
    res.status(bad ? 500 : 200).json({});
  });
  front.get('/x', async (_req, res) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await front.http.get('http://back/x');
        return res.json({ ok: true });
      } catch {
        if (attempt === 3) return res.status(503).json({});
      }
    }
  });
  void generateLoad({ name: 'users', ratePerSecond: 20, durationMs: 3000, clock: world.scheduler, rng: world.rng.fork('l'), trace: world.trace, request: () => world.http.get('http://front/x') });
  await world.run();
  return [...world.events];
}

describe('loadChart', () => {
  it('counts per second what was sent, what succeeded and failed, and the calls each service got', async () => {
    const events = await stormTrace();
    const chart = loadChart(events);
    expect(chart.loads.map((l) => l.name)).toEqual(['users']);
    const users = chart.loads[0]!;
    expect(users).toMatchObject({ ratePerSecond: 20, durationMs: 3000, clients: 1 });
    const [s0, s1] = users.seconds;
    const sent = users.seconds.reduce((n, s) => n + s.sent, 0);
    expect(sent).toBe(users.totals.sent);
    expect(users.totals.ok + users.totals.failed).toBe(sent);
    expect(s0).toMatchObject({ failed: 0, errorRate: 0 });
    expect(s0!.p99).toBeLessThan(20);
    // The bad second: calls fail after three slow attempts, and pile up in flight.
    expect(s1!.errorRate).toBeGreaterThan(0.5);
    expect(s1!.p50).toBeGreaterThan(600);
    expect(s1!.inFlight).toBeGreaterThan(s0!.inFlight);
    // back gets three calls per user call while it fails: the amplification shows.
    const back = chart.services.find((s) => s.service === 'back')!;
    const front = chart.services.find((s) => s.service === 'front')!;
    expect(back.perSecond[1]!).toBeGreaterThan(2 * front.perSecond[1]!);
    expect(amplification(chart, front)).toBe(1);
    expect(amplification(chart, back)!).toBeGreaterThan(1.3);
  });

  it('shows the trace up to the scrub time on an axis that spans the whole run', async () => {
    const events = await stormTrace();
    const whole = loadChart(events);
    const early = loadChart(events, 1500);
    expect(early.span).toBe(whole.span);
    expect(early.loads[0]!.seconds[2]).toMatchObject({ sent: 0, ok: 0, failed: 0, errorRate: undefined });
    expect(early.loads[0]!.seconds[0]).toEqual(whole.loads[0]!.seconds[0]);
    expect(early.loads[0]!.totals.sent).toBeLessThan(whole.loads[0]!.totals.sent);
  });

  it('is empty for a run without a load', () => {
    expect(loadChart([]).loads).toEqual([]);
  });
});

describe('niceMax', () => {
  it('rounds a maximum up to a readable top of the axis', () => {
    expect([0, 0.7, 1, 3, 37, 101, 2400].map(niceMax)).toEqual([1, 1, 1, 4, 40, 200, 2500]);
  });
});
