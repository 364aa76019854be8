/**
 * Every example runs in Node with its default seed and fault plan and shows
 * what it is meant to show; every exercise's checks fail on the starting code
 * and pass on the reference solution.
 */
import { describe, expect, it } from 'vitest';
import { runSource } from '../test/runner/node-run.js';
import { catalog, loadAllExamples } from './index.js';
import type { Check, Example, RunOutcome } from './types.js';

const examples = await loadAllExamples();

const run = (example: Example, code: string) =>
  runSource(code, { seed: example.seed, ...(example.faults ? { faults: example.faults } : {}) }) as Promise<RunOutcome>;

const verdicts = (checks: Check[], outcome: RunOutcome) => checks.map((c) => ({ id: c.id, ...c.check(outcome) }));

describe('the catalogue', () => {
  it('lists every example folder, and each meta.ts matches its example', () => {
    const folders = Object.keys(import.meta.glob('./*/index.ts')).map((p) => p.split('/')[1]);
    expect(catalog.map((m) => m.id).sort()).toEqual(folders.sort());
    for (const e of examples) expect(catalog.find((m) => m.id === e.id)).toEqual({ id: e.id, title: e.title, topic: e.topic, order: e.order });
    // The list numbers them 1, 2, 3… in course order: no number twice, none skipped.
    expect(catalog.map((m) => m.order).sort((a, b) => a - b)).toEqual(catalog.map((_, i) => i + 1));
  });
});

describe.each(examples.map((e) => [e.id, e] as const))('example %s', (_id, example) => {
  it('runs cleanly and shows what it is meant to show', async () => {
    const outcome = await run(example, example.code);
    expect(outcome.error, JSON.stringify(outcome.error)).toBeUndefined();
    expect(outcome.status).toBe('ok');
    for (const v of verdicts(example.expected, outcome)) expect(v, v.message).toMatchObject({ passed: true });
  });

  it('has a lesson, objectives and one to three exercises, in a folder named after its id', () => {
    expect(Object.keys(import.meta.glob('./*/index.ts'))).toContain(`./${example.id}/index.ts`);
    expect(example.lesson.length).toBeGreaterThan(400);
    expect(example.objectives.length).toBeGreaterThan(0);
    expect(example.exercises.length).toBeGreaterThanOrEqual(1);
    expect(example.exercises.length).toBeLessThanOrEqual(3);
    // Titles, objectives and check titles are shown as plain text: markdown in them would show as is.
    const plain = [example.title, example.summary, ...example.objectives, ...example.expected.map((c) => c.title), ...example.exercises.flatMap((x) => [x.title, ...x.checks.map((c) => c.title)])];
    for (const text of plain) expect(text, 'plain text, shown as written').not.toMatch(/`|\*\*|\]\(/);
    for (const ex of example.exercises) {
      expect(ex.checks.length).toBeGreaterThan(0);
      expect(ex.hint.length).toBeGreaterThan(20);
      // A hint leads step by step (the first step names the idea, the last may show code), not one line of the answer.
      expect(ex.hint, `${ex.id}: the hint should be a numbered list of steps`).toMatch(/^1\. [^\n]+\n2\. /);
    }
  });

  // Exercises judged over many schedules are tested over them, in test/explore/explore-exercises.test.ts.
  for (const ex of example.exercises.filter((x) => !x.explore)) {
    it(`exercise "${ex.title}": every check fails on the starting code`, async () => {
      const outcome = await run(example, example.code);
      for (const v of verdicts(ex.checks, outcome)) expect(v.passed, `${v.id} should fail on the starting code: ${v.message}`).toBe(false);
    });

    it(`exercise "${ex.title}": every check passes on the reference solution`, async () => {
      const outcome = await run(example, ex.solution);
      expect(outcome.error, JSON.stringify(outcome.error)).toBeUndefined();
      for (const v of verdicts(ex.checks, outcome)) expect(v.passed, `${v.id}: ${v.message}`).toBe(true);
    });
  }
});
