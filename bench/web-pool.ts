/**
 * Pool figures of `npm run bench:web`: the sandbox's pool of warm Workers in
 * headless Chromium (bench/web/pool-page.ts, built like the site), each figure
 * beside a baseline from the same run and the Node figure from this machine:
 * - 1,000 schedules of the choreography-saga example with every check through
 *   explore() (baseline: the same runs, nothing judged; and run() one at a time);
 * - shrinking one double charge over the pool (baseline: as many plain runs);
 * - runs per second per Worker;
 * - the kernel's hop-bound event rate inside a pool Worker (baseline: bare
 *   `scheduler.postTask` hops in the same Worker).
 * The Node side comes from bench/explore.bench.ts, run in a process of its own.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { Browser } from 'playwright-core';
import { build, preview } from 'vite';
import { nodeProgram } from '../test/explore/node-program.js';
import { KERNEL_EVENTS, KERNEL_PROGRAM } from './web/kernel-programs.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('../node_modules/.cache/bench-web-pool', import.meta.url));
const RUNS = Number(process.env['BENCH_POOL_RUNS'] ?? 1_000);
const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));

interface PoolBench {
  ready(): Promise<void>;
  cores(): number;
  open(n: number, workers?: number): Promise<number>;
  plain(): Promise<number>;
  explore(): Promise<{ chargedSeenMs: number; wallMs: number; runs: number; failedRuns: number; charged: number; errors: number }>;
  close(): void;
  singleRuns(n: number): Promise<number>;
  shrink(): Promise<{ wallMs: number; plainMs: number; runs: number; ended: string; diff: string; seed: string | number }>;
  hops(): Promise<{ eventsPerSecond: number; postTaskPerSecond: number; channelPerSecond: number }>;
}

/**
 * CPU time (ms) used so far by this process's descendants that are still
 * running (the browser and all its processes), from /proc: on a machine shared
 * with other work, CPU time is the steadier figure. Undefined where there is no /proc.
 */
function browserCpuMs(): number | undefined {
  try {
    const parent = new Map<number, number>();
    const ticks = new Map<number, number>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        parent.set(Number(name), Number(fields[1]));
        ticks.set(Number(name), Number(fields[11]) + Number(fields[12])); // utime + stime
      } catch {
        // gone meanwhile
      }
    }
    const isOurs = (pid: number): boolean => {
      for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
      return false;
    };
    let total = 0;
    for (const [pid, t] of ticks) if (isOurs(pid)) total += t;
    return (total * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** The Node side: explore.bench.ts's sections, each in a process of its own (as `npm run bench` runs them); their lines as printed. */
function nodeSection(section: string): string[] {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(new URL('./index.ts', import.meta.url)), '--section', 'explore.bench.ts', section], {
    cwd: root,
    encoding: 'utf8',
  });
  if (child.status !== 0) return [`(the Node section ${section} failed: ${child.stderr.trim().split('\n').pop()})`];
  return child.stdout.trim().split('\n');
}

/** The same kernel program in Node (executeRun on this thread, setImmediate hops), and bare setImmediate hops. */
async function nodeKernel(): Promise<{ eventsPerSecond: number; hopsPerSecond: number }> {
  const program = nodeProgram(KERNEL_PROGRAM, { maxEvents: KERNEL_EVENTS + 1_000 });
  try {
    const kernel: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < 3; i++) {
      let t0 = performance.now();
      const run = await program.run(1, {});
      kernel.push((run.eventsRun / (performance.now() - t0)) * 1000);
      t0 = performance.now();
      for (let k = 0; k < KERNEL_EVENTS; k++) await new Promise<void>((r) => setImmediate(r));
      floor.push((KERNEL_EVENTS / (performance.now() - t0)) * 1000);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    return { eventsPerSecond: median(kernel), hopsPerSecond: median(floor) };
  } finally {
    program.dispose();
  }
}

