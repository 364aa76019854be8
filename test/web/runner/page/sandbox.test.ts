import type { RunReport } from '../../../../src/runner/protocol.js';
import { createSandbox, type Sandbox } from '../../../../src/runner/page/sandbox.js';
import { DETERMINISM_FIXTURES } from '../../../runner/fixtures.js';
import { after, assert, assertEqual, before, describe, it } from '../mocha.js';

// The runtime is bundled by web-test-runner.config.mjs (vite build API) and served here;
// the page gets the same text through `virtual:playground-runtime`.
const runtime = () => fetch('/__playground-runtime.js').then((r) => r.text());
const bootUrl = new URL('/public/sandbox/boot.js', location.origin).href;

let sandbox: Sandbox;
let counter = 0;
type Extra = { budgetMs?: number; maxEvents?: number; seed?: string | number; faults?: import('../../../../src/sim/faults.js').FaultPlan };
const run = (code: string, extra: Extra = {}): Promise<RunReport> =>
  sandbox.run({ runId: `t${++counter}`, code, seed: extra.seed ?? 1, ...extra });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 10) / 10;

const TRIVIAL = `export default function main() { return 'pong'; }`;

describe('sandbox', () => {
  before(async () => {
    sandbox = createSandbox({ runtime, bootUrl });
    await sandbox.ready();
  });
  after(() => sandbox.dispose());

  it('runs a program in virtual time and returns what main resolved to', async () => {
    const report = await run(`import { sleep } from 'playground';
export default async function main(): Promise<number> {
  await sleep(60_000);
  console.log('after a minute', new Date().toISOString());
  return 6 * 7;
}`);
    assertEqual(report.status, 'ok', 'status');
    assertEqual(report.result, 42, 'result');
    assertEqual(report.virtualTime, 60_000, 'virtual time');
    assertEqual(
      report.events.map((e) => (e.kind === 'log' ? `${e.source}:${e.message}` : e.kind)),
      ['console:after a minute 2024-01-01T00:01:00.000Z'],
      'events',
    );
    assert(report.wallMs < 1_000, `a one-minute scenario should take far less than a second, took ${report.wallMs} ms`);
  });

  it('gives the same trace hash as Node for the same code, seed and faults', async () => {
    const node = (await (await fetch('/__node-hashes.json')).json()) as Record<string, { traceHash: string; status: string }>;
    for (const [name, f] of Object.entries(DETERMINISM_FIXTURES)) {
      const report = await run(f.code, { seed: f.seed, ...(f.faults ? { faults: f.faults } : {}) });
      assertEqual(report.status, node[name]!.status, `${name} status`);
      assertEqual(report.traceHash, node[name]!.traceHash, `${name} trace hash`);
    }
  });

  it('points a runtime error at the TypeScript line', async () => {
    const report = await run(`import { sleep } from 'playground';
interface Order { id: number; total: number }
const orders: Order[] = [];

export default async function main(): Promise<void> {
  await sleep(10);
  const first: Order = orders[0] as Order;
  console.log(first.total);
}`);
    assertEqual(report.status, 'error', 'status');
    assertEqual(report.error?.kind, 'runtime', 'kind');
    assertEqual(report.error?.line, 8, 'line');
    assert(/TypeError/.test(report.error!.message), report.error!.message);
    assert(!/blob:/.test(JSON.stringify(report.events)), 'no Blob URL in the trace');
  });

  it('reports a syntax error with its position without starting a run', async () => {
    const report = await run(`const a = 1;\nconst b: number = ;\n`);
    assertEqual([report.status, report.error?.kind, report.error?.line], ['error', 'syntax', 2], 'syntax error');
    // One only the engine finds (sucrase lets it through): still a syntax error, said in the engine's words.
    const engine = await run(`let total = 1;\nlet total = 2;\nexport default () => total;`);
    assertEqual([engine.status, engine.error?.kind], ['error', 'syntax'], 'engine syntax error');
    assert(/total/.test(engine.error!.message), engine.error!.message);
    console.log(`[info] engine-found syntax error: ${JSON.stringify(engine.error)}`);
  });

  it('ends a run on an unhandled rejection and on endless recursion', async () => {
    const unhandled = await run(`setTimeout(() => { Promise.reject(new Error('nobody listens')); }, 5);
export default async function main() { await new Promise((r) => setTimeout(r, 100)); }`);
    assertEqual([unhandled.status, unhandled.error?.kind, unhandled.error?.line], ['error', 'unhandled', 1], 'unhandled');
    assert(/nobody listens/.test(unhandled.error!.message), unhandled.error!.message);
    const recursion = await run(`function down(n: number): number { return down(n + 1) + 1; }
export default function main() { return down(0); }`);
    assertEqual([recursion.status, recursion.error?.kind, recursion.error?.line], ['error', 'stack-overflow', 1], 'recursion');
  });

  it('keeps user code away from the page: no document, no page storage, no eval', async () => {
    localStorage.setItem('secret', 'page-only');
    const report = await run(`const probe = (f: () => unknown) => { try { return String(f()); } catch (e) { return 'blocked: ' + (e as Error).name; } };
export default async function main() {
  return {
    document: typeof (globalThis as any).document,
    localStorage: probe(() => (globalThis as any).localStorage?.getItem('secret')),
    indexedDB: await new Promise<string>((resolve) => {
      try {
        const req = indexedDB.open('probe');
        req.onsuccess = () => resolve('opened');
        req.onerror = () => resolve('blocked: ' + req.error?.name);
      } catch (e) { resolve('blocked: ' + (e as Error).name); }
    }),
    origin: String((globalThis as any).origin),
    eval: probe(() => new Function('return 1')()),
  };
}`);
    assertEqual(report.status, 'ok', `status (${report.error?.message})`);
    const r = report.result as Record<string, string>;
    assertEqual(r['document'], 'undefined', 'document');
    assertEqual(r['localStorage'], 'undefined', 'localStorage');
    assert(r['indexedDB']!.startsWith('blocked'), `indexedDB: ${r['indexedDB']}`);
    assertEqual(r['origin'], 'null', 'origin');
    assert(r['eval']!.startsWith('blocked'), `eval: ${r['eval']}`);
    localStorage.removeItem('secret');
  });

  it('stops while(true){} at the budget while the page keeps ticking, and the next run works', async () => {
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 20);
    const started = performance.now();
    const report = await run(`export default function main() { while (true) {} }`, { budgetMs: 500 });
    const stoppedAfter = performance.now() - started;
    clearInterval(timer);
    assertEqual([report.status, report.error?.kind], ['timeout', 'infinite-loop'], 'status');
    assert(stoppedAfter >= 500 && stoppedAfter < 2_000, `stopped after ${stoppedAfter} ms`);
    const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
    assert(ticks.length >= 15, `the page timer ticked ${ticks.length} times`);
    assert(Math.max(...gaps) < 200, `the page timer never paused long (longest gap ${Math.max(...gaps)} ms)`);

    const killedAt = performance.now();
    await sandbox.ready();
    const recreateMs = performance.now() - killedAt;
    const next = await run(TRIVIAL);
    assertEqual([next.status, next.result], ['ok', 'pong'], 'the next run');
    console.log(`[measure] while(true) stopped after ${round(stoppedAfter)} ms (budget 500 + grace 250); new sandbox ready ${round(recreateMs)} ms after the kill`);
  });

  it('says main() waits forever when top-level code awaits it, before the time runs out', async () => {
    const started = performance.now();
    const report = await run(`async function main(): Promise<void> {\n  await new Promise<void>(() => {});\n}\nawait main();\n`, { budgetMs: 2_000 });
    assertEqual([report.status, report.error?.kind, report.error?.line], ['error', 'unfinished', 2], `status (${report.error?.message})`);
    assert(/^main\(\) never finished: it is waiting for a promise that never settles\. It was called by the top-level await on line 4\./.test(report.error!.message), report.error!.message);
    assert(performance.now() - started < 2_000, 'said before the time limit');
  });

  it('says an allocation that fails is about memory', async () => {
    const report = await run(`const kept: ArrayBuffer[] = [];\nexport default function main() { while (true) kept.push(new ArrayBuffer(2 ** 40)); }`);
    assertEqual([report.status, report.error?.kind, report.error?.line], ['error', 'memory', 2], `status (${report.error?.message})`);
  });

  it('stops a run that still yields gracefully and keeps its trace so far', async () => {
    const report = await run(`let n = 0;
setInterval(() => { n++; if (n % 1000 === 0) console.log('tick', n); }, 10);`, { budgetMs: 300, maxEvents: 1e9 });
    assertEqual([report.status, report.error?.kind], ['timeout', 'timeout'], 'status');
    assert(report.events.length > 0 && report.eventsRun > 1000, `kept ${report.events.length} events after ${report.eventsRun} callbacks`);
    const bounded = await run(`setInterval(() => {}, 10);`, { maxEvents: 5_000 });
    assertEqual([bounded.status, bounded.eventsRun, bounded.virtualTime], ['budget', 5_000, 50_000], 'event budget');
  });

  it('a new run replaces the one in progress without restarting the sandbox', async () => {
    await sandbox.ready();
    const frameBefore = document.querySelector('iframe[sandbox]');
    // On a busy machine the long run may not have started its Worker after a short wait; wait longer
    // each time until it has (a replaced run that never started has no trace to keep).
    let replaced: Awaited<ReturnType<typeof run>> | undefined;
    for (const waitMs of [150, 600, 2_000]) {
      const long = run(`let n = 0;\nsetInterval(() => { n++; if (n % 500 === 0) console.log('tick', n); }, 10);`, { maxEvents: 1e9, budgetMs: 10_000 });
      await new Promise((r) => setTimeout(r, waitMs));
      const skipped = run(TRIVIAL);
      const last = run(`export default () => 'last';`);
      const [a, b, c] = await Promise.all([long, skipped, last]);
      assertEqual([a.status, b.status, c.status, c.result], ['stopped', 'stopped', 'ok', 'last'], 'statuses');
      replaced = a;
      if (a.events.length > 0) break;
    }
    assert(replaced!.events.length > 0, 'the replaced run keeps its trace so far');
    assert(document.querySelector('iframe[sandbox]') === frameBefore, 'the same warm iframe');
    assertEqual(document.querySelectorAll('iframe[sandbox]').length, 1, 'the only sandboxed iframe');
  });

  it('Stop ends a busy run and a flood of logs is capped', async () => {
    const busy = run(`export default function main() { for (;;) {} }`, { budgetMs: 10_000 });
    setTimeout(() => sandbox.stop(), 100);
    const stopped = await busy;
    assertEqual(stopped.status, 'stopped', 'status');
    const flood = await run(`for (let i = 0; i < 100_000; i++) console.log('line', i);`);
    assertEqual([flood.status, flood.events.length, flood.droppedLogs], ['ok', 5_001, 95_000], 'log cap');
  });

  it('measures the round trip of a trivial run on a warm sandbox', async () => {
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      const report = await run(TRIVIAL);
      times.push(performance.now() - t0);
      assertEqual(report.result, 'pong', 'result');
    }
    console.log(`[measure] trivial run round trip, back to back: median ${round(median(times))} ms, min ${round(Math.min(...times))} ms, max ${round(Math.max(...times))} ms (15 runs)`);
    const idle: number[] = [];
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 150)); // as between two clicks: the next Worker is warm by then
      const t0 = performance.now();
      await run(TRIVIAL);
      idle.push(performance.now() - t0);
    }
    console.log(`[measure] trivial run round trip after 150 ms idle: median ${round(median(idle))} ms, min ${round(Math.min(...idle))} ms, max ${round(Math.max(...idle))} ms (6 runs)`);
    const kills: number[] = [];
    for (let i = 0; i < 3; i++) {
      // A budget long enough for the module to load even on a loaded machine, so the spin (not the load) hits it.
      const killed = await run(`export default function main() { while (true) {} }`, { budgetMs: 1000 });
      assertEqual(killed.error?.kind, 'infinite-loop', 'killed');
      const t0 = performance.now();
      await sandbox.ready();
      kills.push(performance.now() - t0);
    }
    console.log(`[measure] kill + recreate until ready: median ${round(median(kills))} ms (3 kills)`);
    const spin = await run(`setInterval(() => {}, 1);`, { maxEvents: 100_000, budgetMs: 20_000 });
    assertEqual(spin.status, 'budget', 'status');
    console.log(`[measure] 100,000 interval callbacks in the Worker: ${Math.round(spin.wallMs)} ms (${Math.round(100_000 / (spin.wallMs / 1000)).toLocaleString('en-US')} events/s)`);
  });
});

