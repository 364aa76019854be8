/**
 * The two examples under load in explore: each program, run over 50 seeds
 * with fault plans drawn around the example's own, finishes every run
 * without an error, and explore judges every run with the exercises' checks.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadExample } from '../../examples/index.js';
import { explore } from '../../src/explore/explore.js';
import { exploreSeeds } from '../../src/explore/explore-request.js';
import { faultSpaceFrom } from '../../src/sim/fault-space.js';
import { nodeProgram, type NodeProgram } from './node-program.js';

const programs: NodeProgram[] = [];
afterAll(() => programs.forEach((p) => p.dispose()));

const failed = (r: Awaited<ReturnType<typeof explore>>, id: string) => r.checks.find((c) => c.key === `check:${id}`)?.failed ?? 0;

describe.each([
  // cascading-failure has no fault plan of its own: vary its two dependencies.
  ['retry-storm', [] as string[]],
  ['cascading-failure', ['price-service', 'recommendation-service']],
])('explore over %s', (id, services) => {
  it('runs the starting code and every solution over 50 schedules without an error', { timeout: 300_000 }, async () => {
    const example = await loadExample(id);
    const space = faultSpaceFrom(example.faults, { services });
    expect(Object.keys(space.services ?? {}).length).toBeGreaterThan(0);
    const checks = example.exercises.flatMap((x) => x.checks);
    const seeds = exploreSeeds(example.seed, 50);
    for (const [name, code] of [['starting code', example.code], ...example.exercises.map((x) => [x.id, x.solution] as const)] as const) {
      const p = nodeProgram(code);
      programs.push(p);
      const r = await explore({ run: p.run, seeds, space, checks });
      expect(r, name).toMatchObject({ runs: 50, total: 50, stopped: false, errors: [] });
      if (name === 'starting code') {
        // The defect shows on most schedules, whatever else goes wrong.
        const first = example.exercises[0]!.checks[0]!.id;
        expect(failed(r, first), `${name}: ${first}`).toBeGreaterThan(40);
      } else {
        // The solution passes its own checks on many schedules (not all: some plans take a service down for good).
        const own = example.exercises.find((x) => x.id === name)!.checks;
        for (const c of own) expect(failed(r, c.id), `${name}: ${c.id}`).toBeLessThan(50);
      }
    }
  });
});
