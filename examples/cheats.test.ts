/**
 * Programs that look like an answer to an exercise but skip the idea it
 * teaches must not pass it. Each one lives in
 * `examples/<example>/cheats/<exercise>/<what-it-does>.ts`, starts with a
 * comment saying what it gets wrong, and names in a `// rejected by: a, b`
 * line the checks of that exercise that must catch it. The test runs it with
 * the example's seed and fault plan, as the page would.
 */
import { describe, expect, it } from 'vitest';
import { runSource } from '../test/runner/node-run.js';
import { loadAllExamples } from './index.js';
import type { RunOutcome } from './types.js';

const examples = await loadAllExamples();
const files = import.meta.glob<string>('./*/cheats/*/*.ts', { query: '?raw', import: 'default', eager: true });

const allCheats = Object.entries(files).map(([path, code]) => {
  const [, exampleId, , exerciseId, file] = path.split('/');
  const rejectedBy = /^\/\/ rejected by: (.+)$/m.exec(code)?.[1]?.split(',').map((s) => s.trim()) ?? [];
  return { name: `${exampleId}/${exerciseId}/${file!.replace(/\.ts$/, '')}`, exampleId: exampleId!, exerciseId: exerciseId!, rejectedBy, code };
});
// Cheats of exercises judged over many schedules are rejected over them, in test/explore/explore-exercises.test.ts.
const exploring = (c: { exampleId: string; exerciseId: string }) => examples.find((e) => e.id === c.exampleId)?.exercises.find((x) => x.id === c.exerciseId)?.explore !== undefined;
const cheats = allCheats.filter((c) => !exploring(c));

describe('cheats', () => {
  it('there are some, each in the folder of an existing exercise and naming checks it has', () => {
    expect(cheats.length).toBeGreaterThan(0);
    for (const c of allCheats) {
      const exercise = examples.find((e) => e.id === c.exampleId)?.exercises.find((x) => x.id === c.exerciseId);
      expect(exercise, `${c.name}: no exercise "${c.exerciseId}" in example "${c.exampleId}"`).toBeDefined();
      expect(c.rejectedBy.length, `${c.name}: add a "// rejected by: <check id>" line`).toBeGreaterThan(0);
      for (const id of c.rejectedBy) expect(exercise!.checks.map((k) => k.id), `${c.name}`).toContain(id);
    }
  });

  it.each(cheats.map((c) => [c.name, c] as const))('%s runs cleanly and is rejected', async (_name, c) => {
    const example = examples.find((e) => e.id === c.exampleId)!;
    const exercise = example.exercises.find((x) => x.id === c.exerciseId)!;
    const outcome = (await runSource(c.code, { seed: example.seed, ...(example.faults ? { faults: example.faults } : {}) })) as RunOutcome;
    // A cheat must be a working program: rejected for what it skips, not because it crashes.
    expect(outcome.error, JSON.stringify(outcome.error)).toBeUndefined();
    expect(outcome.status).toBe('ok');
    for (const check of exercise.checks.filter((k) => c.rejectedBy.includes(k.id))) {
      const verdict = check.check(outcome);
      expect(verdict.passed, `${check.id} should reject ${c.name}, but said: ${verdict.message}`).toBe(false);
    }
  });
});
