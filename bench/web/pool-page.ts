/**
 * The page of the pool bench (bench/web-pool.ts drives it in headless
 * Chromium): the real sandbox, the explore engine and the choreography-saga
 * example, built like the site. Each figure is a function on `window.poolBench`.
 */
import bootSource from '../../public/sandbox/boot.js?raw';
import runtimeSource from 'virtual:playground-runtime';
import example from '../../examples/choreography-saga/index.js';
import { explore, type ExploreProgress } from '../../src/explore/explore.js';
import { exploreSeeds, faultPlanFor } from '../../src/explore/explore-request.js';
import { faultItems } from '../../src/explore/fault-items.js';
import type { ExploreCheck } from '../../src/explore/judge-run.js';
import { sagaInvariantChecks } from '../../src/explore/saga-checks.js';
import { shrinkFailure } from '../../src/explore/shrink-failure.js';
import { LANES_PER_WORKER } from '../../src/runner/page/run-pool.js';
import { createSandbox } from '../../src/runner/page/sandbox.js';
import type { PoolOpened, SeedRun } from '../../src/runner/protocol.js';
import { faultSpaceFrom } from '../../src/sim/fault-space.js';
import type { FaultPlan } from '../../src/sim/faults.js';
import { bareHopsWorker, KERNEL_EVENTS, KERNEL_PROGRAM } from './kernel-programs.js';

const sandbox = createSandbox({ runtime: runtimeSource, boot: { source: bootSource, hash: __SANDBOX_BOOT_HASH__ } });
const checks: ExploreCheck[] = [...example.expected, ...example.exercises.flatMap((x) => x.checks), ...sagaInvariantChecks()];
const space = faultSpaceFrom(example.faults);
const TARGET = 'check:saga/charged-once';

async function openPool(code: string, workers?: number, maxEvents?: number): Promise<Extract<PoolOpened, { ok: true }>> {
  const pool = await sandbox.openPool({ code, ...(workers ? { workers } : {}), ...(maxEvents ? { maxEvents, budgetMs: 30_000 } : {}) });
  if (!pool.ok) throw new Error(`the pool did not open: ${pool.report.error?.message}`);
  // Every Worker warm (runtime loaded, program imported once) before the clock starts, as after the first explore.
  await Promise.all(pool.runners.map((r) => r(example.seed, {})));
  return pool;
}

/** Plain runs spread over the runners, nothing judged: what any explore pays per run. */
async function plainRuns(runners: readonly SeedRun[], jobs: ReadonlyArray<{ seed: string | number; faults: FaultPlan }>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    runners.map(async (run) => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        await run(job.seed, job.faults);
      }
    }),
  );
  return performance.now() - t0;
}

let current: { pool: Extract<PoolOpened, { ok: true }>; seeds: (string | number)[]; jobs: Array<{ seed: string | number; faults: FaultPlan }> } | undefined;
const open = () => {
  if (!current) throw new Error('open a pool first');
  return current;
};

