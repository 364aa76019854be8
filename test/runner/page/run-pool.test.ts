/**
 * The run pool's bookkeeping, with a stand-in sandbox: Workers answer over
 * real MessagePorts the way the sandbox's Workers do, and the test decides
 * when a frame goes away or a run never answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PageToPoolWorker } from '../../../src/runner/protocol.js';
import type { PoolHost, PoolHostEvent } from '../../../src/runner/page/pool-host.js';
import { openRunPool } from '../../../src/runner/page/run-pool.js';
import type { SandboxFrame } from '../../../src/runner/page/sandbox-frame.js';

interface FakeWorker {
  id: string;
  frame: SandboxFrame;
  ended: boolean;
  received: PageToPoolWorker[];
  /** What the page posted to it, as it posted it (before it arrives). */
  sent: PageToPoolWorker[];
  /** Seeds of the runs it started, in order. */
  started: Array<string | number>;
}

/**
 * A sandbox whose Workers run like the real ones: one run at a time, the runs
 * sent meanwhile queued and started in turn (a queued run asked to stop is
 * dropped), each answering after `delayMs` with `result` = `<worker id>:<seed>`,
 * unless `hang(seed)` (then it never answers again).
 */
function fakeSandbox(options: { delayMs?: number; hang?: (seed: string | number) => boolean; transpileError?: boolean } = {}) {
  let frameNo = 0;
  let frame = { n: ++frameNo } as unknown as SandboxFrame;
  const listeners = new Set<(e: PoolHostEvent) => void>();
  const workers: FakeWorker[] = [];
  const ports: MessagePort[] = [];
  const host: PoolHost = {
    frame: async () => frame,
    transpile: async (code) =>
      options.transpileError ? { ok: false, error: { kind: 'syntax', message: 'Unexpected token', line: 2, column: 3 } } : { ok: true, code, mappings: '' },
    async startWorker(f) {
      const channel = new MessageChannel();
      const w: FakeWorker = { id: `w${workers.length + 1}`, frame: f, ended: false, received: [], sent: [], started: [] };
      const post = channel.port1.postMessage.bind(channel.port1);
      channel.port1.postMessage = (m: PageToPoolWorker) => {
        w.sent.push(m);
        post(m);
      };
      workers.push(w);
      ports.push(channel.port1, channel.port2);
      const queue: Array<Extract<PageToPoolWorker, { type: 'run' }>> = [];
      let busy = false;
      const next = () => {
        const m = queue.shift();
        if (!m || w.ended) return;
        busy = true;
        w.started.push(m.options.seed);
        if (options.hang?.(m.options.seed)) return;
        setTimeout(() => {
          if (w.ended) return;
          const run = { status: 'ok', result: `${w.id}:${m.options.seed}`, eventsJson: '[]', traceHash: 'h', eventsRun: 1, virtualTime: 0, droppedLogs: 0 };
          channel.port2.postMessage({ type: 'report', runId: m.runId, run });
          busy = false;
          next();
        }, options.delayMs ?? 1);
      };
      channel.port2.onmessage = (e: MessageEvent<PageToPoolWorker>) => {
        const m = e.data;
        w.received.push(m);
        if (m.type === 'stop') {
          const at = queue.findIndex((q) => q.runId === m.runId);
          if (at >= 0) {
            queue.splice(at, 1);
            channel.port2.postMessage({ type: 'dropped', runId: m.runId });
          }
        }
        if (m.type !== 'run') return;
        queue.push(m);
        if (!busy) next();
      };
      channel.port2.postMessage({ type: 'loaded' });
      return { id: w.id, port: channel.port1 };
    },
    endWorker(_f, id) {
      const w = workers.find((x) => x.id === id);
      if (w) w.ended = true;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    host,
    workers,
    /** Removes the frame, its Workers with it, and starts a new one. */
    loseFrame() {
      const lost = frame;
      frame = { n: ++frameNo } as unknown as SandboxFrame;
      for (const w of workers) if (w.frame === lost) w.ended = true;
      for (const l of [...listeners]) l({ kind: 'frame-lost', frame: lost });
    },
    close: () => ports.forEach((p) => p.close()),
  };
}

const options = { defaultWorkers: 2, stopGraceMs: 30, startTimeoutMs: 1_000, clock: () => performance.now() };
let cleanup: Array<() => void> = [];
afterEach(() => {
  cleanup.forEach((f) => f());
  cleanup = [];
});

async function opened(sandbox: ReturnType<typeof fakeSandbox>, request: Parameters<typeof openRunPool>[1], extra: Partial<Parameters<typeof openRunPool>[2]> = {}) {
  const pool = await openRunPool(sandbox.host, request, { ...options, ...extra });
  if (!pool.ok) throw new Error('no pool');
  cleanup.push(pool.close, sandbox.close);
  return pool;
}

describe('run pool', () => {
  it('opens no pool for code that does not transpile', async () => {
    const sandbox = fakeSandbox({ transpileError: true });
    cleanup.push(sandbox.close);
    const pool = await openRunPool(sandbox.host, { code: 'x' }, options);
    expect(pool.ok).toBe(false);
    if (!pool.ok) expect(pool.report.error).toMatchObject({ kind: 'syntax', line: 2 });
    expect(sandbox.workers).toHaveLength(0);
  });

  it('keeps the number of Workers between 2 and 8 by default, and hands each its program once', async () => {
    const sandbox = fakeSandbox();
    const pool = await opened(sandbox, { code: 'export default 1' }, { defaultWorkers: 32 });
    expect(pool.runners).toHaveLength(16); // two per Worker
    await Promise.all(pool.runners.map((r, i) => r(i, {})));
    expect(sandbox.workers).toHaveLength(8);
    for (const w of sandbox.workers) expect(w.received.map((m) => m.type)).toEqual(['program', 'run', 'run']);
    expect((await openRunPool(fakeSandbox().host, { code: '' }, { ...options, defaultWorkers: 1 })).ok && 'opened').toBe('opened');
  });

  it('runs again, on a Worker of the new frame, a run whose frame went away under it', async () => {
    const sandbox = fakeSandbox({ delayMs: 50 });
    const pool = await opened(sandbox, { code: 'c', workers: 1 });
    expect((await pool.runners[0]!(1, {})).result).toBe('w1:1');
    const going = pool.runners[0]!(2, {});
    await new Promise((r) => setTimeout(r, 10));
    sandbox.loseFrame();
    const run = await going;
    expect(run.status).toBe('ok');
    expect(run.result).toBe('w2:2');
    expect(sandbox.workers[1]!.frame).not.toBe(sandbox.workers[0]!.frame);
  });

  it('ends a Worker whose run never answers, reports the endless loop, and goes on with a fresh one', async () => {
    const sandbox = fakeSandbox({ hang: (seed) => seed === 'spin' });
    const pool = await opened(sandbox, { code: 'c', workers: 1, budgetMs: 40 });
    const stuck = await pool.runners[0]!('spin', {});
    expect(stuck).toMatchObject({ status: 'timeout', error: { kind: 'infinite-loop' } });
    expect(sandbox.workers[0]!.ended).toBe(true);
    expect(sandbox.workers[0]!.received.map((m) => m.type)).toEqual(['program', 'run', 'stop']);
    expect((await pool.runners[0]!(3, {})).result).toBe('w2:3');
  });

  it('replaces a Worker after its share of runs', async () => {
    const sandbox = fakeSandbox();
    const pool = await opened(sandbox, { code: 'c', workers: 1 }, { runsPerWorker: 2 });
    const results = [];
    for (let seed = 0; seed < 5; seed++) results.push((await pool.runners[0]!(seed, {})).result);
    expect(results).toEqual(['w1:0', 'w1:1', 'w2:2', 'w2:3', 'w3:4']);
    expect(sandbox.workers.slice(0, 2).every((w) => w.ended)).toBe(true);
  });

  it('gives a Worker its next run before it finishes the one it runs, so it starts it without waiting for the page', async () => {
    const sandbox = fakeSandbox({ delayMs: 5 });
    const pool = await opened(sandbox, { code: 'c', workers: 1 });
    expect(pool.runners).toHaveLength(2);
    const sentSeeds = () => sandbox.workers[0]!.sent.flatMap((m) => (m.type === 'run' ? [m.options.seed] : []));
    await pool.runners[0]!(0, {}); // the Worker is up
    const first = pool.runners[0]!(1, {});
    const second = pool.runners[1]!(2, {});
    await new Promise((r) => setTimeout(r, 1));
    expect(sentSeeds()).toEqual([0, 1, 2]); // both at the Worker, which runs one at a time
    expect(sandbox.workers[0]!.started).toEqual([0, 1]);
    let startedWhenFirstArrived: Array<string | number> = [];
    void first.then(() => (startedWhenFirstArrived = [...sandbox.workers[0]!.started]));
    expect((await first).result).toBe('w1:1');
    await Promise.resolve();
    expect(startedWhenFirstArrived).toEqual([0, 1, 2]); // the second had started before the page read the first report
    expect((await second).result).toBe('w1:2');
  });

  it('a queued run that is stopped before it starts is dropped by the Worker, which goes on', async () => {
    const sandbox = fakeSandbox({ delayMs: 20 });
    const pool = await opened(sandbox, { code: 'c', workers: 1 });
    const controller = new AbortController();
    const first = pool.runners[0]!(1, {});
    const queued = pool.runners[1]!(2, {}, controller.signal);
    await new Promise((r) => setTimeout(r, 1));
    controller.abort();
    expect(await queued).toMatchObject({ status: 'stopped', error: { kind: 'stopped', message: 'Stopped before this run started.' } });
    expect((await first).result).toBe('w1:1');
    expect((await pool.runners[1]!(3, {})).result).toBe('w1:3');
    expect(sandbox.workers[0]!.started).toEqual([1, 3]);
    expect(sandbox.workers).toHaveLength(1);
  });

  it('a run waiting for a Worker that is replaced (worn out, or ended for a run that never yields) runs on the next', async () => {
    const worn = fakeSandbox();
    const pool = await opened(worn, { code: 'c', workers: 1 }, { runsPerWorker: 1 });
    const [a, b] = await Promise.all([pool.runners[0]!(1, {}), pool.runners[1]!(2, {})]);
    expect([a.result, b.result]).toEqual(['w1:1', 'w2:2']);
    expect(worn.workers[0]!.started).toEqual([1]);

    // Both runners busy, Workers replaced every three runs: no run is cut short by a replacement.
    const busy = fakeSandbox();
    const often = await opened(busy, { code: 'c', workers: 1 }, { runsPerWorker: 3 });
    let seed = 0;
    const results: string[] = [];
    await Promise.all(often.runners.map(async (run) => {
      while (seed < 12) {
        const r = await run(seed++, {});
        expect(r.status).toBe('ok');
        results.push(String(r.result).split(':')[0]!);
      }
    }));
    expect(results).toHaveLength(12);
    for (const w of ['w1', 'w2', 'w3', 'w4']) expect(results.filter((x) => x === w)).toHaveLength(3);

    const spinning = fakeSandbox({ hang: (seed) => seed === 'spin' });
    const spins = await opened(spinning, { code: 'c', workers: 1, budgetMs: 40 });
    const [stuck, after] = await Promise.all([spins.runners[0]!('spin', {}), spins.runners[1]!(3, {})]);
    expect(stuck).toMatchObject({ status: 'timeout', error: { kind: 'infinite-loop' } });
    expect(after.result).toBe('w2:3');
    expect(spinning.workers[0]!.started).toEqual(['spin']); // the run queued behind it went to the next Worker
  });

  it('queues calls to one runner and stops them all on close', async () => {
    const sandbox = fakeSandbox({ delayMs: 30 });
    const pool = await opened(sandbox, { code: 'c', workers: 1 });
    const calls = [pool.runners[0]!(1, {}), pool.runners[0]!(2, {}), pool.runners[0]!(3, {})];
    const first = await calls[0]!;
    pool.close();
    const rest = await Promise.all(calls.slice(1));
    expect(first.result).toBe('w1:1');
    expect(rest.map((r) => r.status)).toEqual(['stopped', 'stopped']);
    expect(sandbox.workers.every((w) => w.ended)).toBe(true);
  });

  it('stops a run whose signal aborts, and does not start one whose signal already has', async () => {
    const sandbox = fakeSandbox({ hang: () => true });
    const pool = await opened(sandbox, { code: 'c', workers: 1, budgetMs: 10_000 });
    const controller = new AbortController();
    const going = pool.runners[0]!(1, {}, controller.signal);
    setTimeout(() => controller.abort(), 20);
    expect(await going).toMatchObject({ status: 'stopped', error: { kind: 'stopped' } });
    const runsBefore = sandbox.workers.flatMap((w) => w.received).filter((m) => m.type === 'run').length;
    expect((await pool.runners[0]!(2, {}, controller.signal)).status).toBe('stopped');
    expect(sandbox.workers.flatMap((w) => w.received).filter((m) => m.type === 'run')).toHaveLength(runsBefore);
  });
});
