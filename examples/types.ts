/**
 * The shape of an example: its editable code, lesson, default run settings and
 * exercises whose checks are predicates over a run's trace and result.
 */
import type { FaultPlan, TraceEvent } from 'playground';

/** What a check sees of a run. */
export interface RunOutcome {
  status: 'ok' | 'error' | 'timeout' | 'budget' | 'stopped';
  events: readonly TraceEvent[];
  /** The resolved value of the code's `main()`. */
  result?: unknown;
  error?: { kind: string; message: string; line?: number };
}

/** The verdict of one check. */
export interface CheckResult {
  passed: boolean;
  /** What was expected and what happened; shown when the check fails. */
  message: string;
  /** Trace events (by `seq`) that show the problem. */
  eventSeqs?: number[];
}

/** A predicate over a run. */
export interface Check {
  id: string;
  title: string;
  check(run: RunOutcome): CheckResult;
}

/** A task for the learner, checked on their run. */
export interface Exercise {
  id: string;
  title: string;
  /** What to do (markdown). */
  task: string;
  hint: string;
  /** A complete program that passes every check; shown only on request. */
  solution: string;
  checks: Check[];
}

/** One example of the module. */
export interface Example {
  /** Stable id used in links and storage (lowercase, digits, dashes). */
  id: string;
  title: string;
  /** Group in the picker. */
  topic: string;
  /** Position in the course. */
  order: number;
  summary: string;
  objectives: string[];
  /** The lesson (markdown). */
  lesson: string;
  /** The editable code the learner starts from. */
  code: string;
  seed: string | number;
  faults?: FaultPlan;
  /** What running the example's own code shows (checked by the tests). */
  expected: Check[];
  exercises: Exercise[];
}

/** What is known of an example before its content is loaded (the picker's entry). */
export type ExampleMeta = Pick<Example, 'id' | 'title' | 'topic' | 'order'>;
