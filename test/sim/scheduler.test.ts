import { describe, expect, it } from 'vitest';
import { delay, debounceTime, firstValueFrom, interval, Subject, take, timer, toArray } from 'rxjs';
import { hostHop, VirtualScheduler } from '../../src/sim/scheduler.js';

describe('VirtualScheduler ordering', () => {
  it('runs callbacks by time, and callbacks at the same time in scheduling order', async () => {
    const s = new VirtualScheduler();
    const seen: string[] = [];
    s.at(20, () => seen.push('c@20'));
    s.at(10, () => seen.push('a@10'));
    s.at(10, () => seen.push('b@10'));
    s.after(0, () => seen.push('z@0'));
    const out = await s.run();
    expect(seen).toEqual(['z@0', 'a@10', 'b@10', 'c@20']);
    expect(out).toMatchObject({ reason: 'quiescent', time: 20, events: 4 });
  });

  it('never runs a cancelled callback', async () => {
    const s = new VirtualScheduler();
    const seen: number[] = [];
    const h = s.at(5, () => seen.push(5));
    s.at(6, () => seen.push(6));
    h.cancel();
    await s.run();
    expect(seen).toEqual([6]);
    expect(s.pending).toBe(0);
  });

  it('stops at the horizon with the clock on the horizon, and resumes later', async () => {
    const s = new VirtualScheduler();
    const seen: number[] = [];
    for (const t of [10, 50, 100]) s.at(t, () => seen.push(t));
    expect(await s.run({ horizon: 60 })).toMatchObject({ reason: 'horizon', time: 60 });
    expect(seen).toEqual([10, 50]);
    expect(await s.run()).toMatchObject({ reason: 'quiescent', time: 100 });
    expect(seen).toEqual([10, 50, 100]);
  });

  it('stops after the event budget', async () => {
    const s = new VirtualScheduler();
    const tick = () => s.after(1, tick);
    tick();
    const out = await s.run({ maxEvents: 1000 });
    expect(out.reason).toBe('budget');
    expect(out.events).toBe(1000);
    expect(s.now()).toBe(1000);
  });

  it('reports a callback that throws', async () => {
    const s = new VirtualScheduler();
    s.at(3, () => {
      throw new Error('boom');
    });
    s.at(4, () => undefined);
    const out = await s.run();
    expect(out.reason).toBe('error');
    expect((out.error as Error).message).toBe('boom');
    expect(out.time).toBe(3);
  });

  it('schedules in the past as now, never earlier', async () => {
    const s = new VirtualScheduler();
    const times: number[] = [];
    s.at(10, () => s.at(2, () => times.push(s.now())));
    await s.run();
    expect(times).toEqual([10]);
  });
});

