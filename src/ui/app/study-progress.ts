import type { Example } from '../../../examples/types.js';
import { listDrafts, loadAllProgress, recordCheckResults, type ExampleProgress, type StorageLike } from '../../share/index.js';
import type { EvaluatedCheck } from '../checks.js';
import type { ScheduleCheckState } from '../exercise-explore.js';
import type { PickerItem } from '../example-picker.js';
import type { LessonExercise } from '../lesson-panel.js';
import type { ExampleLibrary } from './example-library.js';

/** What recording a run's checks did: nothing (the example has no exercises), saved them, or failed to. */
export type RecordOutcome = { kind: 'nothing' } | { kind: 'saved' } | { kind: 'failed'; message: string };

/**
 * The learner's saved progress as the page shows it: check counts and
 * edited marks in the picker, solved exercises in the lesson. Saved progress
 * is read when it may have changed (`refresh`), not on every render.
 *
 * @example
 * const progress = new StudyProgress(storage, () => Date.now());
 * const items = progress.refresh(library); // for the picker
 * if (progress.record(example, checks).kind === 'saved') items = progress.refresh(library); // after a run
 */
export class StudyProgress {
  private saved: ExampleProgress[] = [];

  constructor(
    private readonly storage: StorageLike,
    private readonly now: () => number,
  ) {}

  /** Re-reads saved progress and drafts, and returns the picker's entries. */
  refresh(library: ExampleLibrary): PickerItem[] {
    this.saved = loadAllProgress(this.storage).progress;
    const drafts = listDrafts(this.storage);
    const edited = new Set(drafts.ok ? drafts.exampleIds : []);
    return library.entries.map((e) => {
      const content = library.loaded(e.id);
      const total = content ? content.exercises.reduce((n, ex) => n + ex.checks.length, 0) : 0;
      const p = this.saved.find((x) => x.exampleId === e.id);
      const passed = p ? Object.values(p.checks).filter((c) => c.status === 'passed').length : 0;
      return { id: e.id, title: e.title, topic: e.topic, order: e.order, passed: content ? Math.min(passed, total) : passed, total, edited: edited.has(e.id) };
    });
  }

  /**
   * Saves the exercise checks of a run; an exercise whose checks all passed
   * counts as solved from now on.
   */
  record(example: Example, checks: readonly EvaluatedCheck[]): RecordOutcome {
    const exerciseChecks = checks.filter((c) => c.exerciseId);
    if (exerciseChecks.length === 0) return { kind: 'nothing' };
    const solvedNow = example.exercises.some((ex) => {
      const mine = exerciseChecks.filter((c) => c.exerciseId === ex.id);
      return mine.length > 0 && mine.every((c) => c.passed);
    });
    const outcomes = exerciseChecks.map((c) => ({ checkId: c.key, passed: c.passed }));
    const result = recordCheckResults(this.storage, example.id, outcomes, { now: this.now(), solved: solvedNow });
    return result.ok ? { kind: 'saved' } : { kind: 'failed', message: result.problem.message };
  }

  /**
   * The lesson's exercises with the checks of the last run, whether each was
   * solved before, and for those checked over many schedules, how that check
   * stands (`schedules`).
   */
  lessonExercises(example: Example, checks: readonly EvaluatedCheck[], schedules: (exerciseId: string) => ScheduleCheckState | undefined = () => undefined): LessonExercise[] {
    const p = this.saved.find((x) => x.exampleId === example.id);
    return example.exercises.map((ex) => {
      const item: LessonExercise = {
        id: ex.id,
        title: ex.title,
        task: ex.task,
        hint: ex.hint,
        solution: ex.solution,
        checks: checks.filter((c) => c.exerciseId === ex.id).map((c) => ({ id: c.id, title: c.title, passed: c.passed })),
        solved: p !== undefined && ex.checks.every((c) => p.checks[`${ex.id}:${c.id}`]?.status === 'passed'),
      };
      if (ex.starter !== undefined) item.starter = ex.starter;
      if (ex.explore) {
        const { runs, finalRuns } = ex.explore;
        item.schedules = { runs, ...(finalRuns ? { finalRuns } : {}), state: schedules(ex.id), checks: ex.checks.map((c) => ({ id: c.id, title: c.title })) };
      }
      return item;
    });
  }
}
