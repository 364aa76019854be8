/**
 * Explore: (1) 1,000 schedules of the choreography-saga example (its
 * starting code, with its defects) with every check of the example and every
 * saga invariant, each run with a fault plan sampled from the default space
 * around the example's plan, next to the same 1,000 runs (same seeds, same
 * plans, same Node runner) with nothing judged or counted, timed before and
 * after it;
 * (2) shrinking one violation found (an order charged twice), next to as many
 * plain runs as shrinking spent. Figures are runs per second and wall time.
 * In Node every run goes through the runner on one thread (`executeRun`), as
 * one sandbox Worker would.
 */
import { register } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { explore } from '../src/explore/explore.js';
import { exploreSeeds, faultPlanFor } from '../src/explore/explore-request.js';
import { faultItems } from '../src/explore/fault-items.js';
import type { ExploreCheck, RunProgram } from '../src/explore/judge-run.js';
import { sagaInvariantChecks } from '../src/explore/saga-checks.js';
import { shrinkFailure } from '../src/explore/shrink-failure.js';
import { faultSpaceFrom } from '../src/sim/fault-space.js';
import type { FaultPlan } from '../src/sim/faults.js';
import { nodeProgram } from '../test/explore/node-program.js';
import type { Example } from '../examples/types.js';
import { report } from './util.js';

const RUNS = 1_000;

// The example module imports its code as `./main.ts?raw` and its helpers from 'playground', as Vite
// resolves them; these loader hooks do the same for this Node process.
const HOOKS = `
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
let playground;
export function initialize(data) { playground = data.playground; }
export async function resolve(specifier, context, next) {
  if (specifier === 'playground') return next(playground, context);
  if (specifier.endsWith('?raw')) return { url: new URL(specifier, context.parentURL).href, shortCircuit: true };
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.endsWith('?raw')) return next(url, context);
  const text = readFileSync(fileURLToPath(url.slice(0, -'?raw'.length)), 'utf8');
  return { format: 'module', source: 'export default ' + JSON.stringify(text) + ';', shortCircuit: true };
}`;
register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, {
  parentURL: import.meta.url,
  data: { playground: pathToFileURL(fileURLToPath(new URL('../src/playground/index.ts', import.meta.url))).href },
});

async function loadExample(): Promise<Example> {
  return ((await import('../examples/choreography-saga/index.js')) as { default: Example }).default;
}

/** Every check the example has, and every saga invariant. */
function everyCheck(example: Example): ExploreCheck[] {
  return [...example.expected, ...example.exercises.flatMap((x) => x.checks), ...sagaInvariantChecks()];
}

/** Wall and CPU time (ms) of this process while `fn` runs. CPU time is the steadier figure on a shared machine. */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { value, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Plain runs of `run`, one per seed with its plan, nothing judged: what any explore pays per run anyway. */
function plainRuns(run: RunProgram, seeds: readonly (string | number)[], planOf: (seed: string | number) => FaultPlan) {
  const plans = seeds.map(planOf);
  return timed(async () => {
    for (let i = 0; i < seeds.length; i++) await run(seeds[i]!, plans[i]!);
  });
}

const fmt = (n: number) => n.toLocaleString('en-US');
const mb = () => Math.round(process.memoryUsage().heapUsed / 2 ** 20);

/** 1,000 explored schedules with every check, next to 1,000 plain runs. */
async function thousandSchedules(): Promise<void> {
  const example = await loadExample();
  const program = nodeProgram(example.code);
  const seeds = exploreSeeds(example.seed, RUNS);
  const space = faultSpaceFrom(example.faults);
  const checks = everyCheck(example);
  try {
    const planOf = (seed: string | number) => faultPlanFor(space, seed);
    await plainRuns(program.run, seeds.slice(0, 50), planOf); // warm-up
    // The plain runs before and after the explore, so drift in the machine's load (and the heap the
    // runs leave behind) falls on both sides alike.
    const before = await plainRuns(program.run, seeds, planOf);
    const heapBefore = mb();
    const { value: result, wallMs, cpuMs } = await timed(() => explore({ run: program.run, seeds, space, checks }));
    const heapAfter = mb();
    const after = await plainRuns(program.run, seeds, planOf);
    const failing = result.checks.filter((c) => c.failed > 0).map((c) => `${c.key.replace(/^check:/, '')} ${fmt(c.failed)}`);
    console.log(`${fmt(result.runs)} schedules, ${checks.length} checks each: ${fmt(result.failedRuns)} runs failed (${failing.join(', ')}); ${result.errors.length} error groups`);
    // Node keeps every module instance it imported (one per run here); a sandbox Worker per run does not.
    console.log(`heap ${heapBefore} → ${heapAfter} MB over the explore; plain runs before ${fmt(Math.round(before.wallMs))} ms, after ${fmt(Math.round(after.wallMs))} ms (wall)`);
    const perSecond = (ms: number) => RUNS / (ms / 1000);
    const base = `the same ${fmt(RUNS)} runs, nothing judged or counted`;
    report(`explore ${fmt(RUNS)} schedules of choreography-saga, every check (wall)`, perSecond(wallMs), 'runs/s', perSecond((before.wallMs + after.wallMs) / 2), base);
    report(`explore ${fmt(RUNS)} schedules of choreography-saga, every check (CPU)`, perSecond(cpuMs), 'runs/CPU-s', perSecond((before.cpuMs + after.cpuMs) / 2), base);
  } finally {
    program.dispose();
  }
}

/** Shrinking one double charge, next to as many plain runs as it spent. */
async function shrinkOne(): Promise<void> {
  const example = await loadExample();
  const program = nodeProgram(example.code);
  const checks = everyCheck(example);
  try {
    const found = await explore({ run: program.run, seeds: exploreSeeds(example.seed, 200), space: faultSpaceFrom(example.faults), checks });
    const target = 'check:saga/charged-once';
    const failing = found.failures.find((f) => f.failed.includes(target) && faultItems(f.faults).length >= 2) ?? found.checks.find((c) => c.key === target)?.firstFailure;
    if (!failing) throw new Error('bench: no double charge found to shrink');
    const { value: r, wallMs, cpuMs } = await timed(() => shrinkFailure({ run: program.run, seed: failing.seed, faults: failing.faults, target, checks }));
    const base = await plainRuns(program.run, Array.from({ length: r.runs }, () => failing.seed), () => failing.faults);
    console.log(`shrunk seed ${failing.seed} in ${r.runs} runs (${r.ended}): ${r.diff}`);
    report(`shrink one double charge, ${r.runs} runs (wall)`, wallMs, 'ms', base.wallMs, `${r.runs} plain runs of the same seed and plan`);
    report(`shrink one double charge, ${r.runs} runs (CPU)`, cpuMs, 'CPU-ms', base.cpuMs, `${r.runs} plain runs of the same seed and plan`);
  } finally {
    program.dispose();
  }
}

/** Two sections, each run in a process of its own by bench/index.ts. */
export const sections = { thousandSchedules, shrinkOne };