describe('a sandbox told to start later', () => {
  it('makes no iframe until then, and a run asked for meanwhile waits and then runs', async () => {
    let start!: () => void;
    const later = createSandbox({ runtime, bootUrl, startAfter: new Promise<void>((r) => (start = r)) });
    try {
      await new Promise((r) => setTimeout(r, 50));
      assertEqual(document.querySelectorAll('iframe[sandbox]').length, 0, 'no iframe yet');
      const report = later.run({ runId: 'later', code: TRIVIAL, seed: 1 });
      setTimeout(start, 50);
      const done = await report;
      assertEqual([done.status, done.result], ['ok', 'pong'], 'the run');
      assertEqual(document.querySelectorAll('iframe[sandbox]').length, 1, 'one iframe');
    } finally {
      later.dispose();
    }
  });
});

describe('a sandbox that dies', () => {
  it('is reported as out of memory when it no longer answers, and is restarted', async () => {
    // Its frame never acknowledges a stop, as if its process had crashed.
    const deaf = createSandbox({ runtime, bootUrl: new URL('/test/web/runner/page/deaf-boot.js', location.origin).href, stopAckWaitMs: 300 });
    try {
      await deaf.ready();
      const report = await deaf.run({ runId: 'deaf', code: `export default function main() { while (true) {} }`, seed: 1, budgetMs: 500 });
      assertEqual([report.status, report.error?.kind], ['error', 'memory'], `status (${report.error?.message})`);
      assert(/crashed, most likely because your code ran out of memory/.test(report.error!.message), report.error!.message);
      const next = await deaf.run({ runId: 'after', code: TRIVIAL, seed: 1 });
      assertEqual([next.status, next.result], ['ok', 'pong'], 'the next run');
    } finally {
      deaf.dispose();
    }
  });
});