/** Builds the bench page, serves it on 127.0.0.1 and prints the pool figures. */
export async function poolFigures(browser: Browser): Promise<void> {
  await build({ root, logLevel: 'warn', mode: 'production', build: { outDir, emptyOutDir: true, rolldownOptions: { input: { pool: fileURLToPath(new URL('./web/pool.html', import.meta.url)) } } } });
  const server = await preview({ root, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 4398, strictPort: false } });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`bench page: ${e.message}`));
    await page.goto(`${server.resolvedUrls!.local[0]!}bench/web/pool.html`);
    await page.waitForFunction(() => 'poolBench' in window);
    const bench = <K extends keyof PoolBench>(name: K, ...args: Parameters<PoolBench[K]>) =>
      page.evaluate(([n, a]) => (window as unknown as { poolBench: Record<string, (...x: unknown[]) => unknown> }).poolBench[n as string]!(...(a as unknown[])), [name, args] as const) as Promise<Awaited<ReturnType<PoolBench[K]>>>;
    await bench('ready');
    const cores = await bench('cores');

    const load = loadavg().map((x) => x.toFixed(1)).join(', ');
    console.log(`\nrun pool (headless Chromium, navigator.hardwareConcurrency ${cores}; load average ${load}: figures from a shared machine, noisy):`);
    /** Wall and browser CPU ms of one call into the page. */
    const timed = async <T>(call: () => Promise<T>) => {
      const cpu0 = browserCpuMs();
      const value = await call();
      const cpu1 = browserCpuMs();
      return { value, cpuMs: cpu0 === undefined || cpu1 === undefined ? NaN : cpu1 - cpu0 };
    };
    const workers = await bench('open', RUNS);
    const before = await timed(() => bench('plain'));
    const { value: t, cpuMs } = await timed(() => bench('explore'));
    const after = await timed(() => bench('plain'));
    await bench('close');
    const plainMs = (before.value + after.value) / 2;
    const plainCpuMs = (before.cpuMs + after.cpuMs) / 2;
    const singleN = 50;
    const perRunSingle = (await bench('singleRuns', singleN)) / singleN;
    const perSecond = (ms: number) => t.runs / (ms / 1000);
    console.log(`  ${fmt(t.runs)} schedules of choreography-saga, ${workers} Workers, every check (${fmt(t.failedRuns)} runs failed a check, ${fmt(t.charged)} charged twice, ${t.errors} error groups):`);
    console.log(`    explore() over the pool: ${fmt(t.wallMs)} ms wall (goal ≤ 2,000 ms), ${fmt(perSecond(t.wallMs))} runs/s | baseline (the same runs over the pool, nothing judged, before and after): ${fmt(plainMs)} ms | ratio ${(t.wallMs / plainMs).toFixed(2)}`);
    console.log(`    a double charge first shows in the progress line (as in the Explore tab) after ${fmt(t.chargedSeenMs)} ms (goal: seen within 2,000 ms)`);
    console.log(`    CPU of all the browser's processes: ${fmt(perSecond(cpuMs))} runs/CPU-s | baseline (the same, nothing judged): ${fmt(perSecond(plainCpuMs))} runs/CPU-s | ratio ${(plainCpuMs / cpuMs).toFixed(2)}`);
    console.log(`    baseline (run() one at a time, a fresh Worker each, ${singleN} runs scaled): ${fmt(perRunSingle * t.runs)} ms | the pool is ${((perRunSingle * t.runs) / t.wallMs).toFixed(1)}× faster`);
    console.log(`    runs/s per Worker: ${fmt(perSecond(t.wallMs) / workers)}`);
    if (workers > 1) {
      const n = Math.min(RUNS, 300);
      await bench('open', n, 1);
      const one = await bench('explore');
      await bench('close');
      console.log(`    one Worker, ${one.runs} schedules: ${fmt(one.runs / (one.wallMs / 1000))} runs/s | ${workers} Workers give ×${(perSecond(t.wallMs) / (one.runs / (one.wallMs / 1000))).toFixed(2)}`);
    }

    const s = await bench('shrink');
    console.log(`  shrink one double charge over the pool (seed ${s.seed}, ${s.runs} runs, ${s.ended}: ${s.diff}):`);
    console.log(`    ${fmt(s.wallMs)} ms wall (goal ≤ 1,000 ms) | baseline (${s.runs} plain runs of the same seed and plan on one Worker): ${fmt(s.plainMs)} ms | ratio ${(s.wallMs / s.plainMs).toFixed(2)}`);

    const h = await bench('hops');
    console.log(`  kernel, hop-bound (${KERNEL_EVENTS.toLocaleString('en-US')} timer callbacks of user code, one real-task hop each), in a pool Worker:`);
    console.log(`    ${fmt(h.eventsPerSecond)} events/s (goal ≥ 120,000) | baseline (bare scheduler.postTask hops, a Worker of the page): ${fmt(h.postTaskPerSecond)} hops/s | ratio ${(h.eventsPerSecond / h.postTaskPerSecond).toFixed(2)}`);
    console.log(`    bare MessageChannel hops, a Worker of the page: ${fmt(h.channelPerSecond)} hops/s | ratio to postTask ${(h.channelPerSecond / h.postTaskPerSecond).toFixed(2)}`);
  } finally {
    await context.close();
    await server.close();
  }

  console.log(`  Node on this machine (one thread, executeRun; bench/explore.bench.ts):`);
  const k = await nodeKernel();
  console.log(`    kernel, the same program: ${fmt(k.eventsPerSecond)} events/s | bare setImmediate hops: ${fmt(k.hopsPerSecond)} hops/s | ratio ${(k.eventsPerSecond / k.hopsPerSecond).toFixed(2)}`);
  for (const section of ['thousandSchedules', 'shrinkOne']) for (const line of nodeSection(section)) console.log(`    ${line}`);
}
