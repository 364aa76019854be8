import type { ExecutedRun, PoolOpened, SeedRun } from '../../../../src/runner/protocol.js';
import { createSandbox, type Sandbox } from '../../../../src/runner/page/sandbox.js';
import type { FaultPlan } from '../../../../src/sim/faults.js';
import { hashTrace } from '../../../../src/sim/trace.js';
import { DETERMINISM_FIXTURES } from '../../../runner/fixtures.js';
import { after, assert, assertEqual, before, describe, it } from '../mocha.js';

const runtime = () => fetch('/__playground-runtime.js').then((r) => r.text());
const bootUrl = new URL('/public/sandbox/boot.js', location.origin).href;

type Open = Extract<PoolOpened, { ok: true }>;
type Job = { seed: string | number; faults: FaultPlan };

/** A pool's runs carry no trace hash (see `WorkerRunOptions.pooled`): the hash of the events they bring. */
const hashOf = (run: ExecutedRun) => hashTrace(run.events);

let sandbox: Sandbox;
let counter = 0;
const single = (code: string, job: Job, budgetMs?: number) =>
  sandbox.run({ runId: `single-${++counter}`, code, seed: job.seed, faults: job.faults, ...(budgetMs ? { budgetMs } : {}) });

async function open(code: string, extra: { workers?: number; budgetMs?: number; maxEvents?: number } = {}, on: Sandbox = sandbox): Promise<Open> {
  const pool = await on.openPool({ code, ...extra });
  if (!pool.ok) throw new Error(`the pool did not open: ${pool.report.error?.message}`);
  return pool;
}

/** Runs the jobs over all runners, each taking the next job when free (as explore does); results in job order, with the runner that ran each. */
async function runAll(runners: readonly SeedRun[], jobs: readonly Job[], signal?: AbortSignal): Promise<Array<{ run: ExecutedRun; runner: number }>> {
  const out: Array<{ run: ExecutedRun; runner: number }> = [];
  let next = 0;
  await Promise.all(
    runners.map(async (runOne, runner) => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = { run: await runOne(jobs[i]!.seed, jobs[i]!.faults, signal), runner };
      }
    }),
  );
  return out;
}

/** Jobs of a fixture: its own seed and plan, other seeds, and other plans. */
function jobsOf(seed: string | number, faults: FaultPlan | undefined): Job[] {
  const plans: FaultPlan[] = [faults ?? {}, {}, { services: { payment: { errorRate: 0.7 } } }];
  return [seed, 1, 'b-2', 99].flatMap((s) => plans.map((p) => ({ seed: s, faults: p })));
}

const ENDLESS_SOMETIMES = `const x = Math.random();
if (x < 0.35) { while (true) {} }
export default function main() { return x; }`;

