/**
 * The clock of real mode: it stands still while a loading program waits for
 * infrastructure, never fires a callback before its time, and drives the
 * program's own timers (an interval ticks at exact multiples of its period).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { programGlobals } from '../../src/real/program-globals.js';
import { RealClock } from '../../src/real/real-clock.js';
import { Rng } from '../../src/sim/index.js';

const clocks: RealClock[] = [];
function clock(timeScale = 1): RealClock {
  const c = new RealClock({ timeScale });
  clocks.push(c);
  return c;
}
afterEach(() => clocks.splice(0).forEach((c) => c.cancelAll()));

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('the real clock', () => {
  it('stands still while a loading program waits on a hold, and runs on after it', async () => {
    const c = clock();
    const before = c.now();
    await c.hold(realSleep(150));
    expect(c.now() - before).toBeLessThan(50);
    await realSleep(60);
    expect(c.now() - before).toBeGreaterThanOrEqual(55);
  });

  it('no longer stops once the program has loaded', async () => {
    const c = clock();
    c.loaded();
    const before = c.now();
    await c.hold(realSleep(100));
    expect(c.now() - before).toBeGreaterThanOrEqual(95);
  });

  it('settles a hold as its work does, and keeps the clock running after a failure', async () => {
    const c = clock();
    await expect(c.hold(Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    const before = c.now();
    await realSleep(60);
    expect(c.now() - before).toBeGreaterThanOrEqual(55);
  });

  it('fires a timer armed before a hold at its time on the clock, not earlier', async () => {
    const c = clock();
    let firedAt: number | undefined;
    const due = c.after(80, () => (firedAt = c.now())).time;
    await c.hold(realSleep(200));
    expect(firedAt).toBeUndefined();
    await realSleep(150);
    expect(firedAt).toBeGreaterThanOrEqual(due);
  });
});

describe("the program's timers", () => {
  it('tick an interval at exact multiples of its period on the program clock, also across a hold', async () => {
    const c = clock(2);
    const globals = programGlobals(c, new Rng(1));
    const start = c.now();
    const ticks: number[] = [];
    const id = globals.setInterval(() => ticks.push(c.now() - start), 40);
    await c.hold(realSleep(100)); // 200 ms of the program's time would have passed
    expect(ticks).toEqual([]);
    while (ticks.length < 5) await realSleep(10);
    globals.clearInterval(id);
    ticks.forEach((t, i) => expect(t).toBeGreaterThanOrEqual(40 * (i + 1)));
    const count = ticks.length;
    await realSleep(60);
    expect(ticks.length).toBe(count);
  });

  it('says when the program starts: its first line calls enter()', () => {
    let entered = 0;
    const globals = programGlobals(clock(), new Rng(1), { onEnter: () => entered++ });
    expect(globals.enter()).toBe(globals);
    expect(entered).toBe(1);
  });
});
