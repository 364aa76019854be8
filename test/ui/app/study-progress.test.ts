import { describe, expect, it } from 'vitest';
import { saveDraft } from '../../../src/share/drafts.js';
import { createMemoryStorage } from '../../../src/share/storage-like.js';
import { ExampleLibrary } from '../../../src/ui/app/example-library.js';
import { StudyProgress } from '../../../src/ui/app/study-progress.js';
import { evaluateChecks } from '../../../src/ui/checks.js';
import type { Example, Exercise } from '../../../examples/types.js';
import { ALPHA_SOLUTION, fakeExamples } from '../fake-app-deps.js';

const examples = fakeExamples();
const alpha = examples[0]!;
const catalog = examples.map(({ id, title, topic, order }) => ({ id, title, topic, order }));
const run = (result: unknown) => ({ status: 'ok' as const, events: [], result });

async function setup() {
  const storage = createMemoryStorage();
  const library = new ExampleLibrary(catalog, (id) => Promise.resolve(examples.find((e) => e.id === id)!));
  let now = 1_700_000_000_000;
  const progress = new StudyProgress(storage, () => now++);
  return { storage, library, progress };
}

describe('StudyProgress', () => {
  it('counts passed checks per example in the picker once its content has loaded, and marks drafts', async () => {
    const { storage, library, progress } = await setup();
    expect(progress.refresh(library).map((i) => [i.id, i.passed, i.total, i.edited])).toEqual([
      ['alpha-calls', 0, 0, false],
      ['beta-queues', 0, 0, false],
    ]);
    await library.loadAll();
    expect(progress.record(alpha, evaluateChecks(alpha, run(2)))).toEqual({ kind: 'saved' });
    saveDraft(storage, 'beta-queues', 'edited', { now: 1, exampleVersion: '1' });
    expect(progress.refresh(library).map((i) => [i.id, i.passed, i.total, i.edited])).toEqual([
      ['alpha-calls', 1, 1, false],
      ['beta-queues', 0, 0, true],
    ]);
  });

  it('has nothing to record for an example without exercises, and says why a write failed', async () => {
    const { progress } = await setup();
    expect(progress.record(examples[1]!, [])).toEqual({ kind: 'nothing' });
    const full = new StudyProgress(
      { length: 0, key: () => null, getItem: () => null, setItem: () => { throw new DOMException('full', 'QuotaExceededError'); }, removeItem: () => undefined },
      () => 1_700_000_000_000,
    );
    const outcome = full.record(alpha, evaluateChecks(alpha, run(2)));
    expect(outcome.kind).toBe('failed');
  });

  it('marks an exercise solved when the latest outcome of each of its checks passed', async () => {
    const { library, progress } = await setup();
    const exercises = () => progress.lessonExercises(alpha, evaluateChecks(alpha, run(1)));
    progress.refresh(library);
    expect(exercises()[0]!.solved).toBe(false);
    progress.record(alpha, evaluateChecks(alpha, run(2)));
    progress.record(alpha, evaluateChecks(alpha, run(1)));
    progress.refresh(library);
    const [ex] = exercises();
    expect(ex!.checks).toEqual([{ id: 'two', title: 'main returns 2', passed: false }]);
    expect(ex!.solved).toBe(false); // "solved before" follows the latest outcome of each check
    progress.record(alpha, evaluateChecks(alpha, run(2)));
    progress.refresh(library);
    expect(exercises()[0]!.solved).toBe(true);
  });

  it('leaves exercises judged over schedules out of a run\'s checks, and records their verdict like any other', async () => {
    const { library, progress } = await setup();
    const overSchedules: Exercise = {
      id: 'schedules',
      title: 'Over schedules',
      task: '',
      hint: '1. a\n2. b',
      solution: ALPHA_SOLUTION,
      starter: 'starting code',
      explore: { runs: 200, finalRuns: 1000, space: {} },
      checks: [{ id: 'two', title: 'main returns 2', check: (r) => ({ passed: r.result === 2, message: '' }) }],
    };
    const both: Example = { ...alpha, exercises: [...alpha.exercises, overSchedules] };
    // One passing run says nothing about the exercise judged over schedules.
    const checks = evaluateChecks(both, run(2));
    expect(checks.map((c) => c.key)).toEqual(['return-two:two']);
    progress.record(both, checks);
    progress.refresh(library);
    const running = { kind: 'running' as const, done: 40, total: 200, failedRuns: 2 };
    const [, item] = progress.lessonExercises(both, checks, (id) => (id === 'schedules' ? running : undefined));
    expect(item).toMatchObject({ id: 'schedules', checks: [], solved: false, starter: 'starting code', schedules: { runs: 200, finalRuns: 1000, state: running, checks: [{ id: 'two', title: 'main returns 2' }] } });
    expect(progress.lessonExercises(both, checks)[0]!.schedules).toBeUndefined();
    // The verdict over schedules is saved under the same keys as a run's checks.
    const verdict = [{ key: 'schedules:two', id: 'two', title: 'main returns 2', exerciseId: 'schedules', passed: true, message: 'Held in 200 of 200 schedules.' }];
    expect(progress.record(both, verdict)).toEqual({ kind: 'saved' });
    progress.refresh(library);
    expect(progress.lessonExercises(both, [])[1]!.solved).toBe(true);
  });
});