describe('async/await in virtual time', () => {
  it('a 60 s sleep completes at once and now() reads 60000 after it', async () => {
    const s = new VirtualScheduler();
    let after = -1;
    void (async () => {
      await s.sleep(60_000);
      after = s.now();
    })();
    const t0 = performance.now();
    await s.run();
    expect(after).toBe(60_000);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  // The three cases that break a bounded microtask drain.
  it('a timer callback that awaits 50 times in a loop finishes before a later timer', async () => {
    const s = new VirtualScheduler();
    const seen: string[] = [];
    s.at(1, async () => {
      for (let i = 0; i < 50; i++) await Promise.resolve();
      seen.push('loop done');
    });
    s.at(2, () => seen.push('later timer'));
    await s.run();
    expect(seen).toEqual(['loop done', 'later timer']);
  });

  it('a recursive async function 30 deep finishes before a later timer', async () => {
    const s = new VirtualScheduler();
    const seen: string[] = [];
    const deep = async (n: number): Promise<number> => (n === 0 ? 0 : 1 + (await deep(n - 1)));
    s.at(1, async () => seen.push(`depth ${await deep(30)}`));
    s.at(2, () => seen.push('later timer'));
    await s.run();
    expect(seen).toEqual(['depth 30', 'later timer']);
  });

  it('a chain of 10 custom thenables finishes before a later timer', async () => {
    const s = new VirtualScheduler();
    const seen: string[] = [];
    const thenable = (v: number): PromiseLike<number> => ({ then: (ok) => Promise.resolve(ok?.(v)) as never });
    s.at(1, async () => {
      let v = 0;
      for (let i = 0; i < 10; i++) v = await thenable(v + 1);
      seen.push(`thenables ${v}`);
    });
    s.at(2, () => seen.push('later timer'));
    await s.run();
    expect(seen).toEqual(['thenables 10', 'later timer']);
  });

  it('sleeps in concurrent async functions interleave by virtual time', async () => {
    const s = new VirtualScheduler();
    const seen: string[] = [];
    const worker = async (name: string, step: number) => {
      for (let i = 0; i < 3; i++) {
        await s.sleep(step);
        seen.push(`${name}@${s.now()}`);
      }
    };
    void worker('a', 30);
    void worker('b', 40);
    await s.run();
    expect(seen).toEqual(['a@30', 'b@40', 'a@60', 'b@80', 'a@90', 'b@120']);
  });

});

describe("a browser Worker's real-task hops", () => {
  // Node stands in for the browser: postTask runs its callback as a task of its own (setImmediate),
  // and Node has MessageChannel. Each host lacks setImmediate, so hostHop picks the browser's hop.
  const postTaskHost = {
    scheduler: { postTask: (cb: () => unknown) => new Promise((resolve) => setImmediate(() => resolve(cb()))) },
  } as unknown as typeof globalThis;
  const channelHost = { MessageChannel } as unknown as typeof globalThis;

  it.each([
    ['scheduler.postTask', postTaskHost],
    ['MessageChannel', channelHost],
  ])('with %s, in callback form, deep promise work still finishes before a later timer', async (_, host) => {
    const hop = hostHop(host);
    expect(typeof hop.task).toBe('function');
    const s = new VirtualScheduler({ hop });
    const seen: string[] = [];
    const deep = async (n: number): Promise<number> => (n === 0 ? 0 : 1 + (await deep(n - 1)));
    s.at(1, async () => {
      for (let i = 0; i < 50; i++) await Promise.resolve();
      seen.push(`depth ${await deep(30)}`);
    });
    s.at(2, () => seen.push('later timer'));
    s.at(2, async () => seen.push(`again ${await deep(12)}`));
    s.at(3, () => seen.push('last timer'));
    const outcome = await s.run();
    expect(seen).toEqual(['depth 30', 'later timer', 'again 12', 'last timer']);
    expect(outcome).toMatchObject({ reason: 'quiescent', events: 4, time: 3 });
  });
});

describe('never', () => {
  it('a callback due at +Infinity never runs and does not keep the world busy', async () => {
    const s = new VirtualScheduler();
    let ran = false;
    const h = s.after(Infinity, () => (ran = true));
    s.at(5, () => undefined);
    expect(await s.run()).toMatchObject({ reason: 'quiescent', time: 5 });
    expect(ran).toBe(false);
    h.cancel();
  });
});

describe('RxJS on the virtual scheduler', () => {
  it('delay and timer run in virtual time', async () => {
    const s = new VirtualScheduler();
    const got: Array<[number, number]> = [];
    timer(500, s.rx).subscribe(() => got.push([0, s.now()]));
    const src = new Subject<number>();
    src.pipe(delay(1000, s.rx)).subscribe((v) => got.push([v, s.now()]));
    s.at(10, () => src.next(7), { sync: true });
    await s.run();
    expect(got).toEqual([
      [0, 500],
      [7, 1010],
    ]);
  });

  it('debounceTime keeps only the last value of a burst', async () => {
    const s = new VirtualScheduler();
    const src = new Subject<number>();
    const out = firstValueFrom(src.pipe(debounceTime(100, s.rx), take(2), toArray()));
    [0, 20, 40].forEach((t, i) => s.at(t, () => src.next(i)));
    s.at(400, () => src.next(9));
    await s.run();
    expect(await out).toEqual([2, 9]);
    expect(s.now()).toBe(500);
  });

  it('interval ticks at its period and stops when unsubscribed', async () => {
    const s = new VirtualScheduler();
    const ticks: number[] = [];
    interval(250, s.rx)
      .pipe(take(4))
      .subscribe(() => ticks.push(s.now()));
    await s.run();
    expect(ticks).toEqual([250, 500, 750, 1000]);
    expect(s.pending).toBe(0);
  });
});
