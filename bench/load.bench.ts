/**
 * The examples under load: wall time of one run of each program of the
 * retry-storm and cascading-failure examples (starting code and solutions,
 * with the example's seed and fault plan), next to one run of the
 * retry-backoff example's starting code (50 customers, about 740 trace
 * events) measured in the same process. Each program is transpiled once and
 * run the way explore runs it (`executeRun` on this thread). Target: under
 * 100 ms a run, so a page run stays quick and explore gets through 50
 * schedules in seconds.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FaultPlan } from '../src/sim/faults.js';
import { nodeProgram } from '../test/explore/node-program.js';
import { measure, report } from './util.js';

const examples = fileURLToPath(new URL('../examples/', import.meta.url));

/** The example's programs (main.ts first, then its solutions). */
function programs(id: string): [string, string][] {
  const files = readdirSync(`${examples}${id}`).filter((f) => f === 'main.ts' || f.startsWith('solution-'));
  return files.sort((a, b) => (a === 'main.ts' ? -1 : b === 'main.ts' ? 1 : a.localeCompare(b))).map((f) => [`${id}/${f}`, readFileSync(`${examples}${id}/${f}`, 'utf8')]);
}

/** Median ms of one run of `code` over 9 runs, and its trace's size. */
async function timeRuns(code: string, seed: string, faults: FaultPlan): Promise<{ ms: number; events: number }> {
  const p = nodeProgram(code);
  let events = 0;
  try {
    const ms = await measure(async () => {
      const r = await p.run(seed, faults);
      if (r.status !== 'ok') throw new Error(`bench: run ended ${r.status}: ${r.error?.message}`);
      events = r.events.length;
    }, 9);
    return { ms, events };
  } finally {
    p.dispose();
  }
}

export async function run(): Promise<void> {
  const baseline = await timeRuns(programs('retry-backoff')[0]![1], 'herd-2', { services: { 'inventory-service': { down: [{ from: 0, to: 2500 }] } } });
  const cases: [string, string, FaultPlan][] = [
    ['retry-storm', 'storm-1', { services: { 'search-service': { errorRate: 0.05, errorStatus: 503 } } }],
    ['cascading-failure', 'cascade-1', {}],
  ];
  for (const [id, seed, faults] of cases) {
    for (const [name, code] of programs(id)) {
      const t = await timeRuns(code, seed, faults);
      report(`${name} (${t.events} events)`, t.ms, 'ms/run', baseline.ms, `retry-backoff, ${baseline.events} events`, '< 100 ms/run');
    }
  }
}