describe('run pool', () => {
  before(async () => {
    sandbox = createSandbox({ runtime, bootUrl });
    await sandbox.ready();
  });
  after(() => sandbox.dispose());

  it('gives every seed and fault plan the trace hash run() gives, on Workers reused run after run', async () => {
    for (const [name, f] of Object.entries(DETERMINISM_FIXTURES)) {
      const jobs = jobsOf(f.seed, f.faults);
      const expected: ExecutedRun[] = [];
      for (const job of jobs) expected.push(await single(f.code, job));
      const pool = await open(f.code, { workers: 2 });
      try {
        assertEqual(pool.runners.length, 4, 'runners, two per Worker');
        // Twice over, the second time in reverse, so each run follows a different one on its Worker.
        const forward = await runAll(pool.runners, jobs);
        const backward = (await runAll(pool.runners, [...jobs].reverse())).reverse();
        jobs.forEach((job, i) => {
          const want = [expected[i]!.status, expected[i]!.traceHash, expected[i]!.events.length];
          for (const got of [forward[i]!.run, backward[i]!.run]) {
            assertEqual([got.status, hashOf(got), got.events.length], want, `${name} seed ${job.seed} plan ${JSON.stringify(job.faults)}`);
          }
        });
        assert(new Set(forward.map((r) => r.runner)).size === 4, `${name}: every runner ran seeds`);
        assert(forward.every((r) => r.run.traceHash === ''), `${name}: pool runs leave the hash to whoever needs it`);
      } finally {
        pool.close();
      }
    }
  });

  it('evaluates the program anew for every run: module state starts fresh', async () => {
    const pool = await open(`let runs = 0;\nexport default function main() { runs++; return runs; }`, { workers: 2 });
    try {
      const results = await runAll(pool.runners, Array.from({ length: 10 }, (_, i) => ({ seed: i, faults: {} })));
      assertEqual(results.map((r) => r.run.result), Array(10).fill(1), 'every run counted from zero');
    } finally {
      pool.close();
    }
  });

  it('opens no pool for code that does not transpile, and says why', async () => {
    const pool = await sandbox.openPool({ code: `const a = 1;\nconst b: number = ;\n` });
    assert(!pool.ok, 'no pool');
    assertEqual([pool.report.status, pool.report.error?.kind, pool.report.error?.line], ['error', 'syntax', 2], 'the report');
  });

  it('opens at least two Workers by default, two runners each', async () => {
    const pool = await open(`export default () => 1;`);
    try {
      assert(pool.runners.length >= 4 && pool.runners.length <= 16, `${pool.runners.length} runners, two per Worker`);
      const runs = await Promise.all(pool.runners.map((r, i) => r(i, {})));
      assertEqual(runs.map((r) => r.result), pool.runners.map(() => 1), 'each runner runs');
    } finally {
      pool.close();
    }
  });

  it('fails a seed whose run never yields, with the reason, and completes the others', async () => {
    const seeds = Array.from({ length: 8 }, (_, i) => i + 1);
    // The first random number of each seed, from a program that only reads it.
    const probe = await open(`export default function main() { return Math.random(); }`, { workers: 2 });
    const firsts = (await runAll(probe.runners, seeds.map((seed) => ({ seed, faults: {} })))).map((r) => r.run.result as number);
    probe.close();
    const spinning = seeds.filter((_, i) => firsts[i]! < 0.35);
    assert(spinning.length > 0 && spinning.length < seeds.length, `some seeds spin, some do not (${spinning.join(', ')})`);

    const pool = await open(ENDLESS_SOMETIMES, { workers: 2, budgetMs: 1_000 });
    try {
      const t0 = performance.now();
      const results = await runAll(pool.runners, seeds.map((seed) => ({ seed, faults: {} })));
      const wall = performance.now() - t0;
      results.forEach(({ run }, i) => {
        if (spinning.includes(seeds[i]!)) {
          assertEqual([run.status, run.error?.kind], ['timeout', 'infinite-loop'], `seed ${seeds[i]}`);
          assert(/without ever pausing/.test(run.error!.message), run.error!.message);
        } else {
          assertEqual([run.status, run.result], ['ok', firsts[i]], `seed ${seeds[i]}`);
        }
      });
      console.log(`[measure] pool of 2, 8 seeds of which ${spinning.length} never yield (budget 1,000 ms): ${Math.round(wall)} ms`);
      // The runners go on with fresh Workers.
      const again = await Promise.all(pool.runners.map((r) => r(seeds.find((s) => !spinning.includes(s))!, {})));
      assert(again.every((r) => r.status === 'ok'), 'runs after the kills');
    } finally {
      pool.close();
    }
  });

  it('stops the run in progress when its signal aborts, busy or yielding', async () => {
    const pool = await open(`let n = 0;\nsetInterval(() => { n++; }, 10);\nexport default function main() { return n; }`, { workers: 1, maxEvents: 1e9, budgetMs: 1_500 });
    const spin = await open(`export default function main() { for (;;) {} }`, { workers: 1, budgetMs: 10_000 });
    try {
      // A first run, ended by its budget, leaves the Worker warm: the next one starts at once.
      assertEqual((await pool.runners[0]!(1, {})).status, 'timeout', 'the warm-up run');
      const controller = new AbortController();
      const t0 = performance.now();
      const yielding = pool.runners[0]!(1, {}, controller.signal);
      const busy = spin.runners[0]!(1, {}, controller.signal);
      setTimeout(() => controller.abort(), 500);
      const [a, b] = await Promise.all([yielding, busy]);
      const stoppedAfter = performance.now() - t0;
      assertEqual([a.status, b.status], ['stopped', 'stopped'], 'statuses');
      assert(a.eventsRun > 0, 'the yielding run kept what it did');
      assert(stoppedAfter < 1_400, `stopped after ${Math.round(stoppedAfter)} ms, before the budget`);
      const before = await pool.runners[0]!(2, {}, controller.signal);
      assertEqual(before.status, 'stopped', 'a run asked for with an aborted signal does not start');
      const next = await open(`export default () => 'next';`, { workers: 1 });
      assertEqual((await next.runners[0]!(1, {})).result, 'next', 'the sandbox goes on');
      next.close();
    } finally {
      pool.close();
      spin.close();
    }
  });

  it('close() stops the run in progress and later runs', async () => {
    const pool = await open(`setInterval(() => {}, 10);`, { workers: 2, maxEvents: 1e9, budgetMs: 10_000 });
    const going = pool.runners[0]!(1, {});
    await new Promise((r) => setTimeout(r, 200));
    pool.close();
    const [run, later] = await Promise.all([going, pool.runners[1]!(2, {})]);
    assertEqual([run.status, later.status], ['stopped', 'stopped'], 'statuses');
    assert(/closed/.test(run.error!.message), run.error!.message);
  });

  it('lets run() go on beside a pool, which goes on after a stuck run() restarts the sandbox', async () => {
    const code = DETERMINISM_FIXTURES['orders-with-retries']!.code;
    const job = { seed: 5, faults: DETERMINISM_FIXTURES['orders-with-retries']!.faults! };
    const expected = await single(code, job);
    const pool = await open(code, { workers: 2 });
    try {
      const beside = await Promise.all([pool.runners[0]!(job.seed, job.faults), single(`export default () => 'beside';`, { seed: 1, faults: {} })]);
      assertEqual([hashOf(beside[0]), beside[1].result], [expected.traceHash, 'beside'], 'both ran');
      const frameBefore = document.querySelector('iframe[sandbox]');
      const stuck = await single(`export default function main() { while (true) {} }`, { seed: 1, faults: {} }, 1_500);
      assertEqual(stuck.error?.kind, 'infinite-loop', 'the stuck run');
      assert(document.querySelector('iframe[sandbox]') !== frameBefore, 'the sandbox was restarted');
      // Every runner, whose Workers went with the old frame, runs on the new one.
      const after = await Promise.all(pool.runners.map((r) => r(job.seed, job.faults)));
      assertEqual(after.map(hashOf), pool.runners.map(() => expected.traceHash), 'the pool works on the new frame');
      assertEqual(document.querySelectorAll('iframe[sandbox]').length, 1, 'still the only sandboxed iframe');
    } finally {
      pool.close();
    }
  });
});

describe('a run pool that replaces its Workers often', () => {
  it('gives the same traces across replacements', async () => {
    const often = createSandbox({ runtime, bootUrl, pool: { runsPerWorker: 3 } });
    try {
      const f = DETERMINISM_FIXTURES['orders-with-retries']!;
      const jobs = jobsOf(f.seed, f.faults);
      const pool = await open(f.code, { workers: 2 }, often);
      const first = await runAll(pool.runners, jobs);
      const second = await runAll(pool.runners, jobs);
      pool.close();
      assertEqual(
        second.map((r) => hashOf(r.run)),
        first.map((r) => hashOf(r.run)),
        'hashes',
      );
      assert(first.every((r) => r.run.status === 'ok' || r.run.status === 'error'), 'every run reported');
    } finally {
      often.dispose();
    }
  });
});