const poolBench = {
  ready: () => sandbox.ready(),
  cores: () => navigator.hardwareConcurrency,

  /** Opens a pool of `workers` (default: the pool's own) and warms it, for `n` schedules. */
  async open(n: number, workers?: number) {
    poolBench.close();
    const pool = await openPool(example.code, workers);
    const seeds = exploreSeeds(example.seed, n);
    current = { pool, seeds, jobs: seeds.map((seed) => ({ seed, faults: faultPlanFor(space, seed) })) };
    return pool.runners.length / LANES_PER_WORKER; // Workers
  },
  /** The schedules run over the open pool with nothing judged: what any explore pays per run. Wall ms. */
  plain: () => plainRuns(open().pool.runners, open().jobs),
  /** The schedules through explore() with every check, over the open pool. */
  async explore() {
    const { pool, seeds } = open();
    const t0 = performance.now();
    // When the progress line (as the Explore tab shows it) first names a double charge.
    let chargedSeenMs: number | undefined;
    const onProgress = (p: ExploreProgress) => {
      if (chargedSeenMs === undefined && p.failing.some((f) => f.key === TARGET)) chargedSeenMs = performance.now() - t0;
    };
    const result = await explore({ run: pool.runners, seeds, space, checks, onProgress });
    return {
      chargedSeenMs: chargedSeenMs ?? NaN,
      wallMs: performance.now() - t0,
      runs: result.runs,
      failedRuns: result.failedRuns,
      charged: result.checks.find((c) => c.key === TARGET)?.failed ?? 0,
      errors: result.errors.length,
    };
  },
  close() {
    current?.pool.close();
    current = undefined;
  },

  /** `n` runs of the example through `run()`, one after another (a fresh Worker each): the path before pools. */
  async singleRuns(n: number) {
    const seeds = exploreSeeds(example.seed, n);
    await sandbox.run({ runId: 'warm', code: example.code, seed: example.seed });
    const t0 = performance.now();
    for (const [i, seed] of seeds.entries()) await sandbox.run({ runId: `s${i}`, code: example.code, seed, faults: faultPlanFor(space, seed) });
    return performance.now() - t0;
  },

  /** Shrinking one double charge over the pool, and as many plain runs of the same seed and plan. */
  async shrink() {
    const pool = await openPool(example.code);
    try {
      const found = await explore({ run: pool.runners, seeds: exploreSeeds(example.seed, 200), space, checks });
      const failing = found.failures.find((f) => f.failed.includes(TARGET) && faultItems(f.faults).length >= 2) ?? found.checks.find((c) => c.key === TARGET)?.firstFailure;
      if (!failing) throw new Error('no double charge found to shrink');
      const run = pool.runners[0]!;
      const t0 = performance.now();
      const r = await shrinkFailure({ run, seed: failing.seed, faults: failing.faults, target: TARGET, checks });
      const wallMs = performance.now() - t0;
      const t1 = performance.now();
      for (let i = 0; i < r.runs; i++) await run(failing.seed, failing.faults);
      const plainMs = performance.now() - t1;
      return { wallMs, plainMs, runs: r.runs, ended: r.ended, diff: r.diff, seed: failing.seed };
    } finally {
      pool.close();
    }
  },

  /** The kernel's hop-bound event rate in a pool Worker, and the bare hop rates of a Worker of the page. */
  async hops() {
    const pool = await openPool(KERNEL_PROGRAM, 1, KERNEL_EVENTS + 1_000);
    try {
      const rates: Record<'kernel' | 'postTask' | 'channel', number[]> = { kernel: [], postTask: [], channel: [] };
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const r = await pool.runners[0]!(1, {});
        if (r.eventsRun < KERNEL_EVENTS) throw new Error(`the kernel program ran ${r.eventsRun} events (${r.status}: ${r.error?.message})`);
        rates.kernel.push((r.eventsRun / (performance.now() - t0)) * 1000);
        for (const kind of ['postTask', 'channel'] as const) rates[kind].push(await bareHops(kind));
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
      return { eventsPerSecond: median(rates.kernel), postTaskPerSecond: median(rates.postTask), channelPerSecond: median(rates.channel) };
    } finally {
      pool.close();
    }
  },
};

/** Bare hops per second in a Worker of this page. */
function bareHops(kind: 'postTask' | 'channel'): Promise<number> {
  const url = URL.createObjectURL(new Blob([bareHopsWorker(kind, 100_000)], { type: 'text/javascript' }));
  const worker = new Worker(url);
  return new Promise<number>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<number>) => resolve(e.data);
    worker.onerror = (e) => reject(new Error(e.message));
  }).finally(() => {
    worker.terminate();
    URL.revokeObjectURL(url);
  });
}

(window as unknown as { poolBench: typeof poolBench }).poolBench = poolBench;
